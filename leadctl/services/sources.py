"""`sources`: the sources written on leads, with their counts, so a supervisor can write the
team's list (config [sources]) and see which spellings it does not cover yet."""

from __future__ import annotations

from typing import Any

from leadctl.services.common import Ctx
from leadctl.store import queries


def sources_in_use(ctx: Ctx) -> list[dict[str, Any]]:
    """Each source as written on leads (most leads first), and the list's names no lead uses
    yet (0 leads, after them). `listed_as`: the list's name the spelling counts as (itself for
    a name, the name for an alias), null when it is not on the list or there is no list."""
    listed = ctx.settings.sources
    with ctx.store.read() as session:
        rows = queries.source_counts(session)
    used = [
        {
            "source": source,
            "leads": int(leads),
            "open": int(open_leads),
            "last_acquired_on": last,
            "listed_as": listed.canonical(source) if listed else None,
        }
        for source, leads, open_leads, last in rows
    ]
    used.sort(key=lambda s: (-s["leads"], s["source"]))
    counted = {s["listed_as"] for s in used}
    unused = [
        {"source": name, "leads": 0, "open": 0, "last_acquired_on": None, "listed_as": name}
        for name in listed.names
        if name not in counted
    ]
    return used + unused
