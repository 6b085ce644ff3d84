"""decisions point at a draft unit (a Pasal), from where a suggested amendment is one step

Revision ID: 0410
Revises: 0400
Create Date: 2026-11-25 15:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0410'
down_revision = '0400'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_decisions_unit_id'), ['unit_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_decisions_unit_id_draft_units'), 'draft_units', ['unit_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_decisions_unit_id_draft_units'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_decisions_unit_id'))
        batch_op.drop_column('unit_id')
