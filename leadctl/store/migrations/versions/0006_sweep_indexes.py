"""team edition: the nightly sweep and the pool read from their indexes (issue 14's figures)

- `lead.lost_reason`: a lost lead's loss reason, its latest outcome's (filled in here). The
  sweep wakes lost leads by it; before, every night read each lost lead's latest outcome, and a
  lead lost for a reason that never wakes (a competitor) was read again each night, for ever.
- `ix_lead_resting` (status, lost_reason, rested_on) over the leads not woken yet replaces
  `ix_lead_woken_rested` (status, rested_on).
- `ix_lead_grade_streak` gains the status: open D leads with unanswered attempts in a row are
  found in the index (dormant ones keep their streak).
- SQLite only, `ix_lead_pool_list`: `pool` lists from the index alone (PostgreSQL refuses index
  entries past ~2.7 kB, and a customer's name may be longer).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOT_WOKEN = sa.text("woken_on IS NULL")
POOLED = sa.text("owner IS NULL")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column(
        "lead",
        sa.Column("lost_reason", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    )
    lead = sa.table("lead", sa.column("id"), sa.column("status"), sa.column("lost_reason"))
    outcome = sa.table("outcome", sa.column("id"), sa.column("lead_id"), sa.column("reason"))
    latest = (
        sa.select(outcome.c.reason)
        .where(outcome.c.lead_id == lead.c.id)
        .order_by(outcome.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    op.execute(lead.update().where(lead.c.status == "lost").values(lost_reason=latest))
    op.drop_index("ix_lead_woken_rested", table_name="lead")
    op.create_index(
        "ix_lead_resting",
        "lead",
        ["status", "lost_reason", "rested_on"],
        sqlite_where=NOT_WOKEN,
        postgresql_where=NOT_WOKEN,
    )
    op.drop_index("ix_lead_grade_streak", table_name="lead")
    op.create_index("ix_lead_grade_streak", "lead", ["grade", "unanswered_streak", "status"])
    if sqlite:
        op.create_index(
            "ix_lead_pool_list",
            "lead",
            ["owner", "id", "customer", "status", "grade", "source", "due_on"],
            sqlite_where=POOLED,
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_lead_pool_list", table_name="lead")
    op.drop_index("ix_lead_grade_streak", table_name="lead")
    op.create_index("ix_lead_grade_streak", "lead", ["grade", "unanswered_streak"])
    op.drop_index("ix_lead_resting", table_name="lead")
    op.create_index("ix_lead_woken_rested", "lead", ["status", "rested_on"])
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_column("lost_reason")
