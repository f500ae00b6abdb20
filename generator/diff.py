"""`portal diff`: the published figures that changed between two states of the data.

A state is a git revision (the CSV files and descriptors of `datapackages/` read with
`git ls-tree` / `git cat-file`, never checked out) or the working tree. Rows of a resource
are matched by the resource's primaryKey (from its schema at that state: written in its
datapackage.yaml, or in the shared file `skema/<resource>.yaml` the descriptor names), and
every other cell is compared: numeric cells by value (`100.0` equals `100`), text cells
as written. A row only in the new state is added, a row only in the old one removed.

Nothing here judges the data: a file that cannot be read is noted and skipped (`portal
validate` says what is wrong with it), so the diff of a pull request is shown even when
its data does not pass.
"""
from __future__ import annotations

import csv
import json
import os
import re
import subprocess
from dataclasses import asdict, dataclass, field
from decimal import Decimal

import yaml

from .ci import md as escape
from .load import DESCRIPTOR, SCHEMAS, parse_csv

WORKTREE = None  # a state that is the working tree rather than a revision
NUMERIC = {"number", "integer"}
SOURCE = ("sumber_file", "sumber_tabel", "sumber_halaman", "sumber_baris")
IDENTITY = ("satker_id", "tahun", "indikator_id")
KINDS = ("added", "changed", "removed")
TITLES = {"added": "Ditambah", "changed": "Diubah", "removed": "Dihapus"}
SIGNS = {"added": "+", "changed": "~", "removed": "-"}


class DiffError(Exception):
    """A state that cannot be read at all (not a repository, unknown revision)."""


@dataclass
class Change:
    kind: str  # added | changed | removed
    package: str  # data package folder: referensi or a year
    resource: str
    satker: str
    year: str
    indicator: str  # the row's indikator_id, when the resource has one
    series: str  # the resource and the parts of the row's key that tell it from its neighbours
    column: str | None  # the cell; None for a row added or removed without any number
    old: str | None
    new: str | None
    source: dict = field(default_factory=dict)  # sumber_file, sumber_tabel, sumber_halaman, sumber_baris
    csv: str = ""  # file:line of the row (in the new state; in the old one for a removal)
    key: str = ""  # the row's primary-key values joined by ' / ' (what referensi/perubahan.csv names a row by)
    parts: dict = field(default_factory=dict)  # the cells of `series`' parts by column (pages show them by their labels)
    figure: bool = False  # the cell is a published number (is_figure), not text, an identity or a source


@dataclass
class Diff:
    old: str  # what was compared, as named: a revision, or "working tree"
    new: str
    changes: list[Change]
    notes: list[str]  # files that could not be read at either state

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]


# --- reading a state ------------------------------------------------------------------------

def git(top: str, *args: str, stdin: bytes | None = None) -> bytes:
    done = subprocess.run(["git", "-C", top, *args], input=stdin, capture_output=True)
    if done.returncode != 0:
        raise DiffError(done.stderr.decode("utf-8", "replace").strip() or f"git {' '.join(args)} gagal")
    return done.stdout


def repository(data: str) -> tuple[str, str]:
    """(top folder of the git repository holding `data`, data folder relative to it)."""
    folder = os.path.abspath(data)
    probe = folder if os.path.isdir(folder) else os.path.dirname(folder)
    try:
        top = git(probe, "rev-parse", "--show-toplevel").decode().strip()
    except (DiffError, OSError) as exc:
        raise DiffError(f"{data} tidak berada di dalam repositori git ({exc})") from None
    return top, os.path.relpath(os.path.realpath(folder), os.path.realpath(top)).replace(os.sep, "/")


def resolve(top: str, rev: str) -> str:
    try:
        return git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}").decode().strip()
    except DiffError:
        raise DiffError(f"revisi {rev!r} tidak ditemukan di repositori ini "
                        "(untuk pull request: ambil riwayatnya, mis. fetch-depth: 2)") from None


def files_at(top: str, rel: str, commit: str | None, packages: set[str] | None = None) -> dict[str, bytes]:
    """Every file under the data folder, by path relative to it: at a commit, or on disk;
    only those of the given package folders when `packages` is set (the history reads
    only the packages a commit touched)."""
    keep = None if packages is None else set(packages) | {SCHEMAS}  # the shared schemas the descriptors name
    wanted = (lambda path: True) if keep is None else (lambda path: path.split("/")[0] in keep)
    if commit is WORKTREE:
        root = os.path.join(top, rel)
        found = {}
        for folder, dirs, names in os.walk(root):
            dirs.sort()
            for name in names:
                path = os.path.join(folder, name)
                shown = os.path.relpath(path, root).replace(os.sep, "/")
                if wanted(shown):
                    with open(path, "rb") as fh:
                        found[shown] = fh.read()
        return found
    listing = git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", rel).split(b"\0")
    prefix = "" if rel in ("", ".") else rel + "/"
    blobs = []
    for entry in filter(None, listing):
        meta, path = entry.split(b"\t", 1)
        _mode, kind, oid = meta.split()
        shown = path.decode("utf-8", "replace")[len(prefix):]
        if kind == b"blob" and wanted(shown):
            blobs.append((shown, oid))
    if not blobs:
        return {}
    out = git(top, "cat-file", "--batch", stdin=b"".join(oid + b"\n" for _, oid in blobs))
    found, at = {}, 0
    for path, _ in blobs:  # answers come in the order asked: "<oid> blob <size>\n<bytes>\n"
        end = out.index(b"\n", at)
        size = int(out[at:end].split()[2])
        found[path] = out[end + 1:end + 1 + size]
        at = end + 2 + size
    return found


@dataclass
class Table:
    """One resource at one state: rows by key, and how to read them."""

    file: str  # shown path
    fields: dict[str, str]  # name -> Frictionless type
    key: list[str]
    rows: dict[tuple, tuple[int, dict[str, str]]]  # key -> (line, cells)


def tables(files: dict[str, bytes], shown: str, notes: list[str], label: str) -> dict[tuple[str, str], Table]:
    """(package, resource) -> Table for every resource a descriptor names."""
    found = {}
    packages = sorted({p.split("/")[0] for p in files if p.count("/") == 1 and p.endswith("/" + DESCRIPTOR)})
    for package in packages:
        descriptor_path = f"{package}/{DESCRIPTOR}"
        descriptor = read_yaml(files[descriptor_path])
        if descriptor is None:
            notes.append(f"{shown}/{descriptor_path} ({label}): tidak dapat dibaca sebagai YAML; paket ini dilewati")
            continue
        resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
        for resource in resources if isinstance(resources, list) else []:
            if not isinstance(resource, dict):
                continue
            path = f"{package}/{resource.get('path', '')}"
            name = str(resource.get("name", ""))
            schema = resource.get("schema")
            if isinstance(schema, str):  # the shared schema file it names (../skema/<resource>.yaml)
                schema_path = os.path.normpath(f"{package}/{schema}").replace(os.sep, "/")
                schema = read_yaml(files.get(schema_path, b""))
                if not isinstance(schema, dict):
                    notes.append(f"{shown}/{schema_path} ({label}): skema tidak dapat dibaca; baris {name} "
                                 "dicocokkan menurut seluruh isinya")
            schema = schema if isinstance(schema, dict) else {}
            fields = {str(f.get("name")): str(f.get("type", "string"))
                      for f in schema.get("fields") or [] if isinstance(f, dict)}
            key = schema.get("primaryKey") or []
            key = [key] if isinstance(key, str) else [str(k) for k in key]
            if path not in files:
                notes.append(f"{shown}/{path} ({label}): berkas tidak ada; sumber daya {name} dilewati")
                continue
            try:
                table = parse_csv(files[path].decode("utf-8-sig", "replace"))
            except csv.Error as exc:
                notes.append(f"{shown}/{path} ({label}): tidak dapat dibaca sebagai CSV ({exc}); dilewati")
                continue
            found[(package, name)] = Table(f"{shown}/{path}", fields, key, keyed(table, key))
    return found


def read_yaml(raw: bytes):
    """A descriptor or schema as data; None when it is not YAML (validate says why)."""
    try:
        return yaml.load(raw.decode("utf-8-sig", "replace"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None


def keyed(table, key: list[str]) -> dict[tuple, tuple[int, dict[str, str]]]:
    """Rows by primary key; without a key (or with a column missing) by the whole row.
    A key repeated (invalid data) gets its occurrence number, so no row is lost."""
    columns = key if key and all(k in table.header for k in key) else list(table.header)
    rows, seen = {}, {}
    for line, cells in table.rows:
        record = dict(zip(table.header, cells + [""] * (len(table.header) - len(cells))))
        base = tuple(record.get(k, "") for k in columns)
        seen[base] = seen.get(base, 0) + 1
        rows[base + ((seen[base],) if seen[base] > 1 else ())] = (line, record)
    return rows


# --- comparing ------------------------------------------------------------------------------

PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def number(text: str) -> Decimal | None:
    """The value of a plain number as the validator accepts them (no `1_000`, `1e3`, `NaN`,
    which Decimal would read): anything else is compared as text."""
    return Decimal(text) if PLAIN_NUMBER.fullmatch(text) else None


def same(old: str, new: str, kind: str) -> bool:
    if old == new:
        return True
    if kind in NUMERIC:
        a, b = number(old), number(new)
        return a is not None and b is not None and a == b
    return False


def describe(package: str, resource: str, table: Table, line: int, record: dict, kind: str,
             column: str | None, old: str | None, new: str | None) -> Change:
    cells = {k: record[k] for k in table.key if k not in IDENTITY + SOURCE and record.get(k, "")}
    parts = [f"{k} {v}" if table.fields.get(k) in NUMERIC else v for k, v in cells.items()]
    series = resource + (f" ({', '.join(parts)})" if parts else "")
    year = record.get("tahun", "") or (package if package.isdigit() else "")
    return Change(kind, package, resource, record.get("satker_id", ""), year, record.get("indikator_id", ""),
                  series, column, old, new, {k: record[k] for k in SOURCE if record.get(k, "")},
                  f"{table.file}:{line}", " / ".join(record.get(k, "") for k in table.key or list(record)), cells,
                  is_figure(table, column))


def is_figure(table: Table, column: str | None) -> bool:
    """A column of published numbers: numeric, and not part of the row's identity or source."""
    return table.fields.get(column) in NUMERIC and column not in IDENTITY + SOURCE and column not in table.key


def figures(table: Table, record: dict) -> list[str]:
    """The numbers a row publishes."""
    return [c for c in table.fields if is_figure(table, c) and record.get(c, "")]


def compare(old: dict[tuple[str, str], Table], new: dict[tuple[str, str], Table]) -> list[Change]:
    changes = []
    for package, resource in sorted(set(old) | set(new), key=order):
        before, after = old.get((package, resource)), new.get((package, resource))
        before_rows = before.rows if before else {}
        after_rows = after.rows if after else {}
        for key, (line, record) in after_rows.items():
            if key not in before_rows:
                cells = figures(after, record)
                changes += [describe(package, resource, after, line, record, "added", c, None, record[c])
                            for c in cells] or [describe(package, resource, after, line, record, "added",
                                                         None, None, None)]
                continue
            _, previous = before_rows[key]
            for column in list(record) + [c for c in previous if c not in record]:
                a, b = previous.get(column, ""), record.get(column, "")
                kind = after.fields.get(column) or (before.fields.get(column) if before else None) or "string"
                if not same(a, b, kind):
                    changes.append(describe(package, resource, after, line, record, "changed", column, a, b))
        for key, (line, record) in before_rows.items():
            if key not in after_rows:
                cells = figures(before, record)
                changes += [describe(package, resource, before, line, record, "removed", c, record[c], None)
                            for c in cells] or [describe(package, resource, before, line, record, "removed",
                                                         None, None, None)]
    return changes


def order(item: tuple[str, str]):
    package, resource = item
    return (package != "referensi", package, resource)


def states(data: str, old_rev: str | None = None, new_rev: str | None = None):
    """The tables of both states, what they are called, and the files that could not be read:
    (before, after, old label, new label, notes)."""
    top, rel = repository(data)
    old_commit = resolve(top, old_rev or "HEAD")
    new_commit = resolve(top, new_rev) if new_rev else WORKTREE
    notes: list[str] = []
    old_label = old_rev or "HEAD"
    new_label = new_rev or "pohon kerja"
    before = state(top, rel, old_commit, notes, old_label)
    after = state(top, rel, new_commit, notes, new_label)
    return before, after, old_label, new_label, notes


def diff(data: str, old_rev: str | None = None, new_rev: str | None = None) -> Diff:
    """Changes from `old_rev` (default HEAD) to `new_rev` (default: the working tree)."""
    before, after, old_label, new_label, notes = states(data, old_rev, new_rev)
    return Diff(old_label, new_label, compare(before, after), notes)


def state(top: str, rel: str, commit: str | None, notes: list[str], label: str,
          packages: set[str] | None = None) -> dict[tuple[str, str], Table]:
    """The resources of the data (or of the given packages) at a commit or in the working tree."""
    return tables(files_at(top, rel, commit, packages), rel, notes, label)


# --- writing --------------------------------------------------------------------------------

def short(text: str | None, limit: int = 100) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def pair(old: str | None, new: str | None, limit: int = 100) -> tuple[str, str]:
    """Old and new text, shortened so that where they differ shows: a long note edited
    near its end is cut from a little before the first difference."""
    old, new = " ".join((old or "").split()), " ".join((new or "").split())
    if max(len(old), len(new)) <= limit:
        return old, new
    common = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    start = max(0, common - 20)
    cut = (lambda text: "…" + text[start:]) if start else (lambda text: text)
    return short(cut(old), limit), short(cut(new), limit)


def who(change: Change) -> str:
    """Satker and year, where the row has them (the reference package's rows may not)."""
    return " ".join(p for p in (change.satker, change.year) if p)


def where(change: Change) -> str:
    source = change.source
    parts = [source.get("sumber_file", ""), source.get("sumber_tabel", "")]
    if source.get("sumber_halaman"):
        parts.append(f"hlm. {source['sumber_halaman']}")
    if source.get("sumber_baris"):
        parts.append(f"baris {source['sumber_baris']}")
    return ", ".join(p for p in parts if p) or "tanpa sumber"


def what(change: Change) -> str:
    return f"indikator {change.indicator}" if change.indicator else change.series


def value(change: Change) -> str:
    if change.column is None:
        return "baris tanpa angka"
    if change.kind == "added":
        return f"{change.column} = {short(change.new)}"
    if change.kind == "removed":
        return f"{change.column} = {short(change.old)}"
    old, new = pair(change.old, change.new)
    return f"{change.column}: {old or '(kosong)'} → {new or '(kosong)'}"


def headline(result: Diff) -> str:
    counts = ", ".join(f"{len(result.of(k))} {TITLES[k].lower()}" for k in KINDS)
    return f"Perubahan angka terbit dari {result.old} ke {result.new}: {counts}"


def by_kind(result: Diff):
    """(kind, its changes) for each kind with changes, in the order of KINDS."""
    for kind in KINDS:
        chosen = result.of(kind)
        if chosen:
            yield kind, chosen


def as_text(result: Diff) -> str:
    lines = [headline(result)]
    if not result.changes:
        lines.append("Tidak ada angka yang berubah.")
    for kind, chosen in by_kind(result):
        lines += ["", f"{TITLES[kind]} ({len(chosen)}):"]
        for c in chosen:
            lines.append(f"  {SIGNS[kind]} {' · '.join(p for p in (who(c), what(c), value(c)) if p)}")
            lines.append(f"      sumber: {where(c)} ({c.csv})")
    lines += [f"Catatan: {note}" for note in result.notes]
    return "\n".join(lines) + "\n"


def md(text: str | None) -> str:
    return escape(text, 120) if text else ""


def as_markdown(result: Diff, limit: int = 300) -> str:
    """For a CI job summary (GitHub caps one at 1 MiB): at most `limit` rows per kind."""
    counts = ", ".join(f"{len(result.of(k))} {TITLES[k].lower()}" for k in KINDS)
    lines = ["## Perubahan angka terbit", "", f"Dari {md(result.old)} ke {md(result.new)}: {counts}.", ""]
    if not result.changes:
        lines.append("Tidak ada angka yang berubah.")
    for kind, chosen in by_kind(result):
        lines += [f"### {TITLES[kind]} ({len(chosen)})", "",
                  "| Satker | Tahun | Indikator / seri | Kolom | " +
                  {"added": "Baru", "removed": "Lama", "changed": "Lama → baru"}[kind] + " | Sumber | Baris CSV |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for c in chosen[:limit]:
            old, new = pair(c.old, c.new)
            shown = {"added": md(c.new), "removed": md(c.old),
                     "changed": f"{md(old) or '(kosong)'} → {md(new) or '(kosong)'}"}[kind]
            lines.append(f"| {md(c.satker)} | {md(c.year)} | {md(what(c))} | {md(c.column or '(baris)')} | "
                         f"{shown} | {md(where(c))} | {md(c.csv)} |")
        if len(chosen) > limit:
            lines.append(f"\n… dan {len(chosen) - limit} lainnya: lihat log langkah ini (`portal diff`).")
        lines.append("")
    for note in result.notes:
        lines.append(f"- Catatan: {md(note)}")
    return "\n".join(lines) + "\n"


def as_json(result: Diff) -> str:
    return json.dumps({"old": result.old, "new": result.new,
                       "counts": {k: len(result.of(k)) for k in KINDS},
                       "changes": [asdict(c) for c in result.changes], "notes": result.notes},
                      ensure_ascii=False, indent=1) + "\n"


def as_github(result: Diff) -> str:
    """One notice per row added or changed, on its line of the CSV (a removed row, on its
    file): the pull request's files show what each edit changes."""
    from .ci import command

    rows: dict[tuple[str, str], list[Change]] = {}
    for change in result.changes:
        rows.setdefault((change.kind, change.csv), []).append(change)
    lines = []
    for (kind, csv_line), changes in rows.items():
        first = changes[0]
        file, _, line = csv_line.rpartition(":")
        title = f"Angka {TITLES[kind].lower()}: {' · '.join(p for p in (who(first), what(first)) if p)}"
        text = "; ".join(value(c) for c in changes) + f" (sumber: {where(first)}; {csv_line})"
        lines.append(command("notice", file, None if kind == "removed" else int(line), title, text))
    return "".join(line + "\n" for line in lines)


FORMATS = {"text": as_text, "markdown": as_markdown, "json": as_json, "github": as_github}
