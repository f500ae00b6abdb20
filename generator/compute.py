"""Compute stage: validated packages + definitions -> build/computed/ (a data package)."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import yaml

from .digests import GENERATOR_CODE, SUMS, PickleCache, checksum, digest_of, folder_digest, stable_digest
from .engine import YEARLY, changes, compute_year, join_years
from .engine.checks import MISMATCH, run_checks
from .engine.data import from_packages
from .fmt import neutral
from .engine.definitions import check_definitions, load_definitions
from .pages.sections import load_sections
from .messages import t
from .problems import Problem
from .validate import load_tables, validate
from .workers import Pool

SCHEMA = os.path.join(os.path.dirname(__file__), "computed_schema.yaml")


def load_all_definitions(folder: str, packages, cache: PickleCache | None = None) -> tuple[dict, list[Problem]]:
    """definitions/ and the sections of the satker-year pages (generator/pages/sections.yaml),
    each checked: a build stops here, before any page, on a problem in either. Read and
    checked against their schemas once per state of the folder and the code (`cache`)."""
    cache = cache or PickleCache(None)
    key = digest_of(GENERATOR_CODE, folder_digest(folder), os.path.abspath(folder), os.getcwd())
    found = cache.get(key)
    if found is None:
        found = load_definitions(folder)
        cache.put(key, found)
    definitions, problems = found
    if not problems:
        problems += check_definitions(definitions, packages, folder)
    definitions["sections"], found = load_sections(packages)
    return definitions, problems + found


def unmet_sums(records: list[dict], checks: dict) -> list[Problem]:
    """The totals that must add up and do not, each where it is typed. A total check with
    `adds_up` (definitions/checks.yaml) says that in those years the report prints that total
    equal to the sum of its items: a difference there is a typing mistake in the data, refused
    here, not a mismatch of the report's own (which every other total shows, flagged).
    `records`: the consistency records of the year computation (or of `run_checks`)."""
    declared = {c["id"]: c["adds_up"] for c in checks.get("checks") or [] if c.get("adds_up")}
    problems = []
    for r in records:
        rule = declared.get(r["check_id"])
        if (rule and r["status"] == MISMATCH and r["year"] in rule["years"]
                and r["column"] in rule.get("columns", [r["column"]])):
            lines = ", ".join(str(line) for line in r["_items"])
            problems.append(Problem(r["csv_file"], r["csv_line"], r["column"],
                                    t("rule.sum", value=number_text(r["recomputed"]), lines=lines),
                                    number_text(r["published"]), t("rule.sum_hint", check=r["check_id"],
                                                                    year=r["year"])))
    return sorted(problems, key=lambda p: (p.file, p.row, p.field))


def checked_sums(packages, definitions: dict) -> list[Problem]:
    """`unmet_sums` of validated packages, for `portal validate` (which computes nothing else):
    the declared total checks run alone, by the engine's own function."""
    declared = [c for c in definitions["checks"].get("checks") or [] if c.get("adds_up")]
    return unmet_sums(run_checks(declared, None, from_packages(packages)), definitions["checks"])


@dataclass
class Year:
    """One year package computed: the CSV text of its tables, its satkers, the counts and
    problems the build needs at once; its tables themselves are read from the cache only
    when asked for (`tables`), so a rebuild does not read the years it does not show."""
    year: int
    key: str  # hash of everything the tables come from
    csv: dict[str, str]
    satkers: list[str]  # satkers with rows that year
    status_counts: Counter  # (satker_id, status) -> consistency records
    series: list[dict]  # its seri_tahunan rows (the year-on-year changes read them)
    sums: list[Problem]  # totals that must add up and do not (unmet_sums)
    cache: PickleCache | None = None  # where its tables are kept
    loaded: dict | None = None  # its tables, once read

    @property
    def tables(self) -> dict[str, list[dict]]:
        if self.loaded is None:
            self.loaded = self.cache.get(self.key + "-tabel")
        return self.loaded


@dataclass
class Computed:
    packages: list
    definitions: dict
    years: list[Year]
    inputs: str  # hash of the code, reference package and definitions: what every year also depends on

    @cached_property
    def results(self) -> dict[str, list[dict]]:
        """Every year's tables one after the other (read when first asked for)."""
        return join_years([y.tables for y in self.years])


def run_compute(data_root: str, definitions_dir: str, out_dir: str, progress=lambda m: None,
                pool: Pool | None = None, lazy: bool = False, package: bool = True):
    """Validate, compute and write the computed package (not with `package` False: the
    preview's first pass, for the open pages only); nothing is written on any problem.

    Each year is computed on its own and cached under the hash of its package, the
    reference package, the definitions and the code: with `lazy`, an unchanged year is
    neither read nor computed again."""
    cache = os.path.join(os.path.dirname(os.path.abspath(out_dir)), "cache")
    packages, problems = validate(data_root, progress, os.path.join(cache, "validate"), pool, lazy)
    if any(p.descriptor is None for p in packages):
        return None, problems  # the definitions name its resources: checking them now would only repeat it
    definitions, found = load_all_definitions(definitions_dir, packages,
                                              PickleCache(os.path.join(cache, "definitions") if lazy else None))
    problems += found
    if problems:
        return None, problems
    progress(t("progress.computing").render())
    with open(SCHEMA, encoding="utf-8") as fh:
        spec = yaml.safe_load(fh)
    reference = next(p for p in packages if p.year is None)
    inputs = digest_of(GENERATOR_CODE, reference.digest, folder_digest(definitions_dir))
    year_cache = PickleCache(os.path.join(cache, "years") if lazy else None)
    years = [computed_year(p, reference, definitions, spec, digest_of(inputs, p.digest), year_cache)
             for p in packages if p.year is not None]
    problems = sorted((p for y in years for p in y.sums), key=lambda p: (p.file, p.row, p.field))
    if problems:
        return None, problems
    if not package:
        return Computed(packages, definitions, years, inputs), []
    texts = {name: "".join(y.csv[name] for y in years) for name in YEARLY}
    texts["perubahan_tahunan"] = change_chunks(years, [r for y in years for r in y.series],
                                               fields_of(spec, "perubahan_tahunan"), year_cache)
    write_package(spec, texts, out_dir, digest_of(inputs, *[y.key for y in years]) if lazy else None)
    return Computed(packages, definitions, years, inputs), []


def computed_year(package, reference, definitions: dict, spec: dict, key: str, cache: PickleCache) -> Year:
    """The year from the cache (its tables left there until asked for), else computed and
    cached: the tables under `key`-tabel, the rest under `key`."""
    year = cache.get(key)
    if year is None:
        tables = compute_year([reference, load_tables(package)], definitions)
        year = Year(package.year, key, year_csv(spec, package.year, tables, cache),
                    sorted({satker_id for resource in package.resources for satker_id in resource.satker_ids()} - {""}),
                    Counter((r["satker_id"], r["status"]) for r in tables["consistency"]), tables["seri_tahunan"],
                    unmet_sums(tables["consistency"], definitions["checks"]))
        cache.put(key + "-tabel", tables)
        cache.put(key, year)
        year.loaded = tables
    year.cache = cache
    return year


def year_csv(spec: dict, year: int, tables: dict[str, list[dict]], cache: PickleCache) -> dict[str, str]:
    """Each computed table of a year as CSV lines. A satker's rows (a run of rows with the
    same satker_id) written the same way in this year's last state are taken as they were
    written then: one edited figure rewrites one satker's lines, not 27,000 rows (0.5 s at
    170 satkers). Kept per year and code, with only the current state's runs."""
    name_of_memo = digest_of("csv-runs", GENERATOR_CODE, str(year))
    before, now = cache.get(name_of_memo) or {}, {}
    texts = {}
    for name in YEARLY:
        fields, parts = fields_of(spec, name), []
        for run in runs(tables[name]):
            key = stable_digest(name, run)
            parts.append(now.setdefault(key, before.get(key) or csv_body(fields, run)))
        texts[name] = "".join(parts)
    cache.put(name_of_memo, now)
    return texts


def runs(rows: list[dict]):
    """Consecutive rows of the same satker, in order."""
    start = 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or rows[index].get("satker_id") != rows[start].get("satker_id"):
            yield rows[start:index]
            start = index


def change_chunks(years: list[Year], series: list[dict], fields: list[dict], cache: PickleCache) -> str:
    """The year-on-year changes as CSV, one chunk per later year (rows ordered by it), each
    cached under the keys of that year and every year before it: all it can read."""
    chunks, by_year = [], None
    for index, year in enumerate(years):
        key = digest_of("changes", *[y.key for y in years[:index + 1]])
        text = cache.get(key)
        if text is None:
            if by_year is None:
                by_year = {}
                for row in changes(series):
                    by_year.setdefault(row["year_to"], []).append(row)
            text = csv_body(fields, by_year.get(year.year, []))
            cache.put(key, text)
        chunks.append(text)
    return "".join(chunks)


def fields_of(spec: dict, name: str) -> list[dict]:
    return [{"name": field, "type": kind, "title": title, "description": description}
            for field, (kind, title, description) in spec["resources"][name]["fields"].items()]


def write_package(spec: dict, texts: dict[str, str], out_dir: str, key: str | None = None) -> None:
    """Write CSVs and datapackage.yaml to a temporary folder, then swap it into place
    (not at all when `key`, the hash of its content, says out_dir already holds it). The
    SHA-256 of each file goes beside it (SUMS): the downloads then keep an unchanged file
    without reading 145 MB back (at 170 satkers)."""
    marker = out_dir.rstrip("/") + ".key"
    if key and os.path.isdir(out_dir) and os.path.exists(marker) and open(marker).read() == key \
            and os.path.exists(out_dir.rstrip("/") + SUMS):
        return
    parent = os.path.dirname(os.path.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".computed-", dir=parent)
    descriptor = {"name": spec["name"], "title": spec["title"], "description": spec["description"],
                  "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                                "title": "Creative Commons Attribution 4.0 International"}],
                  "resources": []}
    files = {}
    for name, resource in spec["resources"].items():
        fields = fields_of(spec, name)
        files[f"{name}.csv"] = (csv_body(fields, [], header=True) + texts[name]).encode("utf-8")
        descriptor["resources"].append({"name": name, "path": f"{name}.csv", "title": resource["title"],
                                        "description": resource["description"], "format": "csv",
                                        "encoding": "utf-8", "schema": {"fields": fields,
                                                                        "primaryKey": resource["primaryKey"]}})
    files["datapackage.yaml"] = yaml.safe_dump(descriptor, allow_unicode=True, sort_keys=False, width=110).encode("utf-8")
    for name, data in files.items():
        with open(os.path.join(staging, name), "wb") as fh:
            fh.write(data)
    sums = out_dir.rstrip("/") + SUMS
    if os.path.exists(sums):
        os.remove(sums)  # first: never sums of another state of the folder
    if os.path.exists(out_dir):
        shutil.rmtree(out_dir)
    os.replace(staging, out_dir)
    with open(sums, "w", encoding="utf-8") as fh:
        json.dump({name: checksum(data) for name, data in files.items()}, fh, indent=0)
    if key:
        with open(marker, "w") as fh:
            fh.write(key)
    elif os.path.exists(marker):
        os.remove(marker)


def csv_body(fields: list[dict], rows: list[dict], header: bool = False) -> str:
    """The rows' CSV lines (after the header line if asked for)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow([f["name"] for f in fields])
    columns = [(f["name"], CELL_TEXT[f["type"]]) for f in fields]
    writer.writerows([["" if (value := row.get(name)) is None or value == "" else text(value) for name, text in columns]
                      for row in rows])
    return out.getvalue()


def number_text(value) -> str:
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


CELL_TEXT = {  # a non-empty value as the computed package writes it, by field type
    "boolean": lambda value: "true" if value in (True, "true") else "false",
    "integer": lambda value: str(int(float(value))),
    "number": number_text,
    "string": lambda value: neutral(str(value)),
}
