"""`review --html FILE`: the weekly review written as one self-contained page (SPEC §6.6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leadctl.errors import LeadctlError
from leadctl.i18n import _
from leadctl.io.writing import private_file
from leadctl.reports import review
from leadctl.services.common import Ctx

PAGE_SUFFIXES = (".html", ".htm")


def write_review_page(
    ctx: Ctx,
    path: Path,
    *,
    replace: bool = False,
    last_week: bool = False,
    week_of: str | None = None,
    owner: str | None = None,
) -> dict[str, Any]:
    """Write the review of the period as a page (mode 0600; an existing file only with
    `replace`) and return the review document the page shows, as `review --json` prints it."""
    if path.suffix.lower() not in PAGE_SUFFIXES:
        raise LeadctlError(
            _(
                "The review page is a web page: give a file name ending in .html "
                "(not {name!r}), e.g. 周报.html."
            ).format(name=path.name)
        )
    import threading

    from leadctl.render import charts
    from leadctl.render.page import review_page

    # the file's checks (exists, folder) come first; it appears only once the page is whole
    with private_file(path, replace=replace, example="周报.html") as handle:
        # the chart library loads while the queries run (see docs/design.md, the review page)
        loading = threading.Thread(target=charts.load, name="load-charts", daemon=True)
        loading.start()
        try:
            doc = review(ctx, last_week=last_week, week_of=week_of, owner=owner)
        finally:
            loading.join()
        handle.write(review_page(doc, ctx.settings.clock, ctx.user).encode("utf-8"))
    return doc
