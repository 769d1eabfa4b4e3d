"""The Typer app: the global options, then the commands of leadctl/commands/, in the order
`leadctl --help` lists them. leadctl/entry.py is the console script that runs it.

Heavy modules (the ORM, phonenumbers, dateutil, openpyxl, alembic, the PostgreSQL driver) are
imported inside the commands that need them, so `leadctl --help` stays instant.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from leadctl.commands import copying, files, followup, leads, pipeline, pool, team
from leadctl.commands.common import STATE
from leadctl.i18n import N_


def _wrap_help_by_cells() -> None:
    """Lay help out by terminal cells, as a terminal shows it: Click wraps by characters, so a
    line of Chinese came out up to twice as wide as the terminal. Each wide character is
    followed by a placeholder while Click's wrapper measures the text, then the placeholders
    are dropped. (Rich lays help out by cells, but would triple `leadctl --help`'s time.)

    In Chinese a line may also break between any two Chinese characters, as Chinese text has no
    spaces (never before a closing mark such as ，。）, nor after an opening one such as （), and
    a command's summary in `--help`'s list is its first sentence (to 。), cut by cells."""
    import re
    from unicodedata import east_asian_width

    from typer._click import _textwrap, core

    from leadctl.i18n import lang

    pad = "\ue000"  # a private-use character: never in help text
    # a piece a Chinese line breaks around: one wide character or a run of narrow ones, with
    # the opening marks before it and the closing marks after it
    piece = re.compile(
        "(?:[（「『“《〈【]\ue000)*(?:.\ue000|(?:[^\ue000](?!\ue000))+)(?:[，。、；：！？）」』”》〉】]\ue000)*",
        re.S,
    )

    def widened(text: str) -> str:
        return "".join(c + pad if east_asian_width(c) in "WF" else c for c in text)

    class CellWrapper(_textwrap.TextWrapper):
        def wrap(self, text: str) -> list[str]:
            if text.isascii():
                return super().wrap(text)
            return [line.replace(pad, "") for line in super().wrap(widened(text))]

        def _split(self, text: str) -> list[str]:
            chunks = super()._split(text)
            if lang() != "zh" or pad not in text:
                return chunks
            return [each for chunk in chunks for each in piece.findall(chunk)]

    english_summary = core.make_default_short_help

    def summary(help: str, max_length: int = 45) -> str:
        if lang() != "zh" or help.isascii():
            return english_summary(help, max_length)
        words = help.split("\n\n")[0].split()
        if words and words[0] == "\b":
            words = words[1:]
        first = " ".join(words)
        end = first.find("。")
        first = first if end == -1 else first[: end + 1]
        wide = widened(first)
        if len(wide) <= max_length:
            return first
        cut = wide[: max_length - 1]
        if wide[len(cut) : len(cut) + 1] == pad:  # half of a wide character: leave it out
            cut = cut[:-1]
        return cut.replace(pad, "") + "…"

    _textwrap.TextWrapper = CellWrapper  # type: ignore[misc]
    core.make_default_short_help = summary


_wrap_help_by_cells()

APP_SETTINGS: dict[str, Any] = dict(
    name="leadctl",
    help=N_(
        "Run the team's lead pipeline by its playbook: capture → grade A/B/C/D → follow up on a "
        "cadence → upgrade to an opportunity → close won or lost → weekly review → wake dormant "
        "leads.\n\nStart each morning with `leadctl today`. --db, --user, --tz, --calendar and "
        "--lang also work after the command: `leadctl today --user 李强`."
    ),
    no_args_is_help=True,
    # Typer's shell completion: --install-completion, --show-completion (leadctl.entry answers)
    add_completion=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    # plain Click help: Rich's help formatting alone would triple `leadctl --help`'s time
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app = typer.Typer(**APP_SETTINGS)


def _print_version(given: bool) -> None:
    if given:
        from leadctl import __version__

        print(f"leadctl {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help=N_("Database: a file path or postgresql+psycopg://… (env LEADCTL_DB)")
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option("--user", help=N_("Who you are (default: login name) (env LEADCTL_USER)")),
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option("--tz", help=N_("Your time zone, e.g. Asia/Shanghai (env LEADCTL_TZ)")),
    ] = None,
    calendar: Annotated[
        str | None,
        typer.Option(
            "--calendar",
            help=N_(
                "Work calendar: cn (Chinese holidays and makeup workdays, the default), "
                "weekdays or every-day; due days on a day off move to the next working day "
                "(env LEADCTL_CALENDAR)"
            ),
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help=N_(
                "Interface language: zh (中文) or en; default from the locale (env LEADCTL_LANG)"
            ),
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_print_version,
            help=N_("Show the version and exit."),
        ),
    ] = False,
) -> None:
    STATE.db, STATE.user, STATE.tz, STATE.calendar, STATE.lang = db, user, tz, calendar, lang


for part in (leads, followup, pipeline, pool, files, copying):
    app.add_typer(part.commands)
app.add_typer(team.commands, name="team")
