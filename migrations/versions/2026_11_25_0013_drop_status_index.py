"""Tasks: drop ``ix_tasks_status``, which ``ix_tasks_status_deadline_issuer`` makes redundant.

That index leads with the status, so every search by status alone can use it (PostgreSQL and
SQLite both search an index by its leading columns); the one on the status alone only cost each
write to a task's status another index entry to change.

SQLite plans by the statistics ANALYZE left, if any; they are taken again for ``tasks`` so
that they count the indexes it has (as migration 0011 does).

Revision ID: 0013_drop_status_index
Revises: 0012_loop_stamps
Create Date: 2026-11-25 09:00:00
"""

from collections.abc import Sequence

from alembic import op

from luoshi.planner_statistics import analyse_again

revision: str = "0013_drop_status_index"
down_revision: str | Sequence[str] | None = "0012_loop_stamps"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_tasks_status", table_name="tasks")
    analyse_again(op.get_bind(), "tasks")


def downgrade() -> None:
    op.create_index("ix_tasks_status", "tasks", ["status"])
    analyse_again(op.get_bind(), "tasks")
