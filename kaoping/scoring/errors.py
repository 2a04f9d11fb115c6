"""Errors raised by the scoring engine.

Two families: a `PolicyError` is a defect in a policy document (the quality department's
side), an `InputError` is a defect in what is being scored (a finding, a rating, a case).
Both carry a location so that the message can name the file, line or field.
"""

from __future__ import annotations


class ScoringError(Exception):
    """Base class of every error the engine raises on purpose."""


class PolicyError(ScoringError):
    """A policy document is invalid: names the file, line and path of the defect."""

    def __init__(self, message: str, *, path: str = "", source: str = "", line: int | None = None):
        self.message = message
        self.path = path
        self.source = source
        self.line = line
        super().__init__(self.render())

    def render(self) -> str:
        where = self.source or "policy"
        if self.line is not None:
            where = f"{where}:{self.line}"
        if self.path:
            return f"{where}: {self.path}: {self.message}"
        return f"{where}: {self.message}"


class InputError(ScoringError):
    """What is being scored is invalid: `SUBJECT: FIELD: what is wrong` (or `case: …`)."""

    def __init__(self, message: str, *, subject: str | None = None, field: str = ""):
        self.message = message
        self.subject = subject
        self.field = field
        super().__init__(self.render())

    def render(self) -> str:
        who = self.subject if self.subject is not None else "case"
        if self.field:
            return f"{who}: {self.field}: {self.message}"
        return f"{who}: {self.message}"

    def __reduce__(self) -> tuple[object, tuple[str, str | None, str]]:
        # Keep subject and field when the error crosses a process boundary (parallel scoring).
        return (_input_error, (self.message, self.subject, self.field))

    def under(self, prefix: str) -> InputError:
        """The same error with `prefix` prepended to its field path."""
        field = f"{prefix}.{self.field}" if self.field else prefix
        return InputError(self.message, subject=self.subject, field=field)


def _input_error(message: str, subject: str | None, field: str) -> InputError:
    return InputError(message, subject=subject, field=field)
