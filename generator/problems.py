"""Errors are values: every check returns Problems; the CLI prints them all."""
from __future__ import annotations

from dataclasses import dataclass

from .messages import catalogue, language, translate


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem a communications officer can act on.

    `expected`, `found` and `hint` are catalogue Texts (or plain strings, which are
    matched against the catalogue): a Problem is printed in the current language,
    `file:line [column]: diharapkan ...; ditemukan ... (petunjuk: ...)` in Indonesian,
    `file:line [column]: expected ...; found ... (hint: ...)` in English."""

    file: str
    row: int | None  # 1-based line in the file (CSV: header is line 1); None = whole file
    field: str | None
    expected: str
    found: str
    hint: str = ""

    def __str__(self) -> str:
        return self.text()

    def location(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        return where + (f" [{self.field}]" if self.field else "")

    def text(self, lang: str | None = None) -> str:
        """The whole message, location first, in `lang` (default: the current language)."""
        return f"{self.location()}: {self.message(lang)}"

    def message(self, lang: str | None = None) -> str:
        """The message without its location."""
        lang = lang or language()
        forms = catalogue()
        text = forms["problem.form"][lang].format(expected=translate(self.expected, lang),
                                                 found=translate(self.found, lang))
        if self.hint:
            text += forms["problem.hint"][lang].format(hint=translate(self.hint, lang))
        return text


def show(value: str, limit: int = 60) -> str:
    """Quote a found value so blanks, tabs and control characters are visible."""
    return shorten(repr(value), limit)


def shorten(text: str, limit: int = 60) -> str:
    """At most `limit` characters, keeping both ends: a stray blank may be at either."""
    if len(text) <= limit:
        return text
    half = (limit - 3) // 2
    return text[:half] + "..." + text[-half:]
