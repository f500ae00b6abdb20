"""Every text `portal` prints, in Indonesian (the default) and in English (`--lang en`).

The texts live in pairs in `messages.yaml`, one entry per key, each with an `id` and an
`en` template (`{name}` marks a value the code fills in). Code names a text by its key:
`t("cell.required")`, `t("cell.minimum", minimum=0)`. What it gets back is a `Text`: a
str holding the English wording, so that Problems compare, sort, hash and pickle as
they always did, which also remembers its key and values and so can be written in
either language (`Text.render(lang)`); a value that is itself a Text is written in the
same language.

Text that other code builds as a plain string (the engine's checks of the definitions,
Frictionless' notes, PyYAML's parser errors) is matched against the catalogue's
templates, in either language, and written in the one asked for (`translate`); text no
template matches is printed as it is.
"""
from __future__ import annotations

import os
import re
import string
from functools import lru_cache

import yaml

LANGUAGES = ("id", "en")
DEFAULT = "id"
ENVIRONMENT = "PORTAL_LANG"  # the language a child process prints in
CATALOGUE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "messages.yaml")

_language = os.environ.get(ENVIRONMENT, DEFAULT) if os.environ.get(ENVIRONMENT) in LANGUAGES else DEFAULT


def set_language(lang: str) -> None:
    """Print in `lang` from now on (this process and the processes it starts)."""
    global _language
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not one of {LANGUAGES}")
    _language = lang
    os.environ[ENVIRONMENT] = lang


def language() -> str:
    return _language


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    with open(CATALOGUE, encoding="utf-8") as fh:
        entries = yaml.safe_load(fh)
    for key, entry in entries.items():
        if not isinstance(entry, dict) or set(entry) != set(LANGUAGES):
            raise ValueError(f"{CATALOGUE}: {key} needs exactly the languages {LANGUAGES}")
        names = [{name for _, name, _, _ in string.Formatter().parse(entry[lang]) if name} for lang in LANGUAGES]
        if names[0] != names[1]:
            raise ValueError(f"{CATALOGUE}: {key} has different placeholders in id and en: {names}")
    return entries


class Text(str):
    """A catalogue text: its English wording as a str, plus what it takes to write it in
    any language."""

    key: str
    values: dict

    def __new__(cls, key: str, /, **values):  # positional: a text may take a {key} of its own
        text = super().__new__(cls, fill(catalogue()[key]["en"], values, "en"))
        text.key, text.values = key, values
        return text

    def __reduce__(self):  # pickled across worker processes: rebuilt from key and values
        return (_text, (self.key, self.values))

    def render(self, lang: str | None = None) -> str:
        lang = lang or _language
        return fill(catalogue()[self.key][lang], self.values, lang)


def _text(key: str, values: dict) -> Text:
    return Text(key, **values)


def t(key: str, /, **values) -> Text:
    """The catalogue text `key` with its {placeholders} filled in."""
    return Text(key, **values)


def say(key: str, /, **values) -> str:
    """The catalogue text `key`, written now in the current language (for printing)."""
    return Text(key, **values).render()


def fill(template: str, values: dict, lang: str) -> str:
    return template.format(**{name: value.render(lang) if isinstance(value, Text) else value
                              for name, value in values.items()})


def translate(text, lang: str | None = None) -> str:
    """`text` in `lang`: a Text is rendered; a plain string is matched against the
    catalogue's templates (either language) and written in `lang`; anything else is
    returned as it is."""
    lang = lang or _language
    if isinstance(text, Text):
        return text.render(lang)
    if not isinstance(text, str) or not text:
        return text
    for pattern, key in _patterns():
        found = pattern.fullmatch(text)
        if found:  # a value inside may be a catalogue text too ("renormalise atau zero")
            return fill(catalogue()[key][lang], {k: translate(v, lang) for k, v in found.groupdict().items()}, lang)
    return text


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern, str]]:
    """Every template of the catalogue as a regular expression, the most specific first
    (most literal characters), so "a column of {resource}" does not swallow a longer text."""
    found = []
    for key, entry in catalogue().items():
        for lang in LANGUAGES:
            regex, literal = [], 0
            for text, name, _, _ in string.Formatter().parse(entry[lang]):
                regex.append(re.escape(text))
                literal += len(text)
                if name:
                    regex.append(f"(?P={name})" if f"(?P<{name}>" in "".join(regex) else f"(?P<{name}>.+?)")
            if literal:
                found.append((literal, re.compile("".join(regex), re.S), key))
    found.sort(key=lambda item: -item[0])
    return [(pattern, key) for _, pattern, key in found]


def recognise(text: str):
    """A plain string that a catalogue template matches, as that Text (so it is written in
    whatever language it is printed in); any other string as it is."""
    if isinstance(text, Text) or not isinstance(text, str):
        return text
    for pattern, key in _patterns():
        found = pattern.fullmatch(text)
        if found:
            return Text(key, **found.groupdict())
    return text
