"""What start-up checks before anything heavy is imported: the command line and environment
are UTF-8 text (SPEC: bad input exits 2), and where the config file is (the language is read from
it before Click parses). Kept apart from leadctl.settings, whose imports (the playbook's rules,
the work calendar) `leadctl --help` does not need."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from leadctl.errors import LeadctlError
from leadctl.i18n import _

APP_NAME = "leadctl"
READ_FROM_ENV = ("TZ", "LC_ALL", "LC_MESSAGES", "LANG", "LOGNAME", "USER", "LNAME", "USERNAME")


def _shown_bytes(text: str) -> str:
    """`text` as the bytes it came from, the undecodable ones as \\xNN (never a surrogate,
    which no terminal and no database takes)."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_utf8(args: list[str], env: Mapping[str, str]) -> None:
    """Refuse an argument or a variable that is not UTF-8 (GBK bytes from an old terminal):
    Python keeps such bytes as surrogates, which neither the database nor the output takes."""
    for number, arg in enumerate(args, start=1):
        if not _is_utf8(arg):
            raise LeadctlError(
                _(
                    "Argument {number} ({text}) is not UTF-8 text: set the terminal to UTF-8 "
                    "(e.g. LANG=zh_CN.UTF-8) and type it again."
                ).format(number=number, text=_shown_bytes(arg))
            )
    for name in sorted(env):
        if (name.startswith("LEADCTL_") or name in READ_FROM_ENV) and not _is_utf8(env[name]):
            raise LeadctlError(
                _(
                    "The environment variable {name} ({text}) is not UTF-8 text: set it again "
                    "from a UTF-8 terminal."
                ).format(name=_shown_bytes(name), text=_shown_bytes(env[name]))
            )


def config_path(env: dict[str, str]) -> Path:
    if env.get("LEADCTL_CONFIG"):
        return Path(env["LEADCTL_CONFIG"]).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME)) / "leadctl.toml"
