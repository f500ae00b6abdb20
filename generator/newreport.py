"""`portal laporan-baru`: a report registered, with its text and its tables.

Adds the report's row to referensi/laporan.csv and, for each `--tabel`, a row to the
sources register (referensi/sumber.csv, status `tidak_ditranskripsi` until its figures
are copied). Its plain text goes to laporan/NAME: copied from a .txt, or made from a PDF
with `pdftotext -layout` when poppler's pdftotext is installed; without either, the
command says exactly which file to put where. The rows are checked by the validator's
rules before anything is written (newrows.py), the tables' lines against the text; then
everything is validated and the command says what to fill next.
"""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import tempfile

from .load import REFERENCE_PACKAGE, shown
from .messages import say, t
from .newrows import append, reference, refused, steps, trial
from .problems import Problem, show
from .validate.reference import REPORTS

TABLE_FIELDS = ("sumber_tabel", "halaman", "baris_awal", "baris_akhir", "judul_tercetak")
NEW_TABLE_STATUS = "tidak_ditranskripsi"  # until its figures are copied into a year package


def tables(values: list[str], name: str, out) -> list[dict] | None:
    """Each `--tabel NUMBER,PAGE,FIRST,LAST[,TITLE]` as a row of the sources register; None
    (and why) when one is not of that form."""
    rows = []
    for value in values:
        cells = next(csv.reader([value]), [])
        if not 4 <= len(cells) <= 5:
            print(say("laporan.table_form", value=show(value)), file=out)
            return None
        rows.append({"sumber_file": name, **dict(zip(TABLE_FIELDS, (c.strip() for c in cells))),
                     "status": NEW_TABLE_STATUS})
    return rows


def text_of(source: str | None, target: str, root: str, out) -> tuple[bytes | None, str, int]:
    """(the report's text, how it was got, status): the text of `source` (.txt as it is,
    .pdf through pdftotext), or of the file already at `target`; None when there is none
    yet (status 0: the command goes on and says where to put it), status 1 to stop."""
    where = shown(target, root)
    if source is None:
        if os.path.isfile(target):
            return open(target, "rb").read(), say("laporan.text_kept", file=where), 0
        return None, say("laporan.text_missing", file=where), 0
    if not os.path.isfile(source):
        print(say("laporan.no_source", file=source), file=out)
        return None, "", 1
    if source.lower().endswith(".pdf"):
        if shutil.which("pdftotext") is None:
            return None, say("laporan.no_pdftotext", pdf=source, file=where), 0
        with tempfile.TemporaryDirectory() as folder:
            made = os.path.join(folder, "laporan.txt")
            done = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", source, made], capture_output=True,
                                  text=True)
            if done.returncode != 0:
                print(say("laporan.pdftotext_failed", pdf=source, error=done.stderr.strip()), file=out)
                return None, "", 1
            data = open(made, "rb").read()
        how = say("laporan.text_pdf", file=where, pdf=source)
    else:
        data = open(source, "rb").read()
        how = say("laporan.text_copied", file=where, source=source)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        byte = data[exc.start]
        print(Problem(source, line, None, t("file.utf8"),
                      t("file.byte_found", byte=f"0x{byte:02X}", char=repr(bytes([byte]).decode("cp1252", "replace"))),
                      t("laporan.utf8_hint")), file=out)
        return None, "", 1
    if os.path.isfile(target) and open(target, "rb").read() != data:
        print(say("laporan.text_exists", file=where), file=out)
        return None, "", 1
    return data, how, 0


def outside_text(added, data: bytes) -> list[Problem]:
    """Table rows whose lines are not lines of the report's text."""
    count = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    problems = []
    for resource, line, cells in added:
        record = dict(zip(resource.table.header, cells))
        for column in ("baris_awal", "baris_akhir") if resource.name == "sumber" else ():
            if record[column].isdigit() and not 1 <= int(record[column]) <= count:
                problems.append(Problem(resource.file, line, column, t("laporan.line_in_text", count=count),
                                        show(record[column])))
    return problems


def create(data_root: str, name: str, record: dict, table_values: list[str], source: str | None, out) -> int:
    package, problems = reference(data_root)
    if problems or package.descriptor is None:
        return refused("laporan-baru", problems, out)
    rows = tables(table_values, name, out)
    if rows is None:
        return refused("laporan-baru", [], out)
    added, problems = trial(package, [("laporan", {"sumber_file": name, **record})]
                            + [("sumber", row) for row in rows])
    if problems:
        return refused("laporan-baru", problems, out)
    target = os.path.join(os.path.dirname(os.path.abspath(data_root)), REPORTS, name)
    data, how, status = text_of(source, target, data_root, out)
    if status:
        return refused("laporan-baru", [], out)
    problems = outside_text(added, data) if data is not None else []
    if problems:
        return refused("laporan-baru", problems, out)
    if data is not None and not os.path.isfile(target):
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(data)
    append(package, added)
    for resource, line, cells in added:
        row = dict(zip(resource.table.header, cells))
        what = (say("laporan.made", name=name, year=row["tahun_laporan"], satker=row["satker_id"])
                if resource.name == "laporan" else
                say("laporan.made_table", table=row["sumber_tabel"], first=row["baris_awal"], last=row["baris_akhir"]))
        print(f"{resource.file}:{line}: {what}", file=out)
    print(how, file=out)
    return 0


def next_steps(data_root: str, name: str, year: str, with_tables: bool, out) -> None:
    folder = shown(os.path.join(data_root, str(year)), data_root)
    reference_folder = shown(os.path.join(data_root, REFERENCE_PACKAGE), data_root)
    keys = ["laporan.step_status" if with_tables else "laporan.step_tables",
            "laporan.step_rows" if os.path.isdir(os.path.join(data_root, str(year))) else "laporan.step_year",
            "laporan.step_metadata", "tahun.step_check", "tahun.step_publish"]
    steps(keys, out, name=name, year=year, folder=folder, reference=reference_folder)
