"""The to-do reads what waits (reports submitted or awaiting their unit head, pending extension
requests and disputes, submitted coordination requests) by status: an index on each status.

Without one, the reports waiting for review were found by reading every task the caller might
review and looking up its reports: SQLite, which has no statistics for a table it has never
seen filled, chose that as soon as the to-do's parts no longer joined units (54 ms of a unit's
to-do on 100,000 tasks, against 5 ms with the index). On PostgreSQL it was a scan of every
report ever written, on each to-do of an office.

Revision ID: 0008_todo_queues
Revises: 0007_tasks_issuer_status
Create Date: 2026-11-24 00:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008_todo_queues"
down_revision: str | Sequence[str] | None = "0007_tasks_issuer_status"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUEUES = ("extension_requests", "disputes", "coordination_requests")


def upgrade() -> None:
    op.create_index("ix_reports_status_unit", "reports", ["status", "unit_id"])
    for table in QUEUES:
        op.create_index(f"ix_{table}_status", table, ["status"])


def downgrade() -> None:
    for table in QUEUES:
        op.drop_index(f"ix_{table}_status", table_name=table)
    op.drop_index("ix_reports_status_unit", table_name="reports")
