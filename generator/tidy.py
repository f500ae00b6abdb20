"""`portal rapikan`: a CSV saved by a spreadsheet, back into the standard form.

Excel saves what it shows: with Indonesian regional settings a "CSV UTF-8" file starts
with a byte-order mark, separates cells with semicolons, ends lines with CRLF and writes
numbers as they are displayed (8.844.706.000, 99,74 %); a plain "CSV" is Windows-1252;
rows once touched come back as rows of empty cells. This module undoes each of those,
using the resource's schema to know which columns hold numbers, and names every change
it makes. A cell it cannot read with certainty (1.234 in a file that writes decimals
both ways, digits lost to scientific notation, 03/04/2025) is refused with its location
and the file is left as it was: it never guesses a figure.

Rows it does not change keep their bytes, so `git diff` shows only what changed.
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .load import DESCRIPTOR, SCHEMAS, read_package, shown
from .messages import Text, t
from .problems import Problem, show

BOM = b"\xef\xbb\xbf"
DELIMITERS = ((",", "rapikan.comma"), (";", "file.semicolons"), ("\t", "file.tabs"))
NUMERIC = ("number", "integer", "year")
# a valid UTF-8 sequence of two or more bytes: almost never in a Windows-1252 text
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")

# The shapes a number takes in a spreadsheet's CSV (a leading minus allowed in each).
PLAIN = re.compile(r"-?[0-9]+")
DECIMAL_DOT = re.compile(r"-?[0-9]+\.[0-9]+")  # 99.74: canonical, unless it is 1.234 (see ONE_DOT)
DECIMAL_COMMA = re.compile(r"-?[0-9]+,[0-9]+")  # 99,74
DOTS_AND_COMMA = re.compile(r"-?[1-9][0-9]{0,2}(\.[0-9]{3})+,[0-9]+")  # 1.234.567,89
DOTS = re.compile(r"-?[1-9][0-9]{0,2}(\.[0-9]{3}){2,}")  # 8.844.706.000
COMMAS_AND_DOT = re.compile(r"-?[1-9][0-9]{0,2}(,[0-9]{3})+\.[0-9]+")  # 1,234,567.89 (English settings)
COMMAS = re.compile(r"-?[1-9][0-9]{0,2}(,[0-9]{3}){2,}")  # 8,844,706,000
ONE_DOT = re.compile(r"-?[1-9][0-9]{0,2}\.[0-9]{3}")  # 1.234: 1234 in Indonesian, 1.234 in English
ONE_COMMA = re.compile(r"-?[1-9][0-9]{0,2},[0-9]{3}")  # 1,234: 1.234 in Indonesian, 1234 in English
SCIENTIFIC = re.compile(r"-?[0-9]+([.,][0-9]+)?[eE][-+]?[0-9]+")
DATE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
BOOLEAN = {"true": "true", "false": "false", "benar": "true", "salah": "false", "ya": "true", "tidak": "false"}


@dataclass
class Result:
    """What tidying one file found: the changes (located texts), the cells it refuses,
    and the text it would write (None when it refuses or nothing changes)."""
    file: str
    changes: list[tuple[int | None, str | None, Text]] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    text: str | None = None

    def change(self, line: int | None, column: str | None, text: Text) -> None:
        self.changes.append((line, column, text))

    def refuse(self, line: int | None, column: str | None, expected, found, hint="") -> None:
        self.refused.append(Problem(self.file, line, column, expected, found, hint))


def find_resource(path: str, data_root: str):
    """(descriptor problems, fields of the resource whose CSV `path` is) from the
    datapackage.yaml beside it (and the shared schemas it names)."""
    folder = os.path.dirname(os.path.abspath(path))
    descriptor_path = os.path.join(folder, DESCRIPTOR)
    where = shown(path, data_root)
    if not os.path.exists(descriptor_path):
        return [Problem(where, None, None, t("rapikan.in_package"), t("rapikan.no_descriptor"),
                        t("rapikan.in_package_hint"))], None
    root = os.path.dirname(folder)
    package, problems = package_of(root, os.path.basename(folder), stamps(root, descriptor_path))
    if problems or package.descriptor is None:
        return problems, None
    for resource in package.resources:
        if os.path.normpath(resource.path) == os.path.basename(path):
            return [], resource.fields
    return [Problem(where, None, None, t("folder.declared", descriptor=package.descriptor_file),
                    t("folder.undeclared"), t("folder.undeclared_hint"))], None


def stamps(root: str, descriptor_path: str) -> tuple:
    """When the descriptor and the shared schemas last changed: the key of package_of."""
    folder = os.path.join(root, SCHEMAS)
    names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    return tuple((path, os.path.getmtime(path)) for path in [descriptor_path] + [os.path.join(folder, n) for n in names])


@lru_cache(maxsize=16)
def package_of(root: str, name: str, stamps: tuple):
    """A package's descriptor and schemas, read once for all of its CSVs (again when one changes)."""
    return read_package(root, name)


def tidy_file(path: str, data_root: str) -> Result:
    result = Result(shown(path, data_root))
    problems, fields = find_resource(path, data_root)
    if fields is None:
        result.refused += problems
        return result
    with open(path, "rb") as fh:
        raw = fh.read()
    text = decode(raw, result)
    if text is None:
        return result
    if "\r" in text:
        result.change(None, None, t("rapikan.crlf"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    names = [f.get("name") for f in fields]
    delimiter = pick_delimiter(text, names, result)
    if delimiter is None:
        return result
    records = split_records(text, delimiter, result)
    if records is None:
        return result
    tidy_records(records, fields, delimiter, result)
    return result


def decode(raw: bytes, result: Result) -> str | None:
    if raw.startswith(BOM):
        raw = raw[len(BOM):]
        result.change(None, None, t("rapikan.bom"))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        result.change(None, None, t("rapikan.utf16"))
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        first = exc.start
    line = raw[:first].count(b"\n") + 1
    if UTF8_SEQUENCE.search(raw):
        result.refuse(line, None, t("rapikan.one_encoding"), t("rapikan.mixed", byte=f"0x{raw[first]:02X}"),
                      t("rapikan.mixed_hint"))
        return None
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        result.refuse(raw[:exc.start].count(b"\n") + 1, None, t("file.utf8"),
                      t("rapikan.undefined", byte=f"0x{raw[exc.start]:02X}"), t("rapikan.mixed_hint"))
        return None
    converted = sorted({char for char in text if ord(char) > 127})
    result.change(None, None, t("rapikan.cp1252", chars=" ".join(converted)))
    return text


def pick_delimiter(text: str, names: list[str], result: Result) -> str | None:
    """The delimiter that splits the first line into the most of the schema's column names."""
    first = text.split("\n", 1)[0]
    scores = []
    for delimiter, label in DELIMITERS:
        try:
            header = next(csv.reader(io.StringIO(first), delimiter=delimiter))
        except (csv.Error, StopIteration):
            header = []
        scores.append((len(set(cell.strip() for cell in header) & set(names)), delimiter, label))
    best = max(scores, key=lambda score: score[0])
    if best[0] == 0 or [score[0] for score in scores].count(best[0]) > 1:
        result.refuse(1, None, t("rapikan.header", columns=", ".join(names)), show(first, 100),
                      t("rapikan.header_hint"))
        return None
    if best[1] != ",":
        result.change(None, None, t("rapikan.delimiter", separator=t(best[2])))
    return best[1]


@dataclass
class Record:
    line: int
    raw: str
    cells: list[str]
    changed: bool = False


def split_records(text: str, delimiter: str, result: Result) -> list[Record] | None:
    """Each record with the line it starts on and its text as written (a quoted cell may
    hold line breaks)."""
    records, start, start_line, line, quoted = [], 0, 1, 1, False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == "\n":
            if not quoted:
                records.append((start_line, text[start:index]))
                start, start_line = index + 1, line + 1
            line += 1
    if start < len(text):
        records.append((start_line, text[start:]))
    parsed = []
    for number, raw in records:
        try:
            cells = next(csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter, strict=True), [])
        except csv.Error as exc:
            result.refuse(number, None, t("file.csv"), t("file.csv_found", error=str(exc)), t("file.csv_hint"))
            return None
        parsed.append(Record(number, raw, cells, changed=delimiter != ","))
    return parsed


def tidy_records(records: list[Record], fields: list[dict], delimiter: str, result: Result) -> None:
    header, rows = records[0], records[1:]
    drop_trailing_columns(header, rows, result)
    empty = [r.line for r in rows if not "".join(r.cells).strip()]
    if empty:
        from .validate.files import spans

        result.change(empty[0], None, t("rapikan.empty_rows", lines=spans(empty)))
        rows = [r for r in rows if "".join(r.cells).strip()]
    by_name = {f.get("name"): f for f in fields}
    columns = [(index, by_name[name.strip()]) for index, name in enumerate(header.cells) if name.strip() in by_name]
    style = number_style(rows, columns, delimiter)
    for row in rows:
        for index, spec in columns:
            if index < len(row.cells):
                tidy_cell(row, index, spec, style, result)
    if not result.refused and (result.changes or any(r.changed for r in records)):
        out = []
        for record in [header] + rows:
            if record.changed:
                line = io.StringIO()
                csv.writer(line, lineterminator="").writerow(record.cells)
                out.append(line.getvalue())
            else:
                out.append(record.raw)
        result.text = "\n".join(out) + "\n"


def drop_trailing_columns(header: Record, rows: list[Record], result: Result) -> None:
    """Columns right of the last named one that hold nothing (a spreadsheet writes them
    for cells once formatted), and empty cells beyond the header's width."""
    width = len(header.cells)
    while width and not header.cells[width - 1].strip() and all(
            not "".join(r.cells[width - 1:]).strip() for r in rows):
        width -= 1
    if width < len(header.cells):
        result.change(1, None, t("rapikan.columns", count=len(header.cells) - width))
        header.cells, header.changed = header.cells[:width], True
    trimmed = 0
    for row in rows:
        if len(row.cells) > width and not "".join(row.cells[width:]).strip():
            row.cells, row.changed = row.cells[:width], True
            trimmed += 1
    if trimmed:
        result.change(None, None, t("rapikan.trailing_cells", count=trimmed))


@dataclass
class Style:
    """How this file writes numbers, from the cells whose reading is certain: Indonesian
    (decimal comma, thousands dot), English (thousands comma) or plain decimal dots."""
    indonesian: tuple[int, str, str] | None = None  # (line, column, cell) of the first evidence
    english: tuple[int, str, str] | None = None
    dot: tuple[int, str, str] | None = None


def number_style(rows: list[Record], columns: list[tuple[int, dict]], delimiter: str) -> Style:
    style = Style()
    for row in rows:
        for index, spec in columns:
            if spec.get("type") not in NUMERIC or index >= len(row.cells):
                continue
            cell = strip_unit(row.cells[index].strip(), spec)
            evidence = (row.line, spec.get("name"), row.cells[index])
            if DOTS_AND_COMMA.fullmatch(cell) or DOTS.fullmatch(cell) or (
                    DECIMAL_COMMA.fullmatch(cell) and not ONE_COMMA.fullmatch(cell)):
                style.indonesian = style.indonesian or evidence
            elif COMMAS_AND_DOT.fullmatch(cell) or COMMAS.fullmatch(cell):
                style.english = style.english or evidence
            elif DECIMAL_DOT.fullmatch(cell) and not ONE_DOT.fullmatch(cell):
                style.dot = style.dot or evidence
    if delimiter == ";" and style.indonesian is None and style.english is None:
        style.indonesian = (1, None, ";")  # Excel separates with ';' where the decimal mark is ','
    return style


def strip_unit(cell: str, spec: dict) -> str:
    if spec.get("unit") == "percent" and cell.endswith("%"):
        cell = cell[:-1].strip()
    if spec.get("unit") == "IDR" and cell[:2].lower() == "rp":
        cell = cell[2:].strip(" .")
    return cell


def tidy_cell(row: Record, index: int, spec: dict, style: Style, result: Result) -> None:
    cell, name, kind = row.cells[index], spec.get("name"), spec.get("type")
    if kind in NUMERIC:
        new = tidy_number(cell, spec, style, row.line, result)
    elif kind == "boolean":
        new = BOOLEAN.get(cell.strip().lower(), cell)
    elif kind == "date":
        new = tidy_date(cell, row.line, name, result)
    else:
        return
    if new is not None and new != cell:
        result.change(row.line, name, t("rapikan.cell", old=show(cell), new=new))
        row.cells[index], row.changed = new, True


def tidy_number(cell: str, spec: dict, style: Style, line: int, result: Result) -> str | None:
    name, integer = spec.get("name"), spec.get("type") in ("integer", "year")
    text = strip_unit(cell.strip().replace("\u00a0", " "), spec)
    if text == "" or PLAIN.fullmatch(text):
        return text
    if SCIENTIFIC.fullmatch(text):
        result.refuse(line, name, t("rapikan.all_digits"), t("rapikan.scientific", cell=show(cell)),
                      t("rapikan.scientific_hint"))
        return None
    if DOTS_AND_COMMA.fullmatch(text) or DOTS.fullmatch(text):
        value = text.replace(".", "").replace(",", ".")
    elif COMMAS_AND_DOT.fullmatch(text) or COMMAS.fullmatch(text):
        value = text.replace(",", "")
    elif ONE_DOT.fullmatch(text):
        if integer or (style.indonesian and not style.dot and not style.english):
            value = text.replace(".", "")
        elif style.indonesian:
            return ambiguous(cell, text.replace(".", ""), text, style, line, name, result)
        else:
            value = text  # a decimal dot, as the file writes its decimals
    elif ONE_COMMA.fullmatch(text):
        if style.indonesian and not style.english:
            value = text.replace(",", ".")
        elif style.english and not style.indonesian:
            value = text.replace(",", "")
        else:
            return ambiguous(cell, text.replace(",", ""), text.replace(",", "."), style, line, name, result)
    elif DECIMAL_COMMA.fullmatch(text):
        value = text.replace(",", ".")
    elif DECIMAL_DOT.fullmatch(text):
        value = text
    else:
        return cell  # not a number in any spreadsheet's way: `portal validate` says what it expects
    if integer and "." in value:
        whole, _, decimals = value.partition(".")
        if decimals.strip("0"):
            result.refuse(line, name, t("cell.integer"), show(cell), t("rapikan.integer_hint"))
            return None
        value = whole
    return value


def ambiguous(cell: str, thousands: str, decimal: str, style: Style, line: int, name: str, result: Result):
    """Refuse a cell that reads two ways, naming the cells that show the file writes both."""
    evidence = []
    for where, kind in ((style.indonesian, "rapikan.kind_indonesian"), (style.english, "rapikan.kind_english"),
                        (style.dot, "rapikan.kind_dot")):
        if where and where[1]:
            evidence.append(t("rapikan.evidence", kind=t(kind), line=where[0], column=where[1], cell=show(where[2])))
        elif where:
            evidence.append(t("rapikan.evidence_semicolon"))
    result.refuse(line, name, t("rapikan.unambiguous"),
                  t("rapikan.ambiguous", cell=show(cell), thousands=thousands, decimal=decimal,
                    evidence=Joined(evidence)),
                  t("rapikan.ambiguous_hint", thousands=thousands, decimal=decimal))
    return None


class Joined(Text):
    """Texts joined with '; ', each in the language it is printed in."""

    def __new__(cls, parts: list[Text]):
        text = str.__new__(cls, "; ".join(parts))
        text.key, text.values, text.parts = "", {}, parts
        return text

    def __reduce__(self):
        return (Joined, (self.parts,))

    def render(self, lang: str | None = None) -> str:
        return "; ".join(part.render(lang) for part in self.parts)


def tidy_date(cell: str, line: int, name: str, result: Result) -> str | None:
    text = cell.strip()
    found = DATE.fullmatch(text)
    if not found:
        return text if text != cell and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) else cell
    first, second, year = int(found[1]), int(found[2]), found[3]
    if first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first:
        day, month = second, first
    else:
        result.refuse(line, name, t("cell.date"), t("rapikan.date_ambiguous", cell=show(cell),
                                                     one=f"{year}-{second:02d}-{first:02d}",
                                                     other=f"{year}-{first:02d}-{second:02d}"),
                      t("rapikan.date_hint"))
        return None
    return f"{year}-{month:02d}-{day:02d}"


def targets(files: list[str], data_root: str) -> list[str]:
    """The files named, or every CSV each package declares."""
    if files:
        return files
    from .load import discover, read_package

    found = []
    for name in discover(data_root):
        package, _ = read_package(data_root, name)
        found += [os.path.join(package.folder, r.path) for r in package.resources
                  if os.path.isfile(os.path.join(package.folder, r.path))]
    return found


def run(files: list[str], data_root: str, check_only: bool, out, err) -> int:
    from .messages import say

    status, written, refused = 0, 0, 0
    for path in targets(files, data_root):
        if not os.path.isfile(path):
            print(say("rapikan.missing", file=path), file=out)
            status, refused = 1, refused + 1
            continue
        result = tidy_file(path, data_root)
        for line, column, text in result.changes:
            where = result.file + (f":{line}" if line else "") + (f" [{column}]" if column else "")
            print(f"{where}: {text.render()}", file=out)
        for problem in result.refused:
            print(problem, file=out)
        if result.refused:
            print(say("rapikan.not_written", file=result.file, count=len(result.refused)), file=out)
            status, refused = 1, refused + 1
        elif result.text is None:
            print(say("rapikan.tidy", file=result.file), file=out)
        elif check_only:
            print(say("rapikan.would_write", file=result.file, count=len(result.changes)), file=out)
            status = 1
        else:
            write(path, result.text)
            print(say("rapikan.written", file=result.file, count=len(result.changes)), file=out)
            written += 1
    print(say("rapikan.summary", written=written, refused=refused) if not check_only
          else say("rapikan.summary_check", refused=refused), file=err)
    return status


def write(path: str, text: str) -> None:
    """Atomically: the file is either the old one or the new one, never half of each."""
    temporary = path + ".rapikan"
    with open(temporary, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.replace(temporary, path)
