"""A lead's record: add, edit, assign, show and list (grading: services/grading.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session

from leadctl.domain import lifecycle
from leadctl.domain.capture import (
    FIELD_WHAT,
    LeadDraft,
    capture,
    check_acquired,
    check_customer_type,
    check_email,
    check_phones,
    check_source,
    check_text,
    draft_lead,
)
from leadctl.domain.choices import NOT_CLOSED_STATUSES, Grade, Status, parse_choice
from leadctl.domain.leads import clean_text, customer_key
from leadctl.domain.lifecycle import Change, Entry
from leadctl.domain.phones import display_phone
from leadctl.domain.search import search_text, spelling_keys
from leadctl.domain.sources import SourceList
from leadctl.domain.team import Actor
from leadctl.errors import LeadctlError, RuleError
from leadctl.i18n import N_, _
from leadctl.services.common import Ctx, apply, get_lead, state, team_of
from leadctl.services.documents import LeadItems, lead_document, list_items, owned
from leadctl.services.finding import is_phone_ref, lead_by_phone
from leadctl.store import finding, queries
from leadctl.store.bulk import after_explicit_ids, next_id, write_leads
from leadctl.store.engine import LOCK_LEADS
from leadctl.store.tables import LEAD_TABLE, Lead


def find_duplicate(
    ctx: Ctx,
    session: Session,
    key: str | None,
    phones: Iterable[str],
    *,
    exclude: int | None = None,
) -> str | None:
    """Describe a not-closed lead with the same customer or one of the phones, if any."""
    if key is not None:
        hit = queries.duplicate_customer(session, key, exclude=exclude)
        if hit is not None:
            return customer_taken(hit[2], ctx.number(hit[0]), hit[1])
    found = queries.duplicate_phone(session, list(phones), exclude=exclude)
    if found is not None:
        phone = display_phone(found[2], ctx.settings.phone_region)
        return phone_taken(phone, ctx.number(found[0]), found[1])
    return None


def customer_taken(customer: str, number: str, owner: str | None) -> str:
    """The clause a duplicate customer is refused with (add, edit and import)."""
    return _("customer {customer!r} is already lead {number} ({owner})").format(
        customer=customer, number=number, owner=owned(owner)
    )


def phone_taken(phone: str, number: str, owner: str | None) -> str:
    """The clause a duplicate phone is refused with (add, edit and import)."""
    return _("phone {phone} is already on lead {number} ({owner})").format(
        phone=phone, number=number, owner=owned(owner)
    )


def _duplicate_error(found: str) -> RuleError:
    return RuleError(
        _(
            "Duplicate: {found}. Follow up that lead, or pass --allow-duplicate to add it anyway."
        ).format(found=found)
    )


def insert_lead(ctx: Ctx, session: Session, draft: LeadDraft) -> Lead:
    """Write one checked lead as import writes its rows (the caller holds the leads lock)."""
    settings = ctx.settings
    lead = capture(
        draft,
        now=ctx.now,
        who=Actor(ctx.user),  # `add` takes no grade: no grading right is needed
        rules=settings.cadence,
        tz=settings.clock.tz,
        calendar=settings.calendar,
        pool=settings.pool,
    )
    connection = session.connection()
    lead_id = next_id(connection, LEAD_TABLE)
    write_leads(connection, [lead], lead_id, at=ctx.now, by=ctx.user)
    after_explicit_ids(connection, LEAD_TABLE, lead_id)
    row = queries.lead_by_id(session, lead_id)
    assert row is not None
    return row


def add_lead(
    ctx: Ctx,
    *,
    customer: str,
    phones: list[str],
    source: str | None,
    need: str | None,
    customer_type: str | None = None,
    contact: str | None = None,
    email: str | None = None,
    wechat: str | None = None,
    acquired: str | None = None,
    owner: str | None = None,
    allow_duplicate: bool = False,
    new_source: bool = False,
) -> dict[str, Any]:
    draft = draft_lead(
        customer=customer,
        phones=phones,
        source=source,
        need=need,
        today=ctx.today,
        owner=owner or ctx.user,
        region=ctx.settings.phone_region,
        customer_type=customer_type,
        contact=contact,
        email=email,
        wechat=wechat,
        acquired=acquired,
        sources=ctx.settings.sources,
        new_source=new_source,
    )
    store = ctx.store
    with store.write() as session:
        store.serialize(session, LOCK_LEADS)
        assert draft.owner is not None
        team_of(ctx, session, N_("add leads")).owner(draft.owner)
        if not allow_duplicate:
            found = find_duplicate(ctx, session, draft.customer_key, draft.phones)
            if found:
                raise _duplicate_error(found)
        lead = insert_lead(ctx, session, draft)
        return lead_document(ctx, session, lead)


def assign_lead(ctx: Ctx, ref: str, rep: str) -> dict[str, Any]:
    new_owner = clean_text(rep, N_("rep name"), required=True)
    assert new_owner is not None
    store = ctx.store
    with store.write() as session:
        team = team_of(ctx, session, N_("assign leads"))
        team.owner(new_owner)
        lead = get_lead(ctx, session, ref, for_update=True)
        apply(
            ctx, session, lead, lifecycle.assign(state(ctx, lead), new_owner, team.actor, ctx.today)
        )
        return lead_document(ctx, session, lead)


EDITABLE = ("customer", "customer_type", "contact", "email", "wechat", "source", "need")
SEARCHED = ("customer", "contact", "wechat", "email")  # what find looks in (search_text's order)


def edit_lead(
    ctx: Ctx,
    ref: str,
    *,
    changes: dict[str, str | None],
    phones: list[str] | None = None,
    add_phones: list[str] | None = None,
    remove_phones: list[str] | None = None,
    acquired: str | None = None,
    new_source: bool = False,
) -> dict[str, Any]:
    """Fix what was captured, with the same checks as add; each change goes into history."""
    given = {k: v for k, v in changes.items() if v is not None}
    if not given and not phones and not add_phones and not remove_phones and acquired is None:
        raise LeadctlError(
            _("Nothing to edit: give at least one field, e.g. --contact 张经理 or --add-phone …")
        )
    checked: dict[str, Any] = {}
    for name, value in given.items():
        if name == "customer_type":
            checked[name] = check_customer_type(value).value
        elif name == "email":
            checked[name] = check_email(value)
        elif name == "source":
            checked[name] = check_source(value, ctx.settings.sources, new_source=new_source)
        elif name in ("customer", "need"):
            checked[name] = check_text(name, value, FIELD_WHAT[name], required=True)
        else:
            checked[name] = check_text(name, value, FIELD_WHAT[name])
    region = ctx.settings.phone_region
    new_phones = check_phones(phones, region) if phones else None
    extra = check_phones(add_phones, region) if add_phones else []
    dropped = check_phones(remove_phones, region) if remove_phones else []
    day = check_acquired(acquired, ctx.today) if acquired is not None else None

    store = ctx.store
    with store.write() as session:
        store.serialize(session, LOCK_LEADS)
        team_of(ctx, session, N_("edit leads"))
        lead = get_lead(ctx, session, ref, for_update=True)
        assert lead.id is not None
        number = ctx.number(lead.id)
        current = queries.lead_phones(session, lead.id)
        wanted = list(new_phones) if new_phones is not None else list(current)
        for e164 in extra:
            if e164 not in wanted:
                wanted.append(e164)
        for e164 in dropped:
            if e164 not in wanted:
                raise LeadctlError(
                    _("{number} has no phone {phone} to remove.").format(
                        number=number, phone=display_phone(e164, region)
                    )
                )
            wanted.remove(e164)
        if not wanted:
            raise LeadctlError(
                _(
                    "{number} must keep at least one phone; add another before removing this one."
                ).format(number=number)
            )
        diffs: list[dict[str, Any]] = []
        for name, value in checked.items():
            old = getattr(lead, name)
            if old != value:
                diffs.append({"field": name, "old": old, "new": value})
        if day is not None and day != lead.acquired_on:
            diffs.append({"field": "acquired_on", "old": lead.acquired_on, "new": day})
        if wanted != current:
            diffs.append({"field": "phones", "old": current, "new": wanted})
        if not diffs:
            return lead_document(ctx, session, lead)
        key = customer_key(checked.get("customer", lead.customer))
        added = [p for p in wanted if p not in current]
        if lead.status in NOT_CLOSED_STATUSES and ("customer" in checked or added):
            found = find_duplicate(
                ctx, session, key if "customer" in checked else None, added, exclude=lead.id
            )
            if found:
                raise RuleError(_("Duplicate: {found}. Nothing was changed.").format(found=found))
        fields: dict[str, Any] = {**checked, "customer_key": key}
        if {"customer", "contact", "wechat", "email"} & set(checked):
            now = {name: checked.get(name, getattr(lead, name)) for name in SEARCHED}
            fields["search_text"] = search_text(*now.values())
            if {"customer", "contact"} & set(checked):
                finding.replace_keys(
                    session, lead.id, spelling_keys(now["customer"], now["contact"])
                )
        if day is not None:
            if lead.ungraded_since == lead.acquired_on and lead.status == Status.NEW:
                fields["ungraded_since"] = day
            fields["acquired_on"] = day
        if wanted != current:
            queries.replace_phones(session, lead.id, wanted)
        apply(ctx, session, lead, Change(fields, [Entry("edited", {"changes": diffs})]))
        return lead_document(ctx, session, lead)


def show_lead(ctx: Ctx, ref: str) -> dict[str, Any]:
    """The lead by its number, or by a phone it holds (SPEC §6.4)."""
    with ctx.store.read() as session:
        lead = (
            lead_by_phone(ctx, session, ref) if is_phone_ref(ref) else get_lead(ctx, session, ref)
        )
        return lead_document(ctx, session, lead)


def list_filter(
    *,
    status: str | None = None,
    grade: str | None = None,
    owner: str | None = None,
    source: str | None = None,
    pooled: bool = False,
    sources: SourceList | None = None,
    in_use: Iterable[str] = (),
) -> Any:
    """The filter shared by `list`, `export` and `pool`, its choices checked. A source on the
    team's list matches its name, its aliases and the spellings `in_use` of either (leads
    stored before the list may carry any)."""
    return queries.list_filter(
        status=parse_choice(Status, status).value if status else None,
        grade=parse_choice(Grade, grade).value if grade else None,
        owner=owner,
        sources=(sources or SourceList()).spellings(source, in_use) if source else None,
        pooled=pooled,
    )


def sources_in_use(session: Any, sources: SourceList | None, source: str | None) -> list[str]:
    """The spellings written on leads, when a filter on `source` needs them: only for a
    source on the team's list (one DISTINCT over the source index)."""
    if not source or not sources or sources.canonical(source) is None:
        return []
    return queries.sources_in_use(session)


def list_leads(ctx: Ctx, **filters: Any) -> LeadItems:
    sources = ctx.settings.sources
    list_filter(**filters, sources=sources)  # choices checked before the database is read
    with ctx.store.read() as session:
        in_use = sources_in_use(session, sources, filters.get("source"))
        rows = queries.list_rows(session, list_filter(**filters, sources=sources, in_use=in_use))
    return list_items(ctx, rows)
