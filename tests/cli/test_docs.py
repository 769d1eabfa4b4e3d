"""README's command table and docs/cli.md are what the app says: regenerate with `make docs`."""

from __future__ import annotations

import io
from pathlib import Path

from cogapp import Cog

ROOT = Path(__file__).resolve().parents[2]
GENERATED = [ROOT / "README.md", ROOT / "docs" / "cli.md"]


def test_the_docs_match_the_help_of_every_command():
    out = io.StringIO()
    cog = Cog()
    cog.set_output(stdout=out, stderr=out)
    status = cog.main(["cog", "--check", "--diff", *map(str, GENERATED)])
    assert status == 0, f"run `make docs`: the generated docs differ\n{out.getvalue()}"
