"""Tasks are found by issuing unit and status together (a unit's tasks waiting for its review):
one index on both replaces the index on the issuing unit alone, which it covers.

Without it SQLite, which keeps no statistics here, read every task in review to find one
unit's (6 ms of the to-do's 9 on 100,000 tasks).

Revision ID: 0007_tasks_issuer_status
Revises: 0006_change_stamps
Create Date: 2026-11-23 13:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007_tasks_issuer_status"
down_revision: str | Sequence[str] | None = "0006_change_stamps"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_tasks_issuer_status", "tasks", ["issuer_unit_id", "status"])
    op.drop_index("ix_tasks_issuer_unit_id", table_name="tasks")


def downgrade() -> None:
    op.create_index("ix_tasks_issuer_unit_id", "tasks", ["issuer_unit_id"])
    op.drop_index("ix_tasks_issuer_status", table_name="tasks")
