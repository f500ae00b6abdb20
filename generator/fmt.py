"""Indonesian number and date formats (Babel), and text made safe for every context."""
from __future__ import annotations

import html
import math
import re

from decimal import Decimal

from babel import Locale
from babel.dates import format_date

LOCALE = "id_ID"
_LOCALE = Locale.parse(LOCALE)


_SWAP = str.maketrans({",": ".", ".": ","})  # id_ID: '.' groups thousands, ',' marks decimals


def number(value, decimals: int | None = None) -> str:
    """1234567.5 -> '1.234.567,5'; decimals fixes the places ('99,74').

    The shortest decimal that round-trips the float is rounded half-to-even, as Babel's
    id_ID pattern does (a test compares the two), at a fraction of Babel's cost."""
    if value is None or value == "":
        return ""
    value = float(value)
    negative_zero = value == 0 and math.copysign(1, value) < 0
    if value.is_integer() and abs(value) < 2 ** 53 and not negative_zero:
        # most figures (rupiah, counts) are whole: int formatting, no Decimal
        return f"{int(value):,}".replace(",", ".") + ("," + "0" * decimals if decimals else "")
    exact = Decimal(repr(value))
    if decimals is None:
        decimals = min(max(-exact.as_tuple().exponent, 0), 2) if exact != exact.to_integral_value() else 0
    return format(exact, f",.{decimals}f").translate(_SWAP)


def written(text: str, unit: str | None = None) -> str:
    """A plain number as the data writes it ('8844706000', '23.2547', '100.0'), in Indonesian
    notation with every written decimal kept ('Rp 8.844.706.000', '23,2547', '100,0'): the
    change log shows old and new values exactly, never rounded to the unit's places."""
    shown = format(Decimal(text), ",f").translate(_SWAP)
    return f"Rp {shown}" if unit == "IDR" else f"{shown} %" if unit == "percent" else shown


def rupiah(value) -> str:
    return "" if value in (None, "") else f"Rp {number(value, 0)}"


# Large rupiah amounts in words ('Rp 8,8 miliar'), for charts (the tables give the exact
# amount); the abbreviations are for chart axes ('Rp 8 M', the axis title says M = miliar).
RUPIAH_WORDS = ((1e12, "triliun", "T"), (1e9, "miliar", "M"), (1e6, "juta", "jt"))


def rupiah_short(value) -> str:
    """8844706000 -> 'Rp 8,8 miliar', 450000000 -> 'Rp 450 juta'; under a million in full."""
    if value in (None, ""):
        return ""
    value = float(value)
    for size, word, _ in RUPIAH_WORDS:
        if abs(value) >= size:
            return f"Rp {number(value / size, 1).removesuffix(',0')} {word}"
    return rupiah(value)


def chart_value(value, unit: str) -> str:
    """A value as a chart writes it by its bar or point: as the tables write it, rupiah in words."""
    if value in (None, ""):
        return ""
    return rupiah_short(value) if unit == "IDR" else by_unit(value, unit)


def percent(value, decimals: int = 2) -> str:
    return "" if value in (None, "") else f"{number(value, decimals)} %"


def date(iso: str) -> str:
    import datetime
    return format_date(datetime.date.fromisoformat(iso), format="d MMMM y", locale=LOCALE) if iso else ""


UNIT_FORMATS = {
    "IDR": rupiah,
    "percent": lambda v: percent(v, 2),
    "count": lambda v: number(v, 0),
    "people": lambda v: number(v, 0),
    "days": lambda v: number(v),
    "index": lambda v: number(v, 2),
    "indicator": lambda v: number(v, 2),
    "unknown": lambda v: number(v),
    "year": lambda v: str(int(float(v))) if v not in (None, "") else "",
    "order": lambda v: str(int(float(v))) if v not in (None, "") else "",
}


AXIS_TITLES = {"IDR": "Rupiah", "count": "Jumlah", "people": "Orang", "days": "Hari", "percent": "Persen"}


def axis_title(unit: str | None) -> str:
    """What a chart's value axis counts, by the unit of its values."""
    return AXIS_TITLES.get(unit or "", "Nilai")


def by_unit(value, unit: str | None) -> str:
    if value in (None, ""):
        return ""
    return UNIT_FORMATS.get(unit or "", lambda v: number(v))(value)


# Text from the data goes into Markdown headings, HTML, titles and attributes, always as
# printed and always inert. In HTML the template engine escapes it; in Markdown every
# character that could start markup is escaped; in the front matter, titles and
# descriptions are HTML-escaped, because the themes print them as HTML (page title,
# header, navigation, meta tags) and our own templates print them `striptags | e`.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>])")  # Python-Markdown's escapable set


def markdown_text(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(" ".join(str(text).split()), quote=False))


def front_matter_text(text: str) -> str:
    """A title or description as the themes print it: HTML, on one line."""
    return html.escape(" ".join(str(text).split()), quote=True)


# A spreadsheet runs a cell starting with one of these as a formula. Downloads give such
# text cells a leading apostrophe (the convention spreadsheets show as plain text);
# numbers are written as numbers, so the data stays exact.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def lower_first(text: str) -> str:
    """A title inside a sentence: its first letter in lower case, unless it starts an
    acronym ('Pagu efektif' -> 'pagu efektif'; 'UPT Imigrasi' and 'PNBP' stay)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text
