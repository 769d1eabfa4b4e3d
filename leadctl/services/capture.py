"""Capture and the lead's record: add, edit, grade, confirm, assign, show, list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from leadctl.domain.capture import (
    FIELD_WHAT,
    LeadDraft,
    check_acquired,
    check_customer_type,
    check_email,
    check_phones,
    check_text,
    draft_lead,
)
from leadctl.domain.choices import NOT_CLOSED_STATUSES, OPEN_STATUSES, Grade, Status, parse_choice
from leadctl.domain.leads import clean_text, customer_key
from leadctl.errors import LeadctlError, RuleError
from leadctl.services.common import Ctx, get_lead, record, refresh_schedule, require_status
from leadctl.services.documents import lead_document, lead_phones
from leadctl.store.engine import LOCK_LEADS
from leadctl.store.tables import Lead, Phone


def find_duplicate(
    ctx: Ctx,
    session: Session,
    key: str | None,
    phones: Iterable[str],
    *,
    exclude: int | None = None,
) -> str | None:
    """Describe a not-closed lead with the same customer or one of the phones, if any."""
    phones = list(phones)
    open_statuses = [s.value for s in NOT_CLOSED_STATUSES]
    if key is not None:
        by_name = select(Lead.id, Lead.owner, Lead.customer).where(
            Lead.customer_key == key, col(Lead.status).in_(open_statuses)
        )
        if exclude is not None:
            by_name = by_name.where(Lead.id != exclude)
        hit = session.exec(by_name.limit(1)).first()
        if hit is not None:
            return f"customer {hit[2]!r} is already lead {ctx.number(hit[0])} (owner {hit[1]})"
    if phones:
        by_phone = (
            select(Lead.id, Lead.owner, Phone.e164)
            .join(Phone, col(Phone.lead_id) == Lead.id)
            .where(col(Phone.e164).in_(phones), col(Lead.status).in_(open_statuses))
        )
        if exclude is not None:
            by_phone = by_phone.where(Lead.id != exclude)
        hit = session.exec(by_phone.limit(1)).first()
        if hit is not None:
            return f"phone {hit[2]} is already on lead {ctx.number(hit[0])} (owner {hit[1]})"
    return None


def _duplicate_error(found: str) -> RuleError:
    return RuleError(
        f"Duplicate: {found}. Follow up that lead, or pass --allow-duplicate to add it anyway."
    )


def insert_lead(ctx: Ctx, session: Session, draft: LeadDraft) -> Lead:
    """Write one checked lead with its phones and its `created` (and `graded`) history."""
    now = ctx.now
    lead = Lead(
        customer=draft.customer,
        customer_key=draft.customer_key,
        customer_type=draft.customer_type.value,
        contact=draft.contact,
        email=draft.email,
        wechat=draft.wechat,
        source=draft.source,
        need=draft.need,
        acquired_on=draft.acquired_on,
        owner=draft.owner,
        status=Status.NEW.value,
        ungraded_since=draft.acquired_on,
        created_at=now,
        updated_at=now,
    )
    session.add(lead)
    session.flush()
    assert lead.id is not None
    for position, e164 in enumerate(draft.phones):
        session.add(Phone(lead_id=lead.id, e164=e164, position=position))
    record(ctx, session, lead, "created", owner=draft.owner, source=draft.source)
    if draft.grade is not None:
        apply_grade(ctx, session, lead, draft.grade, draft.grade_reason or "")
    refresh_schedule(ctx, lead)
    return lead


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
    )
    store = ctx.store
    with store.write() as session:
        store.serialize(session, LOCK_LEADS)
        if not allow_duplicate:
            found = find_duplicate(ctx, session, draft.customer_key, draft.phones)
            if found:
                raise _duplicate_error(found)
        lead = insert_lead(ctx, session, draft)
        return lead_document(ctx, session, lead)


def apply_grade(ctx: Ctx, session: Session, lead: Lead, grade: Grade, reason: str) -> None:
    previous = lead.grade
    lead.grade = grade.value
    lead.grade_reason = reason
    lead.graded_at = ctx.now
    lead.graded_by = ctx.user
    if previous != grade.value:
        lead.grade_set_at = ctx.now
        lead.proposal_done_on = None
    lead.grade_confirmed_at = None
    lead.grade_confirmed_by = None
    lead.ungraded_since = None
    if lead.status == Status.NEW:
        lead.status = Status.ACTIVE.value
    record(ctx, session, lead, "graded", grade=grade.value, previous=previous, reason=reason)


def grade_lead(ctx: Ctx, ref: str, grade_text: str, reason: str | None) -> dict[str, Any]:
    grade = parse_choice(Grade, grade_text)
    why = clean_text(reason, "grade reason")
    if why is None:
        raise LeadctlError(
            f'Grade {grade.value} needs a reason: add --reason "…" (分级依据), e.g. '
            '--reason "预算30万, 一个月内决策".'
        )
    store = ctx.store
    with store.write() as session:
        lead = get_lead(ctx, session, ref, for_update=True)
        require_status(ctx, lead, OPEN_STATUSES, "graded")
        apply_grade(ctx, session, lead, grade, why)
        refresh_schedule(ctx, lead)
        return lead_document(ctx, session, lead)


def confirm_grade(ctx: Ctx, ref: str) -> dict[str, Any]:
    store = ctx.store
    with store.write() as session:
        lead = get_lead(ctx, session, ref, for_update=True)
        number = ctx.number(lead.id)
        if lead.grade is None:
            raise RuleError(f"{number} has no grade to confirm; grade it first.")
        if lead.grade_confirmed_at is not None:
            raise RuleError(
                f"{number}'s grade {lead.grade} was already confirmed by {lead.grade_confirmed_by}."
            )
        lead.grade_confirmed_at = ctx.now
        lead.grade_confirmed_by = ctx.user
        lead.updated_at = ctx.now
        record(ctx, session, lead, "grade_confirmed", grade=lead.grade, graded_by=lead.graded_by)
        return lead_document(ctx, session, lead)


def assign_lead(ctx: Ctx, ref: str, rep: str) -> dict[str, Any]:
    new_owner = clean_text(rep, "rep name", required=True)
    assert new_owner is not None
    store = ctx.store
    with store.write() as session:
        lead = get_lead(ctx, session, ref, for_update=True)
        if lead.owner == new_owner:
            raise RuleError(f"{ctx.number(lead.id)} already belongs to {new_owner}.")
        previous = lead.owner
        lead.owner = new_owner
        refresh_schedule(ctx, lead)
        record(ctx, session, lead, "assigned", previous=previous, owner=new_owner)
        return lead_document(ctx, session, lead)


EDITABLE = ("customer", "customer_type", "contact", "email", "wechat", "source", "need")


def edit_lead(
    ctx: Ctx,
    ref: str,
    *,
    changes: dict[str, str | None],
    phones: list[str] | None = None,
    add_phones: list[str] | None = None,
    remove_phones: list[str] | None = None,
    acquired: str | None = None,
) -> dict[str, Any]:
    """Fix what was captured, with the same checks as add; each change goes into history."""
    given = {k: v for k, v in changes.items() if v is not None}
    if not given and not phones and not add_phones and not remove_phones and acquired is None:
        raise LeadctlError(
            "Nothing to edit: give at least one field, e.g. --contact 张经理 or --add-phone …"
        )
    checked: dict[str, Any] = {}
    for name, value in given.items():
        if name == "customer_type":
            checked[name] = check_customer_type(value).value
        elif name == "email":
            checked[name] = check_email(value)
        elif name in ("customer", "source", "need"):
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
        lead = get_lead(ctx, session, ref, for_update=True)
        assert lead.id is not None
        number = ctx.number(lead.id)
        current = lead_phones(session, lead.id)
        wanted = list(new_phones) if new_phones is not None else list(current)
        for e164 in extra:
            if e164 not in wanted:
                wanted.append(e164)
        for e164 in dropped:
            if e164 not in wanted:
                raise LeadctlError(f"{number} has no phone {e164} to remove.")
            wanted.remove(e164)
        if not wanted:
            raise LeadctlError(
                f"{number} must keep at least one phone; add another before removing this one."
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
                raise RuleError(f"Duplicate: {found}. Nothing was changed.")
        for name, value in checked.items():
            setattr(lead, name, value)
        lead.customer_key = key
        if day is not None:
            if lead.ungraded_since == lead.acquired_on and lead.status == Status.NEW:
                lead.ungraded_since = day
            lead.acquired_on = day
        if wanted != current:
            session.execute(Phone.__table__.delete().where(Phone.__table__.c.lead_id == lead.id))  # type: ignore[attr-defined]
            for position, e164 in enumerate(wanted):
                session.add(Phone(lead_id=lead.id, e164=e164, position=position))
        refresh_schedule(ctx, lead)
        record(ctx, session, lead, "edited", changes=diffs)
        return lead_document(ctx, session, lead)


def show_lead(ctx: Ctx, ref: str) -> dict[str, Any]:
    with ctx.store.read() as session:
        return lead_document(ctx, session, get_lead(ctx, session, ref))


LIST_COLUMNS = ("id", "customer", "status", "grade", "owner", "source", "due_on")


def list_statement(
    ctx: Ctx,
    *,
    status: str | None = None,
    grade: str | None = None,
    owner: str | None = None,
    source: str | None = None,
) -> Any:
    """The filtered lead query shared by `list` and `export` (only list's own columns)."""
    statement = sa_select(*(getattr(Lead, name) for name in LIST_COLUMNS))
    if status:
        statement = statement.where(col(Lead.status) == parse_choice(Status, status).value)
    if grade:
        statement = statement.where(col(Lead.grade) == parse_choice(Grade, grade).value)
    if owner:
        statement = statement.where(col(Lead.owner) == owner)
    if source:
        statement = statement.where(col(Lead.source) == source)
    return statement.order_by(col(Lead.id))


def list_leads(ctx: Ctx, **filters: str | None) -> list[dict[str, Any]]:
    statement = list_statement(ctx, **filters)
    with ctx.store.read() as session:
        rows = session.execute(statement).all()
    return [
        {
            "number": ctx.number(lead_id),
            "customer": customer,
            "status": status,
            "grade": grade,
            "owner": owner,
            "source": source,
            "due_on": due_on,
        }
        for lead_id, customer, status, grade, owner, source, due_on in rows
    ]
