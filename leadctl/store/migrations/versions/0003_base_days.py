"""team edition: the days a lead's interval items count from

A change of a cadence interval recomputes every open lead's due days in SQL from the base days
kept on the row (domain.cadence.BaseDays): the last touch, an A lead's grading (and whether its
proposal is still outstanding), a B lead's grading or latest case. They are local days in the
team's time zone, which SQL cannot compute from the stored instants on both databases, so the
upgrade forgets the schedule basis: the next command recomputes every open lead from its facts
(with progress on stderr), filling them.
A follow-up keeps whether it said --done (the next action in force ended with it).
The grade index gains the unanswered streak: the nightly sweep for dormancy reads the few D
leads with enough unanswered attempts instead of every D lead.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("touch_on", "grade_set_on", "proposal_from", "case_from")


def upgrade() -> None:
    # nullable columns without a default: an ALTER TABLE on both databases, no table rebuild
    for name in COLUMNS:
        op.add_column("lead", sa.Column(name, sa.Date(), nullable=True))
    op.execute(sa.text("DELETE FROM setting WHERE key IN ('schedule_basis', 'schedule_calendar')"))
    op.drop_index("ix_lead_grade", table_name="lead")
    op.add_column(
        "follow_up", sa.Column("done", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_index("ix_lead_grade_streak", "lead", ["grade", "unanswered_streak"])


def downgrade() -> None:
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_column("done")
    op.drop_index("ix_lead_grade_streak", table_name="lead")
    op.create_index("ix_lead_grade", "lead", ["grade"])
    with op.batch_alter_table("lead", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
