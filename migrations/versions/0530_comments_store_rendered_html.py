"""comments: the sanitised HTML of each comment, rendered when it is written

Revision ID: 0530
Revises: 0500
Create Date: 2026-12-06 10:00:00

Existing comments are rendered here, in batches, with the application's renderer (the same one
that renders new comments); `flask comments render` does the same at any later time, e.g. after a
change of the sanitiser (rows made by another renderer are shown rendered on the fly until then).
"""
from alembic import op
import sqlalchemy as sa


revision = '0530'
down_revision = '0500'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_html', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('html_renderer', sa.String(length=40), server_default='', nullable=False))

    from app.comments.service import render_stale

    render_stale(op.get_bind())


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('html_renderer')
        batch_op.drop_column('body_html')
