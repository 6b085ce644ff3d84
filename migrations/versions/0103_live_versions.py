"""live-update version counters

Revision ID: 0103
Revises: 0102
Create Date: 2026-11-25 11:01:20

"""
from alembic import op
import sqlalchemy as sa

import app.types


# revision identifiers, used by Alembic.
revision = '0103'
down_revision = '0102'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('live_versions',
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_live_versions'))
    )


def downgrade():
    op.drop_table('live_versions')
