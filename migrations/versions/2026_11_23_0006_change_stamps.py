"""Change stamps, bumped by triggers on tasks, task_assignments and units, so a tree's ETag is
one primary-key lookup instead of an aggregate over the whole tree (see luoshi/stamps.py).

Revision ID: 0006_change_stamps
Revises: 0005_task_day_count
Create Date: 2026-11-23 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from luoshi import stamps

revision: str = "0006_change_stamps"
down_revision: str | Sequence[str] | None = "0005_task_day_count"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_stamps",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_change_stamps")),
    )
    stamps.install(op.get_bind(), loop=False)  # as it was before 0012 added the loop's stamp


def downgrade() -> None:
    stamps.uninstall(op.get_bind())
    op.drop_table("change_stamps")
