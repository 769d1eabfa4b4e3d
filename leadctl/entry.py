"""The `leadctl` console script: everything that happens around a command, in one place.

- Only the command asked for is built: building every command's parser costs more than the
  query `today` runs, so the whole app is built only for `leadctl --help`, no command, or an
  unknown one. The global options are read off the app's callback, so a new one needs no list.
- Start-up ends when a command's arguments are parsed and its context is open (settings read,
  the ORM imported): the console script collects no garbage until then, and skips the
  interpreter's teardown at exit.
- Shell completion (Typer's protocol, `_LEADCTL_COMPLETE`) is answered here as well, building
  only the command being completed.
- Errors are translated once: a `LeadctlError` becomes `Error: …` on stderr and its exit code
  (2, or 3 for database trouble), a usage mistake exits 2, a bug exits 1 with a short traceback
  and never local variables.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

import typer

from leadctl import clickwords, i18n
from leadctl.cli import APP_SETTINGS, app
from leadctl.commands.common import STATE, context, if_missing
from leadctl.errors import LeadctlError, OutputFailed, StoreBug
from leadctl.i18n import _


def run() -> None:
    """The `leadctl` console script: main(), then a fast exit.

    A short-lived CLI need not collect garbage while importing its libraries, nor tear the
    interpreter down module by module at exit: output is flushed and the database closed
    before `os._exit`, so nothing is lost, and each command starts and ends ~70 ms sooner.
    """
    import gc
    import os

    gc.disable()
    code = main(after_start_up=_collect_from_now_on)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, AttributeError):  # a reader gone, a full disk (said by main), no stdout
        pass
    os._exit(code)


def _collect_from_now_on() -> None:
    import gc

    # keep what start-up imported out of every later collection, and collect normally for the
    # command's own work (imports and exports are large)
    gc.freeze()
    gc.enable()


def main(argv: list[str] | None = None, *, after_start_up: Callable[[], None] | None = None) -> int:
    """Run leadctl; returns the exit code (0 done, 2 input rejected, 3 database, 1 bug).

    `after_start_up` is called when start-up is over, just before the command's body runs.
    """
    from typer._click.exceptions import ClickException, NoArgsIsHelpError
    from typer.exceptions import Abort, Exit

    args = sys.argv[1:] if argv is None else list(argv)
    STATE.ctx, STATE.if_missing = None, "refuse"
    try:  # before Click parses: it prints help and usage errors while parsing
        i18n.use(i18n.choose(args, os.environ))
    except i18n.BadLanguage as exc:
        i18n.use("en")
        _error(str(exc))
        return 2
    from leadctl.environment import check_utf8

    try:
        check_utf8(args, os.environ)
    except LeadctlError as exc:
        _error(exc.message)
        return 2
    clickwords.install()
    instruction = os.environ.get(COMPLETE_VAR)
    command = None if instruction else _command_for(args, after_start_up)
    stdout, sys.stdout = sys.stdout, _GuardedOutput(sys.stdout)
    try:
        if command is None:  # the shell asks for completions (a TAB), not a command
            return _complete(str(instruction))
        command.main(args=args, prog_name="leadctl", standalone_mode=False)
        sys.stdout.flush()  # a full disk refuses the last buffered lines only here
        return 0
    except NoArgsIsHelpError as exc:
        try:
            print(exc.ctx.get_help() if exc.ctx else exc.format_message())
            sys.stdout.flush()
        except OutputFailed as failed:  # `leadctl > /dev/full`
            _error(failed.message)
            return failed.exit_code
        except BrokenPipeError:
            return _reader_gone()
        return 0
    except LeadctlError as exc:
        _error(exc.message, exc.details)
        if STATE.ctx is not None and exc.exit_code == 2:  # refused: nothing was written
            STATE.ctx.close(refused=True)
            STATE.ctx = None
        return exc.exit_code
    except ClickException as exc:
        _error(_usage_message(exc, command.params if command is not None else []))
        return 2
    except Exit as exc:
        return exc.exit_code
    except Abort:
        print(_("Aborted."), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("Interrupted."), file=sys.stderr)
        return 130
    except (BrokenPipeError, ReaderGone):
        return _reader_gone()
    except Exception as exc:  # a bug: say so, without local variables or SQL parameters
        print(
            _("Error: {message}").format(
                message=_("leadctl hit a bug; please report it with the lines below.")
            ),
            file=sys.stderr,
        )
        sys.stderr.write("".join(_bug_report(exc)))
        return 1
    finally:
        sys.stdout = stdout
        if STATE.ctx is not None:
            STATE.ctx.close()
            STATE.ctx = None


# ---------------------------------------------------------------- shell completion

COMPLETE_VAR = "_LEADCTL_COMPLETE"  # Typer's protocol: complete_bash, complete_zsh, …


def _complete(instruction: str) -> int:
    """Answer the shell's completion request (Typer's protocol, as the script that
    `--show-completion` prints asks it): only the command being completed is built, and values
    come from the database without writing or creating it (commands/completion.py)."""
    from typer.completion import shell_complete

    command = _command_for(_completion_words(instruction))
    try:
        return shell_complete(command, {}, "leadctl", COMPLETE_VAR, instruction)
    except (KeyError, ValueError):  # the shell's variables missing or malformed (a stray
        return 1  # exported _LEADCTL_COMPLETE): no completions, and never a traceback


def _completion_words(instruction: str) -> list[str]:
    """The words before the one being completed, read as Typer's shell class reads them
    (bash: COMP_WORDS and COMP_CWORD; zsh, fish: _TYPER_COMPLETE_ARGS)."""
    from typer._click.shell_completion import get_completion_class

    typer.main.get_install_completion_arguments()  # registers Typer's shell classes
    shell_class = get_completion_class(instruction.partition("_")[2])
    if shell_class is None:
        return []  # shell_complete says the shell is not supported
    try:
        words, _ = shell_class(None, {}, "leadctl", COMPLETE_VAR).get_completion_args()  # type: ignore[arg-type]
    except (KeyError, ValueError):
        return []
    return list(words)


# ---------------------------------------------------------------- building only what is asked for


def _command_for(args: list[str], after_start_up: Callable[[], None] | None = None) -> Any:
    """The Click group for this run: the global options, and only the requested command when
    one is named (every command for `leadctl --help`, no command, or an unknown one)."""
    options = typer.Typer(**APP_SETTINGS)
    options.registered_callback = app.registered_callback
    group = typer.main.get_group(options)  # the global options alone: a few parameters
    # the global options a command also takes after its name (not Typer's completion ones)
    after = [p for p in group.params if p.param_type_name == "option" and not p.is_eager]
    group.params.extend(typer.main.get_install_completion_arguments())  # Typer's completion
    commands = dict(_registered_commands())
    name = _requested_command(args, group.params)
    for info in [commands[name]] if name in commands else commands.values():
        if isinstance(info, typer.models.TyperInfo):
            command: Any = typer.main.get_group_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                suggest_commands=app.suggest_commands,
                rich_markup_mode=app.rich_markup_mode,
            )
        else:
            command = typer.main.get_command_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
        for each in getattr(command, "commands", {}).values() or [command]:
            if each.callback is not None:
                named = each.name if each is command else f"{command.name} {each.name}"
                each.callback = _start_up_then(each.callback, after_start_up, str(named))
                each.params.extend(_after_the_command(after, each.params))
        group.add_command(command)
    clickwords.translate(group)
    return group


COMPLETION_OPTIONS = ("install_completion", "show_completion")  # Typer's: never after a command
AFTER = "global_option_"  # the name a global option has among a command's own parameters


def _after_the_command(options: list[Any], own: list[Any]) -> list[Any]:
    """The global options (--db, --user, --tz, --calendar) as hidden options of a command, so
    `leadctl today --user 李强` means `leadctl --user 李强 today` (given both ways, the later
    wins, as a repeated option does). A command's own option of the same name keeps its own."""
    import copy

    taken = {name for param in own for name in param.opts}
    hoisted = []
    for option in options:
        if taken.isdisjoint(option.opts):
            twin = copy.copy(option)
            twin.name, twin.hidden = AFTER + option.name, True
            hoisted.append(twin)
    return hoisted


def _registered_commands() -> Iterator[tuple[str, Any]]:
    """Each command's (or named group's, like `team`) name and Typer info, in `leadctl --help`
    order."""
    infos: list[Any] = list(app.registered_commands)
    groups = []
    for part in app.registered_groups:
        if part.typer_instance is None:
            continue
        if part.name:  # a group of its own: `leadctl team add …`
            groups.append(part)
        else:
            infos += part.typer_instance.registered_commands
    for info in infos:
        yield info.name or typer.main.get_command_name(getattr(info.callback, "__name__", "")), info
    for part in groups:
        yield str(part.name), part


def _requested_command(args: list[str], global_params: list[Any]) -> str | None:
    """The command word of the arguments, skipping the global options before it."""
    options = [p for p in global_params if p.param_type_name == "option"]
    with_value = {n for p in options if not (p.is_flag or p.count) for n in p.opts}
    flags = {n for p in options if p.is_flag or p.count for n in (*p.opts, *p.secondary_opts)}
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in with_value:
            skip = True
        elif not arg.startswith("-"):
            return arg
        elif arg not in flags and arg.split("=", 1)[0] not in with_value:
            return None  # --help or an unknown option: the whole app answers
    return None


def _start_up_then(
    body: Callable[..., Any], after_start_up: Callable[[], None] | None, command: str
) -> Callable[..., Any]:
    """The command's body, after the rest of start-up: every command works in a context, and
    opening it (settings, and the ORM its import brings) is start-up's last and largest step."""

    def start_up_then_body(*args: Any, **kwargs: Any) -> Any:
        for key in [k for k in kwargs if k.startswith(AFTER)]:
            value = kwargs.pop(key)  # a global option given after the command
            if value is not None:
                setattr(STATE, key.removeprefix(AFTER), value)
        STATE.quiet = bool(kwargs.get("quiet"))  # `wake --quiet`: cron mails no notes
        STATE.if_missing = if_missing(command, dry_run=bool(kwargs.get("dry_run")))
        context()
        if after_start_up is not None:
            after_start_up()
        try:
            return body(*args, **kwargs)
        except BrokenPipeError:
            raise ReaderGone() from None  # past Typer, which would turn it into exit 1

    return start_up_then_body


# ---------------------------------------------------------------- errors


class _GuardedOutput:
    """Standard output while a command runs: a write the system refuses (a full disk, a closed
    descriptor, `leadctl … >&-`) ends the command with exit 3 and a message instead of a
    traceback; a reader gone (EPIPE: `leadctl list | head -1`) stays BrokenPipeError, which
    ends quietly with 0. Everything else is the stream's own."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, data: str) -> int:
        if self._stream is None:  # Python's stdout when descriptor 1 was closed
            if not data:
                return 0
            raise OutputFailed(
                _(
                    "Cannot write the output: standard output is closed; any change the "
                    "command made is saved."
                )
            )
        try:
            return int(self._stream.write(data))
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _output_failed(exc.strerror or str(exc)) from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise _output_failed(exc.strerror or str(exc)) from None

    def isatty(self) -> bool:
        return self._stream is not None and bool(self._stream.isatty())

    def __getattr__(self, name: str) -> Any:
        if self._stream is None:
            raise AttributeError(name)
        return getattr(self._stream, name)


def _output_failed(reason: str) -> OutputFailed:
    # TRANSLATORS: {reason} is the operating system's own message, in English
    return OutputFailed(
        _(
            "Cannot write the output ({reason}); any change the command made is saved: "
            "write the output elsewhere, or free some disk space."
        ).format(reason=reason)
    )


class ReaderGone(Exception):
    """Whoever read the output stopped reading (`leadctl list | head`): not an error."""


def _reader_gone() -> int:
    """Done: send what is still buffered for stdout nowhere, so that no later flush fails."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (a test's captured one)
        pass
    return 0


def _bug_report(exc: BaseException) -> list[str]:
    """A bug's traceback that names each exception's type and where it was raised, never its
    message: that quotes the values it was working on (a cell's content — a name, an ID
    number, a phone — or a URL's password). StoreBug's message is written without values."""
    import traceback

    chain: list[BaseException] = []
    each: BaseException | None = exc
    while each is not None and all(each is not seen for seen in chain):
        chain.append(each)
        each = each.__cause__ or (None if each.__suppress_context__ else each.__context__)
    lines: list[str] = []
    for index, each in enumerate(reversed(chain)):
        if index:
            lines.append("\n")
        lines.append("Traceback (most recent call last):\n")
        lines += traceback.format_list(traceback.extract_tb(each.__traceback__, limit=-8))
        kind = type(each)
        name = (
            kind.__qualname__
            if kind.__module__ == "builtins"
            else f"{kind.__module__}.{kind.__qualname__}"
        )
        if isinstance(each, StoreBug):
            lines.append(f"{name}: {each}\n")
        else:
            lines.append(
                _("{exception} (its message is withheld: it may quote customer data)").format(
                    exception=name
                )
                + "\n"
            )
    return lines


def _usage_message(exc: Any, global_params: list[Any]) -> str:
    ctx = getattr(exc, "ctx", None)
    option = getattr(exc, "option_name", None)
    known = {n: p for p in global_params if p.param_type_name == "option" for n in p.opts}
    if option in known and ctx is not None and ctx.parent is not None:
        # a global option where this command (or group, like `team`) takes none
        if known[option].is_eager or known[option].name in COMPLETION_OPTIONS:
            return _("{option} goes right after leadctl: `leadctl {option}`.").format(option=option)
        return _(
            "{option} is a global option: give it right after leadctl "
            "(`leadctl {option} … {command} …`) or after the command's own words."
        ).format(option=option, command=ctx.command_path.removeprefix("leadctl "))
    message = clickwords.usage_message(exc).rstrip(".。")
    if ctx is None:
        return _("{message}.").format(message=message)
    return _("{message} (see `{command} --help`).").format(
        message=message, command=ctx.command_path
    )


def _error(message: str, details: list[str] | None = None) -> None:
    # one line, whatever user text the message quotes: a name holding a newline or a terminal
    # escape (an owner, a rep) is shown escaped, never obeyed
    from leadctl.render.common import escaped

    line = escaped(message, one_line=True)
    print(_("Error: {message}").format(message=line), file=sys.stderr)
    for line in details or []:
        print(line, file=sys.stderr)
