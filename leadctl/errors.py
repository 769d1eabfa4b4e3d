"""The errors a user sees. One place (cli.main) turns them into `Error: …` and an exit code."""

from __future__ import annotations


class LeadctlError(Exception):
    """Input rejected: bad value, unknown lead, or a playbook rule. Exit code 2; nothing written."""

    exit_code = 2

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        # extra lines printed after the `Error:` line (e.g. import's table of bad rows)
        self.details = details or []


class NotFound(LeadctlError):
    """No lead with that number."""


class RuleError(LeadctlError):
    """The playbook forbids this (closed lead, wrong owner, unmet criteria, ...)."""


class DatabaseUnavailable(LeadctlError):
    """The database cannot be used: locked too long, unreadable, foreign, newer, unreachable."""

    exit_code = 3


class OutputFailed(LeadctlError):
    """The output cannot be written: a full disk, a closed standard output (a reader gone,
    EPIPE, is no error). Exit code 3; a change the command committed stays."""

    exit_code = 3


class StoreBug(Exception):
    """A statement the database refused that leadctl should never have sent: a bug (exit 1).

    Its message names the table, column or constraint, never the values (customer data)."""
