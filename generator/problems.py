"""Errors are values: every check returns Problems; the CLI prints them all."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem a communications officer can act on."""

    file: str
    row: int | None  # 1-based line in the file (CSV: header is line 1); None = whole file
    field: str | None
    expected: str
    found: str
    hint: str = ""

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        column = f" [{self.field}]" if self.field else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        return f"{where}{column}: expected {self.expected}; found {self.found}{hint}"


def show(value: str, limit: int = 60) -> str:
    """Quote a found value so blanks, tabs and control characters are visible."""
    text = repr(value)
    if len(text) <= limit:
        return text
    half = (limit - 3) // 2  # keep both ends: a stray blank may be at either
    return text[:half] + "..." + text[-half:]
