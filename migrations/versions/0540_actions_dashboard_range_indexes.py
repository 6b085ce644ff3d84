"""actions: indexes that let the dashboard count along index ranges

Revision ID: 0540
Revises: 0530
Create Date: 2026-12-04 20:30:00

Measured at 20,000 actions in one programme (bench/work/dev.db, SQLite): the dashboard's weekly
series evaluated a 12-way CASE per action for the week it was created and the week it was finished
(18 ms of a 57 ms page); counted as ranges of (programme_id, created_at) and (programme_id,
completed_at) it takes ~2 ms. The completion per source meeting looked up each action of the ten
latest meetings in the table (9 ms); with status, due date and progress in the meeting index it reads
the index only (2 ms), and the filter's list of meetings still does.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0540'
down_revision = '0530'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_actions_programme_created', 'actions', ['programme_id', 'created_at', 'status'])
    op.create_index('ix_actions_programme_completed', 'actions', ['programme_id', 'completed_at', 'status'])
    op.create_index(
        'ix_actions_programme_meeting_status', 'actions',
        ['programme_id', 'meeting_id', 'status', 'due_date', 'progress', 'meeting_label'],
    )
    op.drop_index('ix_actions_programme_meeting', table_name='actions')


def downgrade():
    op.create_index('ix_actions_programme_meeting', 'actions', ['programme_id', 'meeting_id', 'meeting_label'])
    for name in ('ix_actions_programme_meeting_status', 'ix_actions_programme_completed', 'ix_actions_programme_created'):
        op.drop_index(name, table_name='actions')
