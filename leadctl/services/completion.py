"""Values for shell completion from the database: lead numbers with their customers, reps and
sources. Never written, never created (store/completion.py); any trouble — no database yet, a
server down, a bad config — means no values, never an error in the middle of a command line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from leadctl.i18n import N_, _, _n

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from leadctl.settings import Settings

# (value, description) pairs, as Typer's `autocompletion` takes them
Choices = list[tuple[str, str]]
MAX_LEADS = 500  # the pool and the grades to confirm can be long: the first ones by number
T = TypeVar("T")
ROLES = {"rep": N_("rep"), "supervisor": N_("supervisor")}  # a member's role, as offered


@contextmanager
def _reading(settings: Settings) -> Iterator[Connection | None]:
    from leadctl.store.completion import open_existing

    store = open_existing(settings)
    if store is None:
        yield None
        return
    try:
        with store.engine.connect() as connection:
            yield connection
    finally:
        store.close()


def quietly(read: Callable[[], list[T]]) -> list[T]:
    """The values, or none when anything goes wrong: completion never prints an error."""
    try:
        return read()
    except Exception:
        return []


def lead_choices(settings: Settings, which: str = "mine") -> list[tuple[int, str]]:
    """(id, description) of the leads a lead argument offers. `mine`: the user's leads that are
    not closed; `pool`: leads nobody owns; `unconfirmed`: leads whose grade awaits
    confirming. The description is the customer (and the grade and owner to confirm)."""
    from leadctl.store import completion

    def read() -> list[tuple[int, str]]:
        with _reading(settings) as connection:
            if connection is None:
                return []
            if which == "pool":
                return [(i, c) for i, c in completion.pool_leads(connection, MAX_LEADS)]
            if which == "unconfirmed":
                rows = completion.unconfirmed_leads(connection, MAX_LEADS)
                # TRANSLATORS: a lead to confirm the grade of, offered by shell completion: its
                # customer, grade and owner ("pool": nobody owns it)
                pool = _("pool")
                return [(i, f"{c} · {grade} · {owner or pool}") for i, c, grade, owner in rows]
            return [(i, c) for i, c in completion.leads_of(connection, settings.user)]

    return quietly(read)


def rep_choices(settings: Settings) -> Choices:
    """The roster's active members with their role; without a roster, everyone who owns a
    lead, with how many."""
    from leadctl.store import completion

    def read() -> Choices:
        with _reading(settings) as connection:
            if connection is None:
                return []
            roster = completion.members(connection)
            if roster:
                return [(name, _(ROLES[role]) if role in ROLES else role) for name, role in roster]
            return [(name, _leads(count)) for name, count in completion.owners(connection)]

    return quietly(read)


def source_choices(settings: Settings) -> Choices:
    """The team's list (config [sources]) with each name's aliases; without a list, the
    sources written on leads, most used first."""
    listed = settings.sources
    if listed:
        return [
            (
                name,
                _("also {aliases}").format(aliases=", ".join(listed.aliases[name]))
                if listed.aliases.get(name)
                else "",
            )
            for name in listed.names
        ]
    from leadctl.store.queries import source_counts

    def read() -> Choices:
        with _reading(settings) as connection:
            if connection is None:
                return []
            rows: list[Any] = sorted(source_counts(connection), key=lambda r: (-r[1], r[0]))
            return [(source, _leads(count)) for source, count, *_ in rows]

    return quietly(read)


def _leads(count: int) -> str:
    return _n("{count} lead", "{count} leads", count).format(count=count)
