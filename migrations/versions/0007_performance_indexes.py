"""Indexes for the hot reads measured on the national-10y profile.

- confiscation_payments (order_id, received_on, amount): an order's ledger summed to a date
  without reading the table (balances, the live-orders list sorted by outstanding, ageing);
  replaces the single-column order_id index it starts with.
- confiscation_payments (received_on, order_id, amount): amounts collected per period.
- alerts (unit_id, due_on, id): a unit's alerts in due-date order, a page at a time (the
  inbox's "my unit" view and the API list); replaces the single-column unit_id index.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 05:40:00
"""

from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('confiscation_payments', schema=None) as batch_op:
        batch_op.create_index('ix_confiscation_payments_order_received', ['order_id', 'received_on', 'amount'], unique=False)
        batch_op.create_index('ix_confiscation_payments_received', ['received_on', 'order_id', 'amount'], unique=False)
        batch_op.drop_index(batch_op.f('ix_confiscation_payments_order_id'))
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index('ix_alerts_unit_due', ['unit_id', 'due_on', 'id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_alerts_unit_id'))


def downgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_unit_id'), ['unit_id'], unique=False)
        batch_op.drop_index('ix_alerts_unit_due')
    with op.batch_alter_table('confiscation_payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_confiscation_payments_order_id'), ['order_id'], unique=False)
        batch_op.drop_index('ix_confiscation_payments_received')
        batch_op.drop_index('ix_confiscation_payments_order_received')
