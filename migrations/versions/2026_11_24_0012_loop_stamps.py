"""The loop's change stamp: each writer's share in ``loop_stamps``, bumped by triggers on every
table a to-do is read from, so that a caller's to-do is kept under it and answered from memory
(or as 304) until something on the loop changes (see luoshi/stamps.py and luoshi/todo/service.py).

Revision ID: 0012_loop_stamps
Revises: 0011_approval_queue
Create Date: 2026-11-24 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from luoshi import stamps

revision: str = "0012_loop_stamps"
down_revision: str | Sequence[str] | None = "0011_approval_queue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "loop_stamps",
        sa.Column("writer", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("writer", name=op.f("pk_loop_stamps")),
    )
    stamps.install(op.get_bind())


def downgrade() -> None:
    stamps.install(op.get_bind(), loop=False)
    op.drop_table("loop_stamps")
