"""Cases, defendants (with aliases), charges and hearings; per-defendant CPS outcomes and
sentences (DOMAIN.md 3.1).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:16:32.623679
"""

import sqlalchemy as sa
from alembic import op


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('urn', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('crime_type_id', sa.Integer(), nullable=False),
    sa.Column('agency', sa.String(length=40), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('lead_lawyer_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.Enum('pre_charge', 'charged', 'trial', 'awaiting_sentence', 'sentenced', 'finalised', name='casestage', native_enum=False, length=30), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['crime_type_id'], ['crime_types.id'], name=op.f('fk_cases_crime_type_id_crime_types')),
    sa.ForeignKeyConstraint(['lead_lawyer_id'], ['users.id'], name=op.f('fk_cases_lead_lawyer_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_cases_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('urn', name=op.f('uq_cases_urn'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_crime_type_id'), ['crime_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_lead_lawyer_id'), ['lead_lawyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_stage'), ['stage'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_unit_id'), ['unit_id'], unique=False)
        # The case list's default order, so a page is an index walk, not a sort of every case
        # (PostgreSQL only: SQLite does not accept NULLS LAST in an index).
        if op.get_bind().dialect.name == "postgresql":
            batch_op.create_index('ix_cases_received_order',
                                  [sa.text('received_on DESC NULLS LAST'), sa.text('id DESC')],
                                  unique=False)

    op.create_table('defendants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('surname', sa.String(length=100), nullable=False),
    sa.Column('forenames', sa.String(length=150), nullable=False),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('pnc_id', sa.String(length=20), nullable=True),
    sa.Column('outcome', sa.Enum('guilty_plea', 'convicted_after_trial', 'proved_in_absence', 'acquitted_after_trial', 'directed_acquittal', 'discontinued', 'administratively_finalised', name='outcome', native_enum=False, length=30), nullable=True),
    sa.Column('finalised_on', sa.Date(), nullable=True),
    sa.Column('principal_offence', sa.Enum('homicide', 'offences_against_the_person', 'sexual_offences', 'burglary', 'robbery', 'theft_and_handling', 'fraud_and_forgery', 'criminal_damage', 'drugs_offences', 'public_order', 'all_other_offences', 'motoring', name='offencecategory', native_enum=False, length=40), nullable=True),
    sa.Column('sentenced_on', sa.Date(), nullable=True),
    sa.Column('custody_months', sa.Integer(), nullable=True),
    sa.Column('release_on', sa.Date(), nullable=True),
    sa.Column('release_is_actual', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_defendants_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_defendants'))
    )
    with op.batch_alter_table('defendants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_defendants_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_defendants_finalised_on'), ['finalised_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_defendants_pnc_id'), ['pnc_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_defendants_release_on'), ['release_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_defendants_surname'), ['surname'], unique=False)

    op.create_table('charges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('defendant_id', sa.Integer(), nullable=False),
    sa.Column('offence', sa.String(length=255), nullable=False),
    sa.Column('statute', sa.String(length=150), nullable=False),
    sa.Column('section', sa.String(length=40), nullable=False),
    sa.Column('charged_on', sa.Date(), nullable=False),
    sa.Column('category', sa.Enum('homicide', 'offences_against_the_person', 'sexual_offences', 'burglary', 'robbery', 'theft_and_handling', 'fraud_and_forgery', 'criminal_damage', 'drugs_offences', 'public_order', 'all_other_offences', 'motoring', name='offencecategory', native_enum=False, length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['defendant_id'], ['defendants.id'], name=op.f('fk_charges_defendant_id_defendants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charges'))
    )
    with op.batch_alter_table('charges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_charges_defendant_id'), ['defendant_id'], unique=False)

    op.create_table('defendant_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('defendant_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['defendant_id'], ['defendants.id'], name=op.f('fk_defendant_aliases_defendant_id_defendants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_defendant_aliases'))
    )
    with op.batch_alter_table('defendant_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_defendant_aliases_defendant_id'), ['defendant_id'], unique=False)

    op.create_table('hearings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('defendant_id', sa.Integer(), nullable=True),
    sa.Column('court', sa.String(length=150), nullable=False),
    sa.Column('hearing_on', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('first_appearance', 'ptph', 'mention', 'trial', 'sentence', 'confiscation', 'appeal', 'other', name='hearingkind', native_enum=False, length=30), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_hearings_case_id_cases')),
    sa.ForeignKeyConstraint(['defendant_id'], ['defendants.id'], name=op.f('fk_hearings_defendant_id_defendants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearings'))
    )
    with op.batch_alter_table('hearings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearings_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearings_defendant_id'), ['defendant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearings_hearing_on'), ['hearing_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('hearings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearings_hearing_on'))
        batch_op.drop_index(batch_op.f('ix_hearings_defendant_id'))
        batch_op.drop_index(batch_op.f('ix_hearings_case_id'))

    op.drop_table('hearings')
    with op.batch_alter_table('defendant_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_defendant_aliases_defendant_id'))

    op.drop_table('defendant_aliases')
    with op.batch_alter_table('charges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_charges_defendant_id'))

    op.drop_table('charges')
    with op.batch_alter_table('defendants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_defendants_surname'))
        batch_op.drop_index(batch_op.f('ix_defendants_release_on'))
        batch_op.drop_index(batch_op.f('ix_defendants_pnc_id'))
        batch_op.drop_index(batch_op.f('ix_defendants_finalised_on'))
        batch_op.drop_index(batch_op.f('ix_defendants_case_id'))

    op.drop_table('defendants')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        if op.get_bind().dialect.name == "postgresql":
            batch_op.drop_index('ix_cases_received_order')
        batch_op.drop_index(batch_op.f('ix_cases_unit_id'))
        batch_op.drop_index(batch_op.f('ix_cases_stage'))
        batch_op.drop_index(batch_op.f('ix_cases_received_on'))
        batch_op.drop_index(batch_op.f('ix_cases_name'))
        batch_op.drop_index(batch_op.f('ix_cases_lead_lawyer_id'))
        batch_op.drop_index(batch_op.f('ix_cases_crime_type_id'))

    op.drop_table('cases')
