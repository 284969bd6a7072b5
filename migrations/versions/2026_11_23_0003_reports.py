"""reports: reports back, extension requests, disputes and attachments

Revision ID: 0003_reports
Revises: 0002_tasks
Create Date: 2026-11-23 07:00:49.583490
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import luoshi.db

revision: str = '0003_reports'
down_revision: str | None = '0002_tasks'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('suggested_unit_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('new_lead_unit_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('created_at', luoshi.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_disputes_decided_by_id_users')),
    sa.ForeignKeyConstraint(['new_lead_unit_id'], ['units.id'], name=op.f('fk_disputes_new_lead_unit_id_units')),
    sa.ForeignKeyConstraint(['raised_by_id'], ['users.id'], name=op.f('fk_disputes_raised_by_id_users')),
    sa.ForeignKeyConstraint(['suggested_unit_id'], ['units.id'], name=op.f('fk_disputes_suggested_unit_id_units')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_disputes_task_id_tasks')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_disputes_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disputes'))
    )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disputes_task_id'), ['task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disputes_unit_id'), ['unit_id'], unique=False)

    op.create_table('extension_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('current_deadline_date', sa.Date(), nullable=False),
    sa.Column('requested_deadline_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('created_at', luoshi.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_extension_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_extension_requests_requested_by_id_users')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_extension_requests_task_id_tasks')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_extension_requests_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extension_requests'))
    )
    with op.batch_alter_table('extension_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_extension_requests_task_id'), ['task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_extension_requests_unit_id'), ['unit_id'], unique=False)

    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=24), nullable=False),
    sa.Column('progress_text', sa.Text(), nullable=False),
    sa.Column('percent_done', sa.Integer(), nullable=True),
    sa.Column('problems', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('support_needed', sa.Text(), nullable=False),
    sa.Column('highlights_good', sa.Text(), nullable=False),
    sa.Column('highlights_bad', sa.Text(), nullable=False),
    sa.Column('source_report_ids', sa.JSON(), nullable=False),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.Column('return_count', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('unit_approved_by_id', sa.Integer(), nullable=True),
    sa.Column('unit_approved_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', luoshi.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', luoshi.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_reports_created_by_id_users')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_reports_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_reports_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_reports_task_id_tasks')),
    sa.ForeignKeyConstraint(['unit_approved_by_id'], ['users.id'], name=op.f('fk_reports_unit_approved_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_reports_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_reports_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index('ix_reports_task_unit_status', ['task_id', 'unit_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_unit_id'), ['unit_id'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', luoshi.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_attachments_report_id_reports')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_attachments_task_id_tasks')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_attachments_unit_id_units')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_task_id'), ['task_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_task_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachments_report_id'))

    op.drop_table('attachments')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_unit_id'))
        batch_op.drop_index('ix_reports_task_unit_status')

    op.drop_table('reports')
    with op.batch_alter_table('extension_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_extension_requests_unit_id'))
        batch_op.drop_index(batch_op.f('ix_extension_requests_task_id'))

    op.drop_table('extension_requests')
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disputes_unit_id'))
        batch_op.drop_index(batch_op.f('ix_disputes_task_id'))

    op.drop_table('disputes')
