"""The interface's language (SPEC §6.5): English source strings, a gettext catalog for Chinese.

- `_("…")` translates a message where it is shown; `_n(singular, plural, n)` one that counts;
  `N_("…")` only marks a message for the catalog where it is defined (a command's help, a table
  of words made at import), and the place that shows it calls `_()` on it. Placeholders are
  named (`_("Lead {number} is closed.").format(number=…)`), so a translation may reorder them.
- The language is chosen before Click parses the command line (its help and usage errors are
  printed while parsing): `--lang` anywhere before `--`, else `LEADCTL_LANG`, else `lang` in
  the config file, else the locale (the first set of LC_ALL, LC_MESSAGES, LANG starting with
  `zh`). JSON and exit codes never depend on it.
- The catalog is `leadctl/locale/zh_CN/LC_MESSAGES/leadctl.po`, extracted and compiled with
  Babel (docs/i18n.md); the compiled `.mo` is committed beside it and ships in the wheel.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

LANGS = ("en", "zh")
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "leadctl"
CATALOGS = {"zh": "zh_CN"}  # the language's catalog folder under LOCALE_DIR

_translation: gettext.NullTranslations = gettext.NullTranslations()
_lang = "en"
_loaded: dict[str, gettext.NullTranslations] = {}


class BadLanguage(ValueError):
    """A `lang` setting that is neither zh nor en: the message names the setting."""


def N_(message: str) -> str:
    """Mark `message` for the catalog; it is translated where it is shown, with `_()`."""
    return message


def _(message: str) -> str:
    """`message` in the interface's language."""
    return _translation.gettext(message)


def _n(singular: str, plural: str, n: int) -> str:
    """The form of a message that counts `n`, in the interface's language."""
    return _translation.ngettext(singular, plural, n)


def _p(context: str, message: str) -> str:
    """`message` in the interface's language, where the same English word means different
    things (`_p("channel", "other")`, `_p("reason", "other")`)."""
    return _translation.pgettext(context, message)


WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def weekday(day: date) -> str:
    """The day's short weekday name, "Mon" or "周一" (not `%a`, which follows the C locale)."""
    return _(WEEKDAYS[day.weekday()])


def lang() -> str:
    """The interface's language for this run: "en" or "zh"."""
    return _lang


def use(language: str) -> None:
    """Speak `language` ("en" or "zh") from now on."""
    global _translation, _lang
    if language not in LANGS:
        raise BadLanguage(language)
    if language not in _loaded:
        folder = CATALOGS.get(language)
        if folder is None:
            _loaded[language] = gettext.NullTranslations()
        else:
            path = LOCALE_DIR / folder / "LC_MESSAGES" / f"{DOMAIN}.mo"
            with path.open("rb") as fh:
                _loaded[language] = gettext.GNUTranslations(fh)
    _translation, _lang = _loaded[language], language


def parse_lang(value: str, setting: str) -> str:
    """`zh`, `zh_CN`, `zh-CN`, `zh_CN.UTF-8`, `中文` … → "zh"; `en`, `en_US` … → "en"."""
    word = value.strip().lower().replace("-", "_").split(".")[0]
    if word in ("zh", "cn", "中文") or word.startswith("zh_"):
        return "zh"
    if word == "en" or word.startswith("en_"):
        return "en"
    raise BadLanguage(f"{setting} must be zh (中文) or en (English), not {value!r}.")


def choose(args: Sequence[str], env: Mapping[str, str]) -> str:
    """The language this run speaks: --lang, LEADCTL_LANG, the config's lang, the locale."""
    given = _lang_option(args)
    if given is not None:
        return parse_lang(given, "--lang")
    if env.get("LEADCTL_LANG"):
        return parse_lang(env["LEADCTL_LANG"], "LEADCTL_LANG")
    configured = _config_lang(env)
    if configured is not None:
        return parse_lang(configured, "lang in the config file")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(name):
            return "zh" if env[name].lower().startswith("zh") else "en"
    return "en"


def _lang_option(args: Sequence[str]) -> str | None:
    """The last `--lang X` / `--lang=X` before `--`, wherever it is on the line."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--lang="):
            found = arg.partition("=")[2]
    return found


def _config_lang(env: Mapping[str, str]) -> str | None:
    """`lang` of the config file, when there is one; a file that cannot be read is left to the
    settings, which refuse it with its reason once the command runs."""
    from leadctl.environment import config_path

    path = config_path(dict(env))
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if b"lang" not in raw:
        return None
    import tomllib

    try:
        value = tomllib.loads(raw.decode("utf-8")).get("lang")
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return value if isinstance(value, str) else None


def from_environment() -> None:
    """Speak the language the environment chooses, ignoring a bad setting (for code that runs
    without the console script, e.g. a library caller)."""
    try:
        use(choose([], os.environ))
    except BadLanguage:
        use("en")
