"""Tasks by status, then deadline, then issuer: a queue of tasks ranked by deadline whose issuer
is tested from the index alone.

The to-do counts each queue in full and keeps its most urgent rows, and it now ranks each queue
by its ids and keys alone before it reads what it shows of the top rows (``todo.service``). The
city office's tasks awaiting approval (5,811 on the bench dataset) are such a queue: status
finds them, the issuer must be in the office's jurisdiction, and the deadline ranks them. This
index replaces ``ix_tasks_status_deadline`` (its first two columns are the old index, so every
query that used that one can use this) and holds all three, so SQLite ranks that queue from the
index without reading a task: the part took 3.7 ms instead of 14.7, and the office's whole
to-do statement 17 ms instead of 32. PostgreSQL gained about a tenth from the ranking alone
and not from this index.

SQLite plans by the statistics ANALYZE left, if any. Where they exist they would not cover the
new index, and with the old indexes counted but not this one SQLite read the office's reports
through every open task instead (100 ms); so they are taken again for ``tasks``.

Revision ID: 0011_approval_queue
Revises: 0010_assignment_queue
Create Date: 2026-11-24 11:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_approval_queue"
down_revision: str | Sequence[str] | None = "0010_assignment_queue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _analyse_tasks_if_analysed() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        op.execute("ANALYZE tasks")


def upgrade() -> None:
    op.create_index("ix_tasks_status_deadline_issuer", "tasks", ["status", "deadline_date", "issuer_unit_id"])
    op.drop_index("ix_tasks_status_deadline", table_name="tasks")
    _analyse_tasks_if_analysed()


def downgrade() -> None:
    op.create_index("ix_tasks_status_deadline", "tasks", ["status", "deadline_date"])
    op.drop_index("ix_tasks_status_deadline_issuer", table_name="tasks")
    _analyse_tasks_if_analysed()
