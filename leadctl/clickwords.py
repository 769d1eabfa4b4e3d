"""Click's and Typer's own words in the interface's language (SPEC §6.5).

Typer vendors Click with its messages in plain English, and reads only a few words (the help's
section titles, "default:", "No such command") through the stdlib's `gettext`. So:

- `install()` sends Typer's gettext words through leadctl's catalog, and gives the usage line
  its translated prefix;
- `translate(command)` puts every help text of a built command tree (the command's, its
  options', the help option's and Typer's completion options') into the language: they are
  defined in English, marked with `N_`, and the catalog is looked up when the parser is built,
  so one process can run in either language;
- `usage_message(exc)` words a usage error again, from its kind and the names it carries.

The English strings below are Click's and Typer's own, as they print them; they are marked here
so that the catalog holds them.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from leadctl.i18n import N_, _

# the words Typer passes through gettext (typer/core.py), spelled exactly as it spells them
TYPER_WORDS = (
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("(dynamic)"),
    N_("Aborted!"),
)
# help texts Click and Typer give their own options
OWN_HELP = (
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("Install completion for the specified shell."),
    N_("Show completion for the specified shell, to copy it or customize the installation."),
)

_installed = False


def install() -> None:
    """Route Typer's gettext words and the usage prefix through leadctl's catalog (once)."""
    global _installed
    if _installed:
        return
    import typer.core
    from typer._click import formatting

    typer.core._ = _  # Typer's `from gettext import gettext as _`
    write_usage = formatting.HelpFormatter.write_usage

    def translated_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, _("Usage: ") if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = translated_usage  # type: ignore[method-assign]

    def translated_heading(self: Any, heading: str) -> None:  # "Options:", "选项："
        self.write(_("{heading}:").format(heading=f"{'':>{self.current_indent}}{heading}") + "\n")

    formatting.HelpFormatter.write_heading = translated_heading  # type: ignore[method-assign]
    _installed = True


def translate(command: Any) -> None:
    """Every help text of `command` and the commands under it, in the interface's language."""
    for each in [command, *getattr(command, "commands", {}).values()]:
        if each is not command and hasattr(each, "commands"):
            translate(each)
            continue
        for attr in ("help", "short_help", "epilog"):
            value = getattr(each, attr, None)
            if value:
                setattr(each, attr, _text(value))
        for param in each.params:
            if getattr(param, "help", None):
                param.help = _text(param.help)
        _translate_help_option(each)


def _text(value: str) -> str:
    found = _(value)
    return found if found is not value else _(inspect.cleandoc(value))


def _translate_help_option(command: Any) -> None:
    """Click makes the --help option when it is first asked for: word it then."""
    original = command.get_help_option

    def get_help_option(ctx: Any) -> Any:
        option = original(ctx)
        if option is not None and option.help == "Show this message and exit.":
            option.help = _("Show this message and exit.")
        return option

    command.get_help_option = get_help_option


_SUGGESTION = re.compile(r"(?P<message>.*)\. Did you mean (?P<names>.*)\?$", re.S)
_EXTRA = re.compile(r"Got unexpected extra arguments? \((?P<args>.*)\)$", re.S)
_REQUIRES = re.compile(r"Option '(?P<option>[^']*)' requires (an argument|\d+ arguments)\.$")
_NO_VALUE = re.compile(r"Option '(?P<option>[^']*)' does not take a value\.$")


def usage_message(exc: Any) -> str:
    """A usage error's message in the interface's language (Click words it in English)."""
    from typer._click.exceptions import BadParameter, MissingParameter, NoSuchOption

    if isinstance(exc, NoSuchOption):
        if exc.possibilities:
            return _("No such option: {option} (Possible options: {options})").format(
                option=exc.option_name, options=", ".join(sorted(exc.possibilities))
            )
        return _("No such option: {option}").format(option=exc.option_name)
    if isinstance(exc, MissingParameter):
        hint = _hint(exc)
        if (exc.param_type or getattr(exc.param, "param_type_name", "")) == "argument":
            return _("Missing argument {name}.").format(name=hint)
        return _("Missing option {name}.").format(name=hint)
    if isinstance(exc, BadParameter):
        return _("Invalid value for {name}: {problem}").format(
            name=_hint(exc), problem=_value_problem(exc)
        )
    text = exc.format_message()
    suggested = _SUGGESTION.match(text)
    if suggested:  # Typer's "No such command 'tody'. Did you mean 'today'?"
        message = suggested["message"].rstrip(".。")
        return _("{message}. Did you mean {names}?").format(
            message=message, names=suggested["names"]
        )
    for pattern, message in (
        (_EXTRA, N_("Got unexpected extra arguments ({args})")),
        (_REQUIRES, N_("Option {option} requires a value.")),
        (_NO_VALUE, N_("Option {option} does not take a value.")),
    ):
        found = pattern.match(text)
        if found:
            return _(message).format(**found.groupdict())
    return str(text)


def _hint(exc: Any) -> str:
    if exc.param_hint is not None:
        hint = exc.param_hint
        return " / ".join(hint) if isinstance(hint, list | tuple) else str(hint)
    if exc.param is not None:
        return str(exc.param.get_error_hint())
    return ""


def _value_problem(exc: Any) -> str:
    """What is wrong with a value Click (pydantic, in Typer) could not convert."""
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        kinds = {error.get("type") for error in errors()}
        if kinds & {"int_parsing", "int_type", "int_from_float"}:
            return _("not a whole number.")
        if kinds & {"float_parsing", "float_type"}:
            return _("not a number.")
        if kinds & {"bool_parsing", "bool_type"}:
            return _("not yes or no.")
    return str(exc.message)
