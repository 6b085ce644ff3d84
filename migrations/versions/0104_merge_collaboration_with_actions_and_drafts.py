"""merge the collaboration layer (0100-0103) with actions and drafts (0200-0300)

Revision ID: 0104
Revises: 0103, 0300
Create Date: 2026-11-25 12:25:00

"""

# revision identifiers, used by Alembic.
revision = '0104'
down_revision = ('0103', '0300')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
