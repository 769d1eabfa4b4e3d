"""README's command table and docs/cli.md, written from the app itself by cog (`make docs`).

Help is laid out at a fixed width, so the text does not depend on the terminal that runs cog;
tests/cli/test_docs.py fails when the files differ from what this writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer

from leadctl.cli import app

WIDTH = 80


def _commands() -> tuple[Any, Iterator[tuple[Any, Any]]]:
    """The root context, and each command with its own context, in `leadctl --help` order."""
    group = typer.main.get_command(app)
    settings = {**group.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    root = group.context_class(group, info_name="leadctl", **settings)
    names = group.list_commands(root)  # type: ignore[attr-defined]
    commands = group.commands  # type: ignore[attr-defined]
    return root, (
        (commands[name], group.context_class(commands[name], info_name=name, parent=root))
        for name in names
    )


def cli_reference() -> str:
    """Every command's `--help`, after `leadctl --help`, as Markdown sections."""
    root, commands = _commands()
    parts = [f"## leadctl\n\n```\n{root.command.get_help(root)}\n```\n"]
    for command, ctx in commands:
        parts.append(f"## leadctl {ctx.info_name}\n\n```\n{command.get_help(ctx)}\n```\n")
    return "\n".join(parts)


def command_table() -> str:
    """A Markdown table: each command with its arguments and required options, and its summary."""
    rows = ["| command | what it does |", "| --- | --- |"]
    for command, ctx in _commands()[1]:
        words = [ctx.info_name]
        for param in command.params:
            name = param.name.rstrip("_").upper()
            if param.param_type_name == "argument":
                if param.metavar:  # a usage of its own, e.g. `LEAD [GRADE] | LEAD... --confirm`
                    words.append(param.metavar)
                else:
                    name += "..." if param.nargs == -1 else ""
                    words.append(name if param.required else f"[{name}]")
            elif param.required:
                words.append(f"{param.opts[0]} {name}")
        cells = [f"`{' '.join(words)}`", " ".join(command.help.split("\n\n")[0].split())]
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"
