"""team edition: settings kept in the database, and the team's roster

`setting` holds the basis of the stored due days (the calendar and cadence they were computed
with), so a change of settings recomputes them, and the team's settings (SPEC §6.2).
`member` is the roster; while it is empty leadctl is single-user, as the first release was.
The public pool (公海): a lead's owner may be empty (on SQLite a table rebuild), and a lead keeps
its previous owner, the day it went to the pool, and the day its recycling clock starts from
(set here for open leads from their latest contact or creation, as a UTC day).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "member",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("added_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("added_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )

    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.alter_column("owner", existing_type=sa.Text(), nullable=True)
        batch_op.add_column(sa.Column("previous_owner", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("released_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("recycle_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("plain_due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("plain_deadline_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("plain_proposal_due_on", sa.Date(), nullable=True))
        recyclable = "recycle_from IS NOT NULL"
        batch_op.create_index(
            "ix_lead_recycle",
            ["recycle_from"],
            unique=False,
            sqlite_where=sa.text(recyclable),
            postgresql_where=sa.text(recyclable),
        )
        batch_op.create_index(
            "ix_lead_pool",
            ["id"],
            unique=False,
            sqlite_where=sa.text("owner IS NULL"),
            postgresql_where=sa.text("owner IS NULL"),
        )
    day = (
        "substr(coalesce(last_contact_at, created_at), 1, 10)"
        if op.get_bind().dialect.name == "sqlite"
        else "CAST(coalesce(last_contact_at, created_at) AS DATE)"
    )
    op.execute(f"UPDATE lead SET recycle_from = {day} WHERE status IN ('new', 'active')")
    # the first release counted calendar days: its stored days are the plain ones
    op.execute(
        "UPDATE lead SET plain_due_on = due_on, plain_deadline_on = deadline_on, "
        "plain_proposal_due_on = proposal_due_on"
    )
    with op.batch_alter_table("wake_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recycled", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("wake_run", schema=None) as batch_op:
        batch_op.drop_column("recycled")
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_pool")
        batch_op.drop_index("ix_lead_recycle")
        batch_op.drop_column("plain_proposal_due_on")
        batch_op.drop_column("plain_deadline_on")
        batch_op.drop_column("plain_due_on")
        batch_op.drop_column("recycle_from")
        batch_op.drop_column("released_on")
        batch_op.drop_column("previous_owner")
        batch_op.alter_column("owner", existing_type=sa.Text(), nullable=False)
    op.drop_table("member")
    op.drop_table("setting")
