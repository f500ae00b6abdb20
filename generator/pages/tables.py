"""Tables shown on pages: formatted cells for people, a CSV of exactly the same rows for machines."""
from __future__ import annotations

import csv
import functools
import io
import json
import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from .. import fmt


@dataclass
class Column:
    key: str
    label: str
    unit: str | None = None  # a schema unit (IDR, percent, ...) formats the cell; None = text
    numeric: bool = False
    codes: dict | None = None  # code -> label: the page shows the label, the CSV keeps the code


@dataclass
class Cell:
    text: str  # shown (escaped by the template)
    raw: object  # written to the CSV
    flag: str = ""  # data-quality note shown beside the value
    link: str = ""  # relative URL when the cell links somewhere
    icon: str = ""  # status icon (shown with words, never colour alone)
    css: str = ""
    details: list = field(default_factory=list)  # lines folded beneath the text (<details>)
    code: str = ""  # "all": the text is a name set in <code>; "terms": the names of columns, codes and files in it are
    code_words: tuple = ()  # with "terms": codes of the data set in <code> too where they read "code = label"

    def __reduce_ex__(self, protocol):  # page keys pickle cells by the thousand: as a tuple it is faster
        return Cell, tuple(vars(self).values())


@dataclass
class Table:
    id: str
    caption: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    csv_path: str = ""  # site-relative path of the CSV download, set when the page is written
    folded: str = ""  # when set, the table is shown folded under this summary (other printings)
    sortable: bool = True  # False: its rows form a hierarchy (parts under their whole, subtotals), kept in the
    # report's order; sorting would mix the levels (theme/assets/portal.js leaves a data-nosort table alone)

    def add(self, values: dict, flags: dict | None = None, links: dict | None = None, extra: dict | None = None):
        flags, links, extra = flags or {}, links or {}, extra or {}
        row = []
        for column in self.columns:
            raw = values.get(column.key)
            cell = extra.get(column.key) or Cell(format_value(raw, column), raw)
            cell.flag = cell.flag or flags.get(column.key, "")
            cell.link = cell.link or links.get(column.key, "")
            row.append(cell)
        self.rows.append(row)


def rows_html(table: Table) -> Markup:
    """The table's <tr> rows: the hot path of page writing, so Python rather than a
    template loop; every value is escaped exactly as the template would escape it."""
    columns = [(str(escape(c.label)), ' class="pk-num"' if c.numeric else "") for c in table.columns]
    lines = []
    for row in table.rows:
        cells = []
        for cell, (label, numeric) in zip(row, columns):
            inner = str(escape(cell.text))  # plain str from here: Markup + str would escape again
            if cell.code == "all":
                inner = f"<code>{inner}</code>"
            elif cell.code == "terms":
                inner = code_terms(inner, cell.code_words)
            if cell.icon:
                inner = (f'<span class="pk-status {escape(cell.css)}"><span aria-hidden="true">{escape(cell.icon)}'
                         f'</span> {inner}</span>')
            elif cell.link:
                inner = f'<a href="{escape(cell.link)}">{inner}</a>'
            if cell.details:
                items = "".join(f"<li>{escape(line)}</li>" for line in cell.details)
                inner = f'<details class="pk-fold"><summary>{inner}</summary><ul>{items}</ul></details>'
            if cell.flag:
                inner += f'<small class="pk-flag"><span aria-hidden="true">⚠</span> {escape(cell.flag)}</small>'
            cells.append(f'<td data-label="{label}"{numeric}>{inner}</td>')
        lines.append("<tr>" + "".join(cells) + "</tr>\n")
    return Markup("".join(lines))


# A column name, code or file name inside a text: a file name (with its folders), a folder
# of the repository, a snake_case name, or an id with two hyphens or more (rb-rencana-aksi;
# Indonesian words have one at most: rata-rata).
TERM_BODY = (r"(?:[a-z0-9_-]+/)*[a-z0-9_-]+\.(?:csv|yaml|txt|zip|xlsx|json)"
             r"|(?:datapackages|definitions|referensi|laporan|generator)/(?:[a-z0-9_.-]*[a-z0-9_/])?"
             r"|[a-z0-9]+(?:_[a-z0-9]+)+|[a-z0-9]+(?:-[a-z0-9]+){2,}")


@functools.lru_cache(maxsize=256)
def terms_pattern(words: tuple = ()) -> re.Pattern:
    """TERM_BODY, and each of `words` where it reads "word = ..." (a code and its label)."""
    extra = "".join(re.escape(w) + "(?= = )|" for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w./-])({extra}{TERM_BODY})(?![\w/-])", re.I)


def code_terms(escaped: str, words: tuple = ()) -> str:
    """Escaped text with every column name, code and file name (and each of `words` where it
    reads "word = ...") set in <code>; what is wrapped is never markup (names, or `words` as escaped)."""
    return terms_pattern(tuple(str(escape(w)) for w in words)).sub(r"<code>\1</code>", escaped)


def format_value(raw, column: Column) -> str:
    if raw is None or raw == "":
        return "–"
    if column.codes is not None:
        return column.codes.get(raw, str(raw))
    if column.unit:
        return fmt.by_unit(raw, column.unit)
    return str(raw)


def csv_text(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.label for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(cell.raw if not cell.details else f"{cell.raw}: {'; '.join(cell.details)}", column)
                         for cell, column in zip(row, table.columns)])
    return out.getvalue()


def json_text(table: Table) -> str:
    """The table as JSON records with the CSV's columns and values (numbers as numbers)."""
    records = []
    for row in table.rows:
        record = {}
        for cell, column in zip(row, table.columns):
            raw = cell.raw if not cell.details else f"{cell.raw}: {'; '.join(cell.details)}"
            record[column.label] = raw if isinstance(raw, (int, float)) or raw is None else str(raw)
        records.append(record)
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"


def csv_cell(raw, column: Column) -> str:
    """The cell as written to the CSV (a folded cell's lines follow its summary)."""
    if raw is None:
        return ""
    if column.unit and isinstance(raw, (int, float)):
        return repr_number(raw)
    return fmt.neutral(str(raw))


def repr_number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")
