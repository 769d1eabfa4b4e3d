"""What a captured lead must hold (SPEC §1), checked before anything is written.

Shared by `add`, `edit` and `import`, so the three refuse the same things with the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from functools import cached_property
from typing import Any

from leadctl.domain.cadence import CadenceRules, PoolRules, stored_schedule
from leadctl.domain.choices import CustomerType, Grade, Status, parse_choice
from leadctl.domain.dates import parse_day
from leadctl.domain.halfwidth import half_width
from leadctl.domain.leads import clean_text, customer_key
from leadctl.domain.lifecycle import Entry, LeadState, grade, new_lead
from leadctl.domain.phones import normalise_phones
from leadctl.domain.said import said
from leadctl.domain.search import search_text, spelling_keys
from leadctl.domain.sources import SourceList
from leadctl.domain.team import Actor
from leadctl.domain.workcal import WorkCalendar
from leadctl.errors import LeadctlError
from leadctl.i18n import N_

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# how messages name each text field, the same in add, edit and import
FIELD_WHAT = {
    "customer": N_("customer name"),
    "contact": N_("contact person"),
    "wechat": N_("WeChat id"),
    "source": N_("source (线索来源)"),
    "need": N_("initial need (初步需求)"),
    "note": N_("note (备注)"),
}


class FieldError(LeadctlError):
    """A bad value in one field of the capture form; `field` names it (for import's table).

    Its message is a `Said` (domain.said): shown in the interface's language, and in English
    as `english(exc.message)` for import's JSON, which never changes with the language."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class LeadDraft:
    customer: str
    customer_type: CustomerType
    contact: str | None
    phones: list[str]  # E.164, at least one
    email: str | None
    wechat: str | None
    source: str
    need: str
    acquired_on: date
    owner: str | None  # None: into the pool (import --to-pool)
    grade: Grade | None = None
    grade_reason: str | None = None
    note: str | None = None  # the form's 备注: kept in the `created` history entry

    @cached_property
    def customer_key(self) -> str:
        return customer_key(self.customer)


def check_text(field: str, value: str | None, what: str, *, required: bool = False) -> str | None:
    try:
        return clean_text(value, what, required=required)
    except LeadctlError as exc:
        raise FieldError(field, exc.message) from None


def check_phones(values: list[str], region: str) -> list[str]:
    cleaned = [v for v in values if v and v.strip()]
    if not cleaned:
        raise FieldError(
            "phone",
            said(
                N_(
                    "At least one phone number is required (an email alone is not enough): "
                    "add --phone 13800138000."
                )
            ),
        )
    try:
        return normalise_phones(cleaned, region)
    except LeadctlError as exc:
        raise FieldError("phone", exc.message) from None


def check_source(value: str | None, sources: SourceList | None, *, new_source: bool = False) -> str:
    """The source as it is stored: required, and with a team list (`[sources]`) one of its
    names or aliases (stored by the name) unless `new_source`."""
    text = check_text("source", value, FIELD_WHAT["source"], required=True)
    assert text is not None
    if sources is None:
        return text
    try:
        return sources.check(text, new_source=new_source)
    except LeadctlError as exc:
        raise FieldError("source", exc.message) from None


def check_email(value: str | None) -> str | None:
    email = check_text("email", half_width(value) if value else value, N_("email"))
    if email is not None and not _EMAIL.match(email):
        raise FieldError(
            "email",
            said(N_("Email {email!r} is not an email address (name@example.com)."), email=email),
        )
    return email


def check_customer_type(value: str | None) -> CustomerType:
    if value is None or not value.strip():
        return CustomerType.COMPANY
    try:
        return parse_choice(CustomerType, value)
    except LeadctlError as exc:
        raise FieldError("customer_type", exc.message) from None


def check_acquired(value: str | date | None, today: date) -> date:
    if value is None or (isinstance(value, str) and not value.strip()):
        return today
    if isinstance(value, date):
        day = value
    else:
        try:
            day = parse_day(value, today, what=N_("acquired date"), direction="past")
        except LeadctlError as exc:
            raise FieldError("acquired_on", exc.message) from None
    if day > today:
        raise FieldError(
            "acquired_on",
            said(
                N_("The acquired date {day} is in the future; use today or earlier."),
                day=day.isoformat(),
            ),
        )
    return day


def check_grade(value: str | None, reason: str | None) -> tuple[Grade | None, str | None]:
    if value is None or not value.strip():
        if reason and reason.strip():
            raise FieldError("grade", said(N_("A grade reason was given without a grade.")))
        return None, None
    try:
        grade = parse_choice(Grade, value)
    except LeadctlError as exc:
        raise FieldError("grade", exc.message) from None
    text = check_text("grade_reason", reason, N_("grade reason"))
    if text is None:
        raise FieldError(
            "grade_reason",
            said(N_("Grade {grade} needs a reason (分级依据): why this grade?"), grade=grade.value),
        )
    return grade, text


def draft_lead(
    *,
    customer: str | None,
    phones: list[str],
    source: str | None,
    need: str | None,
    today: date,
    owner: str | None,
    region: str = "CN",
    customer_type: str | None = None,
    contact: str | None = None,
    email: str | None = None,
    wechat: str | None = None,
    acquired: str | date | None = None,
    grade: str | None = None,
    grade_reason: str | None = None,
    sources: SourceList | None = None,
    new_source: bool = False,
    note: str | None = None,
) -> LeadDraft:
    """Check every field of a new lead; the first bad one raises FieldError. With the team's
    list of sources, the source must be on it (stored by its name) unless `new_source`."""
    name = check_text("customer", customer, FIELD_WHAT["customer"], required=True)
    assert name is not None
    lead_source = check_source(source, sources, new_source=new_source)
    lead_need = check_text("need", need, FIELD_WHAT["need"], required=True)
    assert lead_need is not None
    owner_name = (
        check_text("owner", owner, N_("owner"), required=True) if owner is not None else None
    )
    the_grade, the_reason = check_grade(grade, grade_reason)
    return LeadDraft(
        customer=name,
        customer_type=check_customer_type(customer_type),
        contact=check_text("contact", contact, FIELD_WHAT["contact"]),
        phones=check_phones(phones, region),
        email=check_email(email),
        wechat=check_text("wechat", wechat, FIELD_WHAT["wechat"]),
        source=lead_source,
        need=lead_need,
        acquired_on=check_acquired(acquired, today),
        owner=owner_name,
        grade=the_grade,
        grade_reason=the_reason,
        note=check_text("note", note, FIELD_WHAT["note"]),
    )


@dataclass
class NewLead:
    """A captured lead as it is written: every column of its row, its phones, its history,
    the keys `find` looks it up by. `add` and `import` both write exactly this (add is an
    import of one row)."""

    fields: dict[str, Any]
    phones: list[str]
    entries: list[Entry]
    keys: set[str]


# what rows of one import share, computed once each: the grading of a (grade, reason), the
# schedule of a (grade, ungraded acquired day, in the pool), the day the rows were added
CaptureCache = dict[Any, Any]


def capture(
    draft: LeadDraft,
    *,
    now: datetime,
    who: Actor,
    rules: CadenceRules,
    tz: tzinfo,
    calendar: WorkCalendar | None = None,
    pool: PoolRules | None = None,
    cache: CaptureCache | None = None,
) -> NewLead:
    """The row of a checked lead: `new` and due for grading, or graded as `grade` would."""
    shared: CaptureCache = cache if cache is not None else {}
    added_on = shared.get("added_on")
    if added_on is None:
        added_on = shared["added_on"] = now.astimezone(tz).date()
    fields, created = new_lead(draft.acquired_on, draft.owner, draft.source, added_on)
    fields.update(
        customer=draft.customer,
        customer_key=draft.customer_key,
        search_text=search_text(draft.customer, draft.contact, draft.wechat, draft.email),
        customer_type=draft.customer_type.value,
        contact=draft.contact,
        email=draft.email,
        wechat=draft.wechat,
        source=draft.source,
        need=draft.need,
        acquired_on=draft.acquired_on,
        created_at=now,
        updated_at=now,
    )
    if draft.note is not None:  # the lead's first note, where its history starts
        created = Entry(created.event, {**created.details, "note": draft.note})
    entries = [created]
    graded = None
    if draft.grade is not None:
        grading = ("graded", draft.grade, draft.grade_reason)
        graded = shared.get(grading)
        if graded is None:  # a new lead's grading depends only on the grade and the reason
            new = LeadState(number="", owner=draft.owner, status=Status.NEW)
            graded = shared[grading] = grade(new, draft.grade, draft.grade_reason or "", now, who)
        fields.update(graded.fields)
        entries.extend(graded.entries)
    key = (draft.grade, None if draft.grade else draft.acquired_on, draft.owner is None)
    planned = shared.get(key)
    if planned is None:
        lead = LeadState(
            number="",
            owner=draft.owner,
            status=Status.NEW,
            ungraded_since=draft.acquired_on,
            recycle_from=fields["recycle_from"],
        )
        if graded is not None:
            lead = lead.after(graded)
        planned = shared[key] = stored_schedule(
            lead.cadence_facts(), None, rules, tz, calendar, pool
        )
    fields.update(planned)
    return NewLead(fields, draft.phones, entries, spelling_keys(draft.customer, draft.contact))
