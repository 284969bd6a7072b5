"""Tasks say how their clock counts (working or calendar days); joins the reports and
deadlines lines of migrations into one head.

Revision ID: 0005_task_day_count
Revises: 0003_reports, 0004_deadlines
Create Date: 2026-11-23 08:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_task_day_count"
down_revision: str | Sequence[str] | None = ("0003_reports", "0004_deadlines")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deadline_day_count", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("deadline_day_count")
