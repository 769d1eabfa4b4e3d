"""`find` and `show` by phone (SPEC §6.4): which leads a text or a phone names.

The rules of a match are domain.search's; the keys they are looked up by are stored with every
lead when it is written (store/finding.py reads them). `find` reads only.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from leadctl.domain.choices import CLOSED_STATUSES
from leadctl.domain.phones import display_phone, normalise_phone, without_extension
from leadctl.domain.search import digits_reversed, fold, phone_digits, spelling_query, spells
from leadctl.errors import LeadctlError, NotFound, RuleError
from leadctl.i18n import _
from leadctl.services.common import Ctx
from leadctl.services.documents import LeadItems, list_items, owned
from leadctl.store import finding, queries
from leadctl.store.tables import Lead

FULL_NUMBER_DIGITS = 7  # fewer digits are only ever the end of a number
_CLOSED = {s.value for s in CLOSED_STATUSES}


def find_leads(ctx: Ctx, text: str, *, include_closed: bool = False) -> LeadItems:
    """The leads `text` names, as `list` gives them: not closed by number, then (with
    include_closed) the won and lost by number."""
    folded = fold(text)
    if not folded:
        raise LeadctlError(
            _(
                "Give find something to look for: part of a name, WeChat id or email, pinyin or "
                "initials (hzyq), or a phone's last digits (8000)."
            )
        )
    digits = phone_digits(text)
    with ctx.store.read() as session:
        if digits is not None:
            holders = [finding.phone_holders(digits[::-1], _number(ctx, text, digits))]
            return list_items(
                ctx, finding.found_rows(session, holders, include_closed=include_closed)
            )
        holders = finding.text_holders(folded, include_closed=include_closed)
        spelled = spelling_query(text)
        checked: list[int] = []
        if spelled:
            holders.append(finding.key_holders(spelled))
            checked = _spelled_on(session, spelled, include_closed=include_closed)
        rows = finding.found_rows(session, holders, include_closed=include_closed)
        if checked:
            rows = _merged(rows, finding.rows_of(session, checked, include_closed=include_closed))
    return list_items(ctx, rows)


def _number(ctx: Ctx, text: str, digits: str) -> str | None:
    """The number a phone spelling of a whole number is (`0571-88886677` → +8657188886677)."""
    if len(digits) < FULL_NUMBER_DIGITS:
        return None
    try:
        return normalise_phone(text, ctx.settings.phone_region)
    except LeadctlError:
        return None


def _spelled_on(session: Session, spelled: str, *, include_closed: bool) -> list[int]:
    """The leads whose key `spelled` runs past, and whose whole name spells it on."""
    return [
        lead_id
        for lead_id, customer, contact in finding.key_candidates(
            session, spelled, include_closed=include_closed
        )
        if spells(spelled, customer) or spells(spelled, contact)
    ]


def _merged(rows: list[Any], more: list[Any]) -> list[Any]:
    by_id = {row[0]: row for row in (*rows, *more)}
    return sorted(by_id.values(), key=lambda row: (row[2] in _CLOSED, row[0]))


# ---------------------------------------------------------------- show by phone


def is_phone_ref(ref: str) -> bool:
    """A `show` reference that is a phone: 7 or more digits, or written with + or -, with or
    without an extension (`0571-88886677转8001`)."""
    digits = phone_digits(without_extension(ref))
    return digits is not None and (len(digits) >= FULL_NUMBER_DIGITS or "+" in ref or "-" in ref)


def lead_by_phone(ctx: Ctx, session: Session, ref: str) -> Lead:
    """The lead not closed that holds this phone, else the latest that did; several not
    closed are refused, naming each."""
    region = ctx.settings.phone_region
    e164 = normalise_phone(ref, region)
    holders = finding.holders_of_phone(session, e164)
    shown = display_phone(e164, region)
    if not holders:
        last = digits_reversed(e164)[:4][::-1]  # the number's, not its extension's
        raise NotFound(
            _(
                "No lead has the phone {phone}: `leadctl find {last}` finds leads by a phone's "
                "last digits."
            ).format(phone=shown, last=last)
        )
    open_ = [(i, owner) for i, owner, status in holders if status not in _CLOSED]
    if len(open_) > 1:
        # TRANSLATORS: one of the leads a phone is on: "L0007 (owner 王芳)"
        each = _("{number} ({owner})")
        them = ", ".join(each.format(number=ctx.number(i), owner=owned(o)) for i, o in open_)
        raise RuleError(
            _(
                "The phone {phone} is on {count} leads that are not closed: {leads}; show one "
                "of them by its number."
            ).format(phone=shown, count=len(open_), leads=them)
        )
    lead_id = open_[0][0] if open_ else holders[-1][0]
    lead = queries.lead_by_id(session, lead_id)
    assert lead is not None
    return lead
