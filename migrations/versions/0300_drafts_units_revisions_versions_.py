"""drafts: units, revisions, versions, references, suggestions, inputs, presence

Revision ID: 0300
Revises: 0200
Create Date: 2026-11-25 11:04:35.682875

"""
from alembic import op
import sqlalchemy as sa

import app.types


# revision identifiers, used by Alembic.
revision = '0300'
down_revision = '0200'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.Enum('raperda', 'perwali', 'perbup', 'pergub', 'naskah_akademik', 'other', name='draftkind', native_enum=False, length=24), nullable=False),
    sa.Column('region', sa.String(length=120), nullable=False),
    sa.Column('status', sa.Enum('konsep', 'pembahasan', 'konsultasi_publik', 'perbaikan', 'final', 'diajukan', 'ditetapkan', 'ditarik', name='draftstatus', native_enum=False, length=24), nullable=False),
    sa.Column('structure_version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_drafts_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_drafts_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafts'))
    )
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_drafts_programme_id'), ['programme_id'], unique=False)

    op.create_table('draft_transitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.Enum('konsep', 'pembahasan', 'konsultasi_publik', 'perbaikan', 'final', 'diajukan', 'ditetapkan', 'ditarik', name='draftstatus', native_enum=False, length=24), nullable=False),
    sa.Column('to_status', sa.Enum('konsep', 'pembahasan', 'konsultasi_publik', 'perbaikan', 'final', 'diajukan', 'ditetapkan', 'ditarik', name='draftstatus', native_enum=False, length=24), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('at', app.types.UTCDateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_draft_transitions_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_draft_transitions_draft_id_drafts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_transitions'))
    )
    with op.batch_alter_table('draft_transitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_transitions_draft_id'), ['draft_id'], unique=False)

    op.create_table('draft_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('judul', 'menimbang', 'mengingat', 'poin', 'menetapkan', 'bab', 'bagian', 'paragraf', 'pasal', 'ayat', 'huruf', 'angka', 'penjelasan', 'teks', name='unitkind', native_enum=False, length=24), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('head_revision_id', sa.Integer(), nullable=True),
    sa.Column('revision_count', sa.Integer(), nullable=False),
    sa.Column('deleted_at', app.types.UTCDateTime(), nullable=True),
    sa.Column('created_at', app.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', app.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_draft_units_draft_id_drafts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['draft_units.id'], name=op.f('fk_draft_units_parent_id_draft_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_units'))
    )
    with op.batch_alter_table('draft_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_units_draft_id'), ['draft_id'], unique=False)
        batch_op.create_index('ix_draft_units_draft_parent_position', ['draft_id', 'parent_id', 'position'], unique=False)

    op.create_table('draft_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('snapshot', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_draft_versions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_draft_versions_draft_id_drafts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_versions'))
    )
    with op.batch_alter_table('draft_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_versions_draft_id'), ['draft_id'], unique=False)

    op.create_table('draft_cross_references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('source_unit_id', sa.Integer(), nullable=False),
    sa.Column('target_unit_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_draft_cross_references_draft_id_drafts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_unit_id'], ['draft_units.id'], name=op.f('fk_draft_cross_references_source_unit_id_draft_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_cross_references'))
    )
    with op.batch_alter_table('draft_cross_references', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_cross_references_draft_id'), ['draft_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_draft_cross_references_source_unit_id'), ['source_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_draft_cross_references_target_unit_id'), ['target_unit_id'], unique=False)

    op.create_table('draft_presence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('expires_at', app.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_draft_presence_draft_id_drafts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['draft_units.id'], name=op.f('fk_draft_presence_unit_id_draft_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_draft_presence_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_presence')),
    sa.UniqueConstraint('unit_id', 'user_id', name='uq_draft_presence_unit_user')
    )
    with op.batch_alter_table('draft_presence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_presence_draft_id'), ['draft_id'], unique=False)

    op.create_table('draft_unit_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('action', sa.Enum('created', 'edited', 'merged', 'restored', 'suggestion', 'imported', 'moved', 'deleted', name='revisionaction', native_enum=False, length=24), nullable=False),
    sa.Column('base_revision_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.types.UTCDateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_draft_unit_revisions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['base_revision_id'], ['draft_unit_revisions.id'], name=op.f('fk_draft_unit_revisions_base_revision_id_draft_unit_revisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_draft_unit_revisions_draft_id_drafts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['draft_units.id'], name=op.f('fk_draft_unit_revisions_unit_id_draft_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_unit_revisions')),
    sa.UniqueConstraint('unit_id', 'number', name='uq_draft_unit_revisions_unit_number')
    )
    with op.batch_alter_table('draft_unit_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_unit_revisions_draft_id'), ['draft_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_draft_unit_revisions_unit_id'), ['unit_id'], unique=False)

    # Units and revisions point at each other (the head pointer): add that key once both exist.
    with op.batch_alter_table('draft_units', schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f('fk_draft_units_head_revision_id_draft_unit_revisions'),
            'draft_unit_revisions', ['head_revision_id'], ['id'], ondelete='SET NULL',
        )

    op.create_table('draft_suggestions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('base_revision_id', sa.Integer(), nullable=True),
    sa.Column('base_text', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('element', sa.Enum('pemerintah', 'bisnis', 'akademisi', 'komunitas', 'media', name='element', native_enum=False, length=20), nullable=True),
    sa.Column('source_label', sa.String(length=300), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=False),
    sa.Column('status', sa.Enum('open', 'accepted', 'declined', name='suggestionstatus', native_enum=False, length=24), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.types.UTCDateTime(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('created_at', app.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_draft_suggestions_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['base_revision_id'], ['draft_unit_revisions.id'], name=op.f('fk_draft_suggestions_base_revision_id_draft_unit_revisions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_draft_suggestions_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_draft_suggestions_draft_id_drafts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['draft_units.id'], name=op.f('fk_draft_suggestions_unit_id_draft_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_suggestions'))
    )
    with op.batch_alter_table('draft_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_suggestions_draft_id'), ['draft_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_draft_suggestions_unit_id'), ['unit_id'], unique=False)

    op.create_table('draft_inputs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('suggestion_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('element', sa.Enum('pemerintah', 'bisnis', 'akademisi', 'komunitas', 'media', name='element', native_enum=False, length=20), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', app.types.UTCDateTime(), nullable=False),
    sa.Column('disposition', sa.Enum('diterima', 'diterima_sebagian', 'tidak_diterima', 'ditampung', name='disposition', native_enum=False, length=24), nullable=True),
    sa.Column('disposition_reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_draft_inputs_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_draft_inputs_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['draft_id'], ['drafts.id'], name=op.f('fk_draft_inputs_draft_id_drafts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['suggestion_id'], ['draft_suggestions.id'], name=op.f('fk_draft_inputs_suggestion_id_draft_suggestions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['draft_units.id'], name=op.f('fk_draft_inputs_unit_id_draft_units'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_inputs'))
    )
    with op.batch_alter_table('draft_inputs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_inputs_draft_id'), ['draft_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_draft_inputs_unit_id'), ['unit_id'], unique=False)



def downgrade():
    with op.batch_alter_table('draft_inputs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_inputs_unit_id'))
        batch_op.drop_index(batch_op.f('ix_draft_inputs_draft_id'))

    op.drop_table('draft_inputs')
    with op.batch_alter_table('draft_suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_suggestions_unit_id'))
        batch_op.drop_index(batch_op.f('ix_draft_suggestions_draft_id'))

    op.drop_table('draft_suggestions')
    with op.batch_alter_table('draft_units', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_draft_units_head_revision_id_draft_unit_revisions'), type_='foreignkey')

    with op.batch_alter_table('draft_unit_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_unit_revisions_unit_id'))
        batch_op.drop_index(batch_op.f('ix_draft_unit_revisions_draft_id'))

    op.drop_table('draft_unit_revisions')
    with op.batch_alter_table('draft_presence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_presence_draft_id'))

    op.drop_table('draft_presence')
    with op.batch_alter_table('draft_cross_references', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_cross_references_target_unit_id'))
        batch_op.drop_index(batch_op.f('ix_draft_cross_references_source_unit_id'))
        batch_op.drop_index(batch_op.f('ix_draft_cross_references_draft_id'))

    op.drop_table('draft_cross_references')
    with op.batch_alter_table('draft_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_versions_draft_id'))

    op.drop_table('draft_versions')
    with op.batch_alter_table('draft_units', schema=None) as batch_op:
        batch_op.drop_index('ix_draft_units_draft_parent_position')
        batch_op.drop_index(batch_op.f('ix_draft_units_draft_id'))

    op.drop_table('draft_units')
    with op.batch_alter_table('draft_transitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_transitions_draft_id'))

    op.drop_table('draft_transitions')
    with op.batch_alter_table('drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_drafts_programme_id'))

    op.drop_table('drafts')
