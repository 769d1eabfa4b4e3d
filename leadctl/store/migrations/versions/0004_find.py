"""team edition: find, show by phone, near-duplicate names

What `find` looks leads up by (domain.search): each phone's digits last first (an indexed prefix
range finds the phones that end with some digits); each lead's folded customer, contact, WeChat
id and email (`search_text`, scanned through two partial indexes on SQLite: the leads not
closed, and the closed ones); and `lead_key`, the pinyin and initials of the first characters
of its customer and contact, every reading counting. The customer key now leaves out bracketed
text and company suffixes, so the duplicate check sees `杭州云栖科技` in `杭州云栖科技有限公司`.

Pinyin is Python's (pypinyin), so the existing leads are filled here, a range of leads at a time
(progress on stderr from PROGRESS_FROM leads), in the migration's transaction: a database at
0004 always has every key.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 20_000
PREFIX_TEXT = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
OPEN = "status NOT IN ('won', 'lost')"
CLOSED = "status NOT IN ('new', 'active', 'opportunity', 'dormant')"


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.add_column("lead", sa.Column("search_text", sa.Text(), nullable=True))
    op.add_column("phone", sa.Column("digits_reversed", PREFIX_TEXT, nullable=True))
    op.create_table(
        "lead_key",
        sa.Column("key", PREFIX_TEXT, nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["lead.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key", "lead_id"),
        sqlite_with_rowid=False,
    )
    config = op.get_context().config
    progress = config.attributes.get("progress") if config is not None else None
    _fill(bind, progress)
    # indexes after the rows: one pass each instead of an insert per row
    op.create_index("ix_lead_key_lead", "lead_key", ["lead_id"])
    op.create_index("ix_phone_digits_reversed", "phone", ["digits_reversed"])
    if sqlite:
        op.create_index(
            "ix_lead_find_open", "lead", ["search_text", "status"], sqlite_where=sa.text(OPEN)
        )
        op.create_index(
            "ix_lead_find_closed", "lead", ["search_text", "status"], sqlite_where=sa.text(CLOSED)
        )


def _fill(bind: Any, progress: Callable[[str, int, int], None] | None) -> None:
    from leadctl.domain.leads import customer_key
    from leadctl.domain.search import digits_reversed, search_text, spelling_keys
    from leadctl.store.bulk import insert_rows

    lead = sa.table(
        "lead",
        sa.column("id"), sa.column("customer"), sa.column("contact"), sa.column("wechat"),
        sa.column("email"), sa.column("customer_key"), sa.column("search_text"),
    )  # fmt: skip
    phone = sa.table("phone", sa.column("id"), sa.column("e164"), sa.column("digits_reversed"))
    keys = sa.table("lead_key", sa.column("key"), sa.column("lead_id"))
    total = bind.execute(sa.select(sa.func.count()).select_from(lead)).scalar() or 0
    set_lead = (
        sa.update(lead)
        .where(lead.c.id == sa.bindparam("b_id"))
        .values(customer_key=sa.bindparam("b_key"), search_text=sa.bindparam("b_text"))
    )
    after, done = 0, 0
    while True:
        rows = bind.execute(
            sa.select(lead.c.id, lead.c.customer, lead.c.contact, lead.c.wechat, lead.c.email)
            .where(lead.c.id > after)
            .order_by(lead.c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            break
        if progress is not None:
            progress("Building the find index", done, total)
        updates: list[dict[str, Any]] = []
        found: list[tuple[Any, ...]] = []
        for lead_id, customer, contact, wechat, email in rows:
            updates.append({
                "b_id": lead_id, "b_key": customer_key(customer),
                "b_text": search_text(customer, contact, wechat, email),
            })  # fmt: skip
            found.extend((key, lead_id) for key in spelling_keys(customer, contact))
        bind.execute(set_lead, updates)
        insert_rows(bind, keys, ("key", "lead_id"), found)
        after, done = rows[-1][0], done + len(rows)
    if progress is not None and total:
        progress("Building the find index", total, total)
    set_phone = (
        sa.update(phone)
        .where(phone.c.id == sa.bindparam("b_id"))
        .values(digits_reversed=sa.bindparam("b_digits"))
    )
    after = 0
    while True:
        numbers = bind.execute(
            sa.select(phone.c.id, phone.c.e164)
            .where(phone.c.id > after)
            .order_by(phone.c.id)
            .limit(CHUNK)
        ).all()
        if not numbers:
            break
        bind.execute(
            set_phone, [{"b_id": i, "b_digits": digits_reversed(e164)} for i, e164 in numbers]
        )
        after = numbers[-1][0]


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.drop_index("ix_lead_find_closed", "lead")
        op.drop_index("ix_lead_find_open", "lead")
    op.drop_index("ix_phone_digits_reversed", "phone")
    op.drop_table("lead_key")
    with op.batch_alter_table("phone", schema=None) as batch_op:
        batch_op.drop_column("digits_reversed")
    with op.batch_alter_table("lead", schema=None) as batch_op:
        batch_op.drop_column("search_text")
    # customer keys stay as 0004 computed them: the first release's exact keys are a subset
