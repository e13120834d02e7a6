"""Stored monthly reports (one per month, enforced by a unique key) and report subscriptions.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 02:40:00
"""

import sqlalchemy as sa
from alembic import op


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('monthly_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('generated_at', sa.DateTime(), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('emails_queued', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monthly_reports')),
    sa.UniqueConstraint('month', name=op.f('uq_monthly_reports_month'))
    )
    op.create_table('report_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('report', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_report_subscriptions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_subscriptions')),
    sa.UniqueConstraint('user_id', 'report', name=op.f('uq_report_subscriptions_user_id_report'))
    )
    with op.batch_alter_table('report_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_subscriptions_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('report_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_subscriptions_user_id'))
    op.drop_table('report_subscriptions')
    op.drop_table('monthly_reports')
