"""drafts: consultation comments as public inputs, threads addressed in a named version

Revision ID: 0500
Revises: 0420
Create Date: 2026-11-25 14:30:00

"""
from alembic import op
import sqlalchemy as sa

import app.types


# revision identifiers, used by Alembic.
revision = '0500'
down_revision = '0420'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('draft_inputs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_draft_inputs_comment_id'), ['comment_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_draft_inputs_comment_id_comments'), 'comments', ['comment_id'], ['id'], ondelete='SET NULL')

    op.create_table('draft_addressed_threads',
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('at', app.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_draft_addressed_threads_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_draft_addressed_threads_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_draft_addressed_threads_draft_id_drafts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['draft_versions.id'], name=op.f('fk_draft_addressed_threads_version_id_draft_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('comment_id', name=op.f('pk_draft_addressed_threads'))
    )
    with op.batch_alter_table('draft_addressed_threads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_addressed_threads_draft_id'), ['draft_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_draft_addressed_threads_version_id'), ['version_id'], unique=False)


def downgrade():
    with op.batch_alter_table('draft_addressed_threads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_addressed_threads_version_id'))
        batch_op.drop_index(batch_op.f('ix_draft_addressed_threads_draft_id'))
    op.drop_table('draft_addressed_threads')

    with op.batch_alter_table('draft_inputs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_draft_inputs_comment_id_comments'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_draft_inputs_comment_id'))
        batch_op.drop_column('comment_id')
