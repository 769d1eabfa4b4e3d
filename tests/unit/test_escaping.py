"""The one escaping function and the console's last guard (issue 20, class 2)."""

from __future__ import annotations

import io

from rich.text import Text

from leadctl.render.common import console, escaped

RAW = "\x1b]0;owned\x07\x1b[2J\r\x9b31m"


def test_escaped_shows_every_control_a_terminal_obeys():
    assert escaped(f"客户{RAW}\t\n") == "客户\\x1b]0;owned\\x07\\x1b[2J\\r\\x9b31m\t\n"
    assert escaped("a\nb\u2028c\td", one_line=True) == "a\\nb\\u2028c\\td"


def test_the_console_escapes_user_text_that_reached_rich_without_text():
    out = console()
    out.file = io.StringIO()
    line = Text("Added ")
    line.append(f"客户{RAW}", style="bold")  # raw, as a careless view might
    out.print(line)
    printed = out.file.getvalue()
    assert "\x1b" not in printed and "\x9b" not in printed
    assert "客户\\x1b]0;owned" in printed
