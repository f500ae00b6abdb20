"""File rules: the CSV behind a resource can be read exactly as intended."""
from __future__ import annotations

import csv
import os

from ..load import DataPackage, Resource, parse_csv, read_bytes
from ..problems import Problem, show

BOM = b"\xef\xbb\xbf"


def read_table(package: DataPackage, resource: Resource) -> list[Problem]:
    """Read the resource's CSV into resource.table, or explain why it cannot be."""
    where = resource.file
    raw = read_bytes(os.path.join(package.folder, resource.path))
    if raw is None:
        return [Problem(where, None, None, "the resource file to exist", "no such file",
                        f"create it or remove resource {resource.name!r} from datapackage.yaml")]
    if not raw.strip(b" \t\r\n" + BOM):
        return [Problem(where, None, None, "a header line and rows", "an empty file")]
    if raw.startswith(BOM):
        return [Problem(where, 1, None, "UTF-8 without byte-order mark", "a byte-order mark (EF BB BF)",
                        "save as 'CSV UTF-8' without BOM, e.g. in LibreOffice untick 'BOM'")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [encoding_problem(where, raw, exc.start)]
    try:
        table = parse_csv(text)
    except csv.Error as exc:
        return [Problem(where, None, None, "well-formed CSV", f"CSV error: {exc}", "check the quotes")]
    problems = header_problems(resource, table)
    for line, cells in table.rows:
        if len(cells) != len(table.header):
            problems.append(Problem(where, line, None, f"{len(table.header)} cells like the header",
                                    f"{len(cells)} cells", "a comma inside a value needs quotes"))
    if not problems:
        resource.table = table
    return problems


def encoding_problem(where: str, raw: bytes, offset: int) -> Problem:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    line = raw[:offset].count(b"\n") + 1
    column = offset - line_start + 1
    byte = raw[offset]
    guess = bytes([byte]).decode("cp1252", errors="replace")
    return Problem(where, line, None, "UTF-8 text",
                   f"byte 0x{byte:02X} at column {column} ({guess!r} in Windows-1252/Latin-1)",
                   "the file was saved as Windows-1252/Latin-1: save it again as 'CSV UTF-8'")


def header_problems(resource: Resource, table) -> list[Problem]:
    where = resource.file
    expected = [f.get("name") for f in resource.fields]
    header = table.header
    if len(header) == 1 and len(expected) > 1:
        for sep, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "pipes")):
            if sep in header[0]:
                return [Problem(where, 1, None, "comma-separated values", f"values separated by {label}",
                                "export again as CSV with comma as the field delimiter")]
    if header == expected:
        return []
    missing = [name for name in expected if name not in header]
    extra = [name for name in header if name not in expected]
    problems = [Problem(where, 1, name, "this column (declared in the schema)", "no such column")
                for name in missing]
    problems += [Problem(where, 1, name, f"only the schema's columns {expected}", f"extra column {show(name)}",
                         "remove it, or declare it in datapackage.yaml") for name in extra]
    if not problems:
        problems.append(Problem(where, 1, None, f"columns in schema order {expected}", f"{header}"))
    return problems
