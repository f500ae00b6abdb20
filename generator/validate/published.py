"""A published figure that is now blank or gone has a recorded reason.

The working tree is compared with a baseline revision by `portal diff`'s own reading of
both states (generator/diff.py). A number published at the baseline that is now an empty
cell needs a note written in the same change (its row's `catatan` changed, not empty) or
a row of referensi/perubahan.csv naming it (paket, tabel, kunci, kolom); a row removed
with its numbers needs such a row. A removed row whose numbers all stand, unchanged, in a
row added to the same table for the same satker and year lost nothing: its key or its
source line was corrected.

This rule reads git, so it is not part of `validate()`: a build or a preview never depends
on the repository's history. `portal validate` runs it (`--dasar`), and CI gives it the
pull request's base.
"""
from __future__ import annotations

import csv
import io
import os

from ..diff import DiffError, Table, compare, git, is_figure, number, repository, resolve, states
from ..load import REFERENCE_PACKAGE, DataPackage, shown
from ..messages import t
from ..problems import Problem, show

RECORD = "perubahan"  # the change record: a resource of the reference package
UPSTREAMS = ("origin/HEAD", "origin/main")  # the remote's main branch, where a pull request goes


def default_baseline(data: str) -> tuple[str, str]:
    """(revision, label): where this branch left the remote's main branch (origin/HEAD, or
    origin/main: what its pull request will be compared with), else HEAD. DiffError when
    there is no history."""
    top, _ = repository(data)
    head = resolve(top, "HEAD")
    for upstream in UPSTREAMS:
        try:
            tip = resolve(top, upstream)
        except DiffError:
            continue
        base = git(top, "merge-base", head, tip).decode().strip()
        return base, upstream if base == tip else base[:10]
    return head, "HEAD"


def check_published(data: str, packages: list[DataPackage], rev: str, label: str) -> list[Problem]:
    before, after, *_ = states(data, rev)
    records = change_records(packages)
    where = shown(os.path.join(data, REFERENCE_PACKAGE, f"{RECORD}.csv"), data)
    changes = [c for c in compare(before, after) if c.package != REFERENCE_PACKAGE or c.resource != RECORD]
    rows: dict[tuple[str, str], list] = {}
    for change in changes:
        rows.setdefault((change.kind, change.csv), []).append(change)
    problems = []
    for change in changes:
        table = after.get((change.package, change.resource))
        if change.kind == "changed" and change.old and not change.new and published(table, change.column) \
                and not noted(rows[("changed", change.csv)]) and not recorded(records, change, change.column):
            file, _, line = change.csv.rpartition(":")
            problems.append(Problem(file, int(line), change.column, t("published.expected", record=where),
                                    t("published.blank", rev=label, old=show(change.old)),
                                    t("published.hint", record=where, line=record_line(change, change.old))))
    added = [group for (kind, _), group in rows.items() if kind == "added"]
    for (kind, _), group in rows.items():
        if kind != "removed":
            continue
        table = before.get((group[0].package, group[0].resource))
        gone = [c for c in group if published(table, c.column)]
        if gone and not moved(gone, added) and not all(recorded(records, c, c.column) for c in gone):
            problems.append(removed(gone, label, where))
    return problems


def published(table: Table | None, column: str | None) -> bool:
    """A figure of a transcribed table (one whose rows cite their source line)."""
    return table is not None and "sumber_baris" in table.fields and is_figure(table, column)


def noted(row_changes: list) -> bool:
    """The row's catatan was written in the same change."""
    return any(c.column == "catatan" and c.new for c in row_changes)


def change_records(packages: list[DataPackage]) -> list[dict]:
    reference = next((p for p in packages if p.name == REFERENCE_PACKAGE), None)
    resource = reference.resource(RECORD) if reference else None
    return [record for _, record in resource.records()] if resource else []


def recorded(records: list[dict], change, column: str) -> bool:
    return any(r.get("paket") == change.package and r.get("tabel") == change.resource and r.get("kunci") == change.key
               and column in r.get("kolom", "").split() for r in records)


def moved(gone: list, added: list[list]) -> bool:
    """Every removed figure stands, unchanged, in one row added to the same table for the
    same satker and year."""
    first = gone[0]
    for group in added:
        other = group[0]
        if (other.package, other.resource, other.satker, other.year) != (first.package, first.resource, first.satker,
                                                                          first.year):
            continue
        values = {c.column: c.new for c in group}
        if all(c.column in values and equal(c.old, values[c.column]) for c in gone):
            return True
    return False


def equal(a: str | None, b: str | None) -> bool:
    x, y = number(a or ""), number(b or "")
    return a == b or (x is not None and x == y)


def removed(gone: list, label: str, where: str) -> Problem:
    first = gone[0]
    file, _, line = first.csv.rpartition(":")
    figures = ", ".join(f"{c.column} {c.old}" for c in gone)
    return Problem(file, None, None, t("published.expected_removed", record=where),
                   t("published.removed", line=line, rev=label, row=show(first.key, 100), figures=figures),
                   t("published.hint_removed", record=where,
                     line=record_line(first, "; ".join(f"{c.column} {c.old}" for c in gone),
                                      " ".join(c.column for c in gone))))


def record_line(change, old: str, columns: str | None = None) -> str:
    """The line of referensi/perubahan.csv that records this change, the reason and the
    date left for the editor to write."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([change.package, change.resource, change.key,
                                                 columns or change.column, old, "<alasan>", "<tanggal>"])
    return out.getvalue()
