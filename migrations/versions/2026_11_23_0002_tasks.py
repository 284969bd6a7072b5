"""tasks: the task tree, per-unit assignments, milestones and the immutable event log

Revision ID: 0002_tasks
Revises: 0001_foundation
Create Date: 2026-11-23 07:00:13.435791
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import luoshi.db

revision: str = '0002_tasks'
down_revision: str | None = '0001_foundation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('root_id', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('depth', sa.Integer(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('source_type', sa.String(length=30), nullable=False),
    sa.Column('source_ref', sa.String(length=200), nullable=True),
    sa.Column('source_date', sa.Date(), nullable=True),
    sa.Column('category', sa.String(length=60), nullable=True),
    sa.Column('priority', sa.String(length=10), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=True),
    sa.Column('lead_unit_id', sa.Integer(), nullable=True),
    sa.Column('issuer_unit_id', sa.Integer(), nullable=False),
    sa.Column('deadline_date', sa.Date(), nullable=True),
    sa.Column('original_deadline_date', sa.Date(), nullable=True),
    sa.Column('feedback_cycle', sa.String(length=20), nullable=False),
    sa.Column('feedback_dates', sa.JSON(), nullable=False),
    sa.Column('weight', sa.Double(), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_before_suspend', sa.String(length=20), nullable=True),
    sa.Column('return_count', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', luoshi.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', luoshi.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('issued_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signed_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_on_time', sa.Boolean(), nullable=True),
    sa.Column('suspended_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_tasks_created_by_id_users')),
    sa.ForeignKeyConstraint(['issuer_unit_id'], ['units.id'], name=op.f('fk_tasks_issuer_unit_id_units')),
    sa.ForeignKeyConstraint(['lead_unit_id'], ['units.id'], name=op.f('fk_tasks_lead_unit_id_units')),
    sa.ForeignKeyConstraint(['leader_id'], ['users.id'], name=op.f('fk_tasks_leader_id_users')),
    sa.ForeignKeyConstraint(['parent_id'], ['tasks.id'], name=op.f('fk_tasks_parent_id_tasks')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_tasks_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tasks_deadline_date'), ['deadline_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_issuer_unit_id'), ['issuer_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_lead_unit_id'), ['lead_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_leader_id'), ['leader_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index('ix_tasks_root_path', ['root_id', 'path'], unique=False, postgresql_ops={'path': 'varchar_pattern_ops'})
        batch_op.create_index(batch_op.f('ix_tasks_status'), ['status'], unique=False)
        batch_op.create_index('ix_tasks_status_deadline', ['status', 'deadline_date'], unique=False)

    op.create_table('task_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('assigned_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signed_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('reported_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('disputed_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('waived_at', luoshi.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('waived_by_id', sa.Integer(), nullable=True),
    sa.Column('waive_reason', sa.Text(), nullable=True),
    sa.Column('created_at', luoshi.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', luoshi.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['signed_by_id'], ['users.id'], name=op.f('fk_task_assignments_signed_by_id_users')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_assignments_task_id_tasks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_task_assignments_unit_id_units')),
    sa.ForeignKeyConstraint(['waived_by_id'], ['users.id'], name=op.f('fk_task_assignments_waived_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_assignments')),
    sa.UniqueConstraint('task_id', 'unit_id', name=op.f('uq_task_assignments_task_id'))
    )
    with op.batch_alter_table('task_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_assignments_task_id'), ['task_id'], unique=False)
        batch_op.create_index('ix_task_assignments_unit_state', ['unit_id', 'state'], unique=False)

    op.create_table('task_milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('planned_date', sa.Date(), nullable=False),
    sa.Column('done_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_milestones_task_id_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_milestones'))
    )
    with op.batch_alter_table('task_milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_milestones_task_id'), ['task_id'], unique=False)

    op.create_table('task_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('at', luoshi.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('on_behalf_of_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_task_events_actor_id_users')),
    sa.ForeignKeyConstraint(['on_behalf_of_id'], ['users.id'], name=op.f('fk_task_events_on_behalf_of_id_users')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_events_task_id_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_events'))
    )
    with op.batch_alter_table('task_events', schema=None) as batch_op:
        batch_op.create_index('ix_task_events_task_id_id', ['task_id', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('task_events', schema=None) as batch_op:
        batch_op.drop_index('ix_task_events_task_id_id')

    op.drop_table('task_events')
    with op.batch_alter_table('task_milestones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_milestones_task_id'))

    op.drop_table('task_milestones')
    with op.batch_alter_table('task_assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_task_assignments_unit_state')
        batch_op.drop_index(batch_op.f('ix_task_assignments_task_id'))

    op.drop_table('task_assignments')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_status_deadline')
        batch_op.drop_index(batch_op.f('ix_tasks_status'))
        batch_op.drop_index('ix_tasks_root_path', postgresql_ops={'path': 'varchar_pattern_ops'})
        batch_op.drop_index(batch_op.f('ix_tasks_parent_id'))
        batch_op.drop_index(batch_op.f('ix_tasks_leader_id'))
        batch_op.drop_index(batch_op.f('ix_tasks_lead_unit_id'))
        batch_op.drop_index(batch_op.f('ix_tasks_issuer_unit_id'))
        batch_op.drop_index(batch_op.f('ix_tasks_deadline_date'))

    op.drop_table('tasks')
