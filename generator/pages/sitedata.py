"""Everything the pages show, gathered once: registry, schemas, rows, computed results.

What a page reads from the data goes through the methods that call `note`: while a page
is made, each notes what it read (a satker's rows of a resource, the flags on the rows of
one satker in one file, a question to a computed table, the counts of differences) and
from which year. A later build keeps the page, without making it, when each of those
reads gives the same digest: a page's cache key is thus derived from what it read, never
from a list written by hand. The registry, schemas, definitions and code are read freely:
they are in every page's key (build.write_generated)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .. import fmt
from ..engine import join_years
from ..engine.definitions import label_for
from ..load import DataPackage
from ..digests import PickleCache, digest_of, stable_digest
from ..validate import load_tables

NUMERIC = {"integer", "number"}


@dataclass
class SiteData:
    packages: list[DataPackage]
    definitions: dict
    satker: dict[str, dict] = field(default_factory=dict)
    indicators: dict[str, dict] = field(default_factory=dict)
    reports: dict[str, dict] = field(default_factory=dict)
    fields: dict[str, dict[str, dict]] = field(default_factory=dict)  # resource -> field -> descriptor
    resource_titles: dict[str, str] = field(default_factory=dict)  # resource -> its title (Indonesian)
    keys: dict[str, list[str]] = field(default_factory=dict)  # resource -> its primary key
    raw: dict[tuple[int, str], tuple] = field(default_factory=dict)  # (year, resource) -> (resource, satker -> rows)
    reference: dict[str, list[dict]] = field(default_factory=dict)
    by_satker: dict[tuple[int, str, str], list[dict]] = field(default_factory=dict)  # (year, resource, satker) -> typed rows
    years_of: dict[str, list[int]] = field(default_factory=dict)  # satker -> years with rows
    computed_years: dict = field(default_factory=dict)  # year -> compute.Year (its tables read when asked for)
    cache: PickleCache | None = None  # what is worked out once per state of a year (yearly)
    counts_by_year: dict[int, Counter] = field(default_factory=dict)  # year -> (satker_id, status) -> records
    loaded: set = field(default_factory=set)  # years whose rows are in `raw` (read when first asked for)
    year_keys: dict[int, str] = field(default_factory=dict)  # year -> hash of all its data come from (compute.Year.key)
    trace: dict | None = None  # the reads of the page being made: what was read -> its year (None: every year)
    answers: dict = field(default_factory=dict)  # what was read -> its digest, worked out once per build
    flagged_rows: set = field(default_factory=set)  # rows whose flags the page being made has noted
    pages_made: int = 0  # page models made in this build (the others were kept: build.write_made)
    _memo: dict = field(default_factory=dict)

    def tables_of(self, year: int) -> dict[str, list[dict]]:
        """A year's computed tables ({} for a year without a package)."""
        found = self.computed_years.get(year)
        return found.tables if found else {}

    @property
    def results(self) -> dict[str, list[dict]]:
        """Every year's computed tables one after the other (joined when first asked for)."""
        if "results" not in self._memo:
            self._memo["results"] = join_years([self.tables_of(y) for y in sorted(self.computed_years)])
        return self._memo["results"]

    @property
    def years(self) -> list[int]:
        return sorted({p.year for p in self.packages if p.year is not None})

    def note(self, read: tuple, year: int | None) -> None:
        """The page being made read `read`, from `year`'s data (None: from every year)."""
        if self.trace is not None:
            self.trace[read] = year if year in self.year_keys else None  # a year it does not know: every year

    def reads_of(self, make):
        """What `make()` gives, and the reads it made: (read, year, digest) each."""
        outer, self.trace, rows = self.trace, {}, self.flagged_rows
        self.flagged_rows = set()
        try:
            made, reads = make(), self.trace
        finally:
            self.trace, self.flagged_rows = outer, rows
        return made, [(read, year, self.digest(read)) for read, year in reads.items()]

    def untraced(self, make):
        """What `make()` gives, its reads not noted (for what is in every page's key)."""
        outer, self.trace = self.trace, None
        try:
            return make()
        finally:
            self.trace = outer

    def digest(self, read: tuple) -> str:
        """The digest of what `read` gives now (once per build)."""
        if read not in self.answers:
            kind, *args = read
            self.answers[read] = stable_digest(self.untraced(lambda: READS[kind](self, *args)))[:32]
        return self.answers[read]

    def unchanged(self, reads: list, year_keys: dict[int, str]) -> bool:
        """True when each read gives the digest it gave when `year_keys` were the years'
        keys: a read of a year whose key is the same is not worked out again."""
        for read, year, digest in reads:
            if (year_keys == self.year_keys) if year is None else (year_keys.get(year) == self.year_keys.get(year)):
                continue
            if self.digest(read) != digest:
                return False
        return True

    def of(self, year: int, resource: str, satker_id: str, where: dict | None = None) -> list[dict]:
        """A satker's typed rows of one resource and year (typed when first asked for: a
        rebuild types only the rows of the pages it renders)."""
        if year not in self.loaded:
            self.load_year(year)
        key = (year, resource, satker_id)
        if key not in self.by_satker:
            source, raw = self.raw.get((year, resource), (None, {}))
            self.by_satker[key] = typed_rows(source, raw.get(satker_id, [])) if source else []
        rows = self.by_satker[key]
        self.note(("rows", year, resource, satker_id), year)
        for column, value in (where or {}).items():
            rows = [r for r in rows if str(r.get(column, "")) == str(value)]
        return rows

    def rows_as_written(self, year: int, resource: str, satker_id: str) -> tuple[str, list]:
        """A satker's rows of one resource and year as the CSV holds them: its file, and
        each row's line and cells (what `of` types)."""
        if year not in self.loaded:
            self.load_year(year)
        source, raw = self.raw.get((year, resource), (None, {}))
        return (source.file, raw.get(satker_id, [])) if source else ("", [])

    def load_year(self, year: int) -> None:
        """A year package's rows as written, grouped by satker (a rebuild reads only the years it needs)."""
        for package in self.packages:
            if package.year == year:
                for resource in load_tables(package).resources:
                    self.raw[(year, resource.name)] = (resource, resource.rows_by_satker())
        self.loaded.add(year)

    def unload_year(self, year: int) -> None:
        for index in (self.raw, self.by_satker):
            for key in [k for k in index if k[0] == year]:
                del index[key]
        for name in ("flags", "owners", "satker_flags"):  # indexes of its rows, remade if asked for again
            self._memo.pop((name, year), None)
        self.loaded.discard(year)

    def flags(self, year: int, csv_file: str, csv_line: int, column: str) -> list[dict]:
        """The consistency records on one cell of a year's CSV (indexed per year, when first
        asked for); noted as a read of the flags on all rows of that satker in that file."""
        key = ("flags", year)
        if key not in self._memo:
            index: dict[tuple, list[dict]] = {}
            for r in self.tables_of(year).get("consistency", []):
                index.setdefault((r["csv_file"], r["csv_line"], r["column"]), []).append(r)
            self._memo[key] = index
        if self.trace is not None and (year, csv_file, csv_line) not in self.flagged_rows:
            self.flagged_rows.add((year, csv_file, csv_line))  # noted once per row and page, not per cell
            self.note(("flags", year, csv_file, self.owners(year).get((csv_file, csv_line), "")), year)
        return self._memo[key].get((csv_file, csv_line, column), [])

    def owners(self, year: int) -> dict[tuple[str, int], str]:
        """(file, line) -> the satker of that row, for a year's CSV files."""
        if ("owners", year) not in self._memo:
            if year not in self.loaded:
                self.load_year(year)
            self._memo[("owners", year)] = {(resource.file, line): satker_id
                                           for (y, _), (resource, by_satker) in self.raw.items() if y == year
                                           for satker_id, rows in by_satker.items() for line, _ in rows}
        return self._memo[("owners", year)]

    def satker_flags(self, year: int, csv_file: str, satker_id: str) -> list[dict]:
        """The consistency records on the rows of one satker in one file of a year."""
        if ("satker_flags", year) not in self._memo:
            owners, index = self.owners(year), {}
            for r in self.tables_of(year).get("consistency", []):
                index.setdefault((r["csv_file"], owners.get((r["csv_file"], r["csv_line"]), "")), []).append(r)
            self._memo[("satker_flags", year)] = index
        return self._memo[("satker_flags", year)].get((csv_file, satker_id), [])

    def status_counts(self) -> dict[tuple[int, str, str], int]:
        """(year, satker_id, status) -> how many consistency records (counted when each year was computed)."""
        for year in self.counts_by_year:
            self.note(("counts", year), year)
        return {(year, satker_id, status): count for year, counts in sorted(self.counts_by_year.items())
                for (satker_id, status), count in counts.items()}

    def satker_counts(self, year: int, satker_id: str) -> dict[str, int]:
        """status -> how many consistency records of one satker in one year (noted as such:
        a difference found in another satker's figures leaves its pages alone)."""
        self.note(("satker_counts", year, satker_id), year)
        return {status: n for (satker, status), n in sorted(self.counts_by_year.get(year, Counter()).items())
                if satker == satker_id}

    def satker_years(self, satker_id: str) -> list[int]:
        return self.years_of.get(satker_id, [])

    def computed(self, name: str, **where) -> list[dict]:
        """Computed rows matching `where`, answered from an index on its columns (built
        from that year's rows alone when `where` names a year: a rebuild indexes only the
        years it renders)."""
        if self.trace is not None:  # a question across years: noted as one question per year
            for year in [where["year"]] if "year" in where else self.computed_years:
                self.note(("computed", name, tuple(sorted(dict(where, year=year).items()))), year)
        year = where.pop("year", None)
        columns = tuple(sorted(where))
        key = (name, columns, year)
        if key not in self._memo:
            rows = self.results[name] if year is None else self.tables_of(year).get(name, [])
            index: dict[tuple, list[dict]] = {}
            for row in rows:
                index.setdefault(tuple([row.get(c) for c in columns]), []).append(row)
            self._memo[key] = index
        return self._memo[key].get(tuple([where[c] for c in columns]), [])

    def yearly(self, name: str, year: int, make):
        """What `make()` gives from one year's data, made once per state of that year (kept
        in `cache` under the year's key, which hashes the code too)."""
        key = digest_of(name, str(year), self.year_keys.get(year, ""))
        found = self.cache.get(key) if self.cache else None
        if found is None:
            found = (make(),)
            if self.cache:
                self.cache.put(key, found)
        return found[0]

    def remember(self, key, make):
        """What `make()` gives, made once per build (pages that show the same figures share
        it); each page that uses it is noted as making the reads it made."""
        if ("remember", key) not in self._memo:
            self._memo[("remember", key)] = self.reads_of(make)
        value, reads = self._memo[("remember", key)]
        for read, year, _ in reads:
            self.note(read, year)
        return value

    def label(self, resource: str, column: str, code) -> str:
        """The Indonesian label of a code stored in the data (definitions/label.yaml); the
        code itself when it has none (validation makes sure every enum code has one)."""
        found = label_for(self.definitions.get("label") or {}, resource, column, str(code))
        return str(code) if found is None else found

    def series_unit(self, series_id: str, key: str | None = None) -> str:
        """How a series' values are written (definitions/series.yaml: `unit`; for a value
        with an empty key, `unit_without_key` where the series has one)."""
        spec = next(s for s in self.definitions["series"]["series"] if s["id"] == series_id)
        return spec.get("unit_without_key", spec["unit"]) if key == "" else spec["unit"]

    def codes(self, resource: str, column: str) -> dict[str, str] | None:
        """code -> label for a column whose cells are codes (an enum, or an id of the
        registry: a satker or an indicator), None for any other column."""
        key = ("codes", resource, column)
        if key not in self._memo:
            field = self.fields.get(resource, {}).get(column, {})
            enum = (field.get("constraints") or {}).get("enum")
            if column in ("satker_id", "induk_id"):
                found = {k: v["nama"] for k, v in self.satker.items()}
            elif column == "indikator_id":
                found = {k: v["nama"] for k, v in self.indicators.items()}
            elif enum:
                found = {str(code): self.label(resource, column, code) for code in enum}
            else:
                found = None
            self._memo[key] = found
        return self._memo[key]

    def withdrawn(self, year: int, resource: str, row: dict, column: str) -> str:
        """Why a figure once published is now blank, as referensi/perubahan.csv records it
        (portal validate asks for the record), written for the cell that held it; "" if none."""
        if "withdrawn" not in self._memo:
            index: dict[tuple, list[dict]] = {}
            for record in self.reference.get("perubahan", []):
                index.setdefault((record["paket"], record["tabel"], record["kunci"]), []).append(record)
            self._memo["withdrawn"] = index
        key = " / ".join(key_text(row.get(k)) for k in self.keys.get(resource, []))
        for record in self._memo["withdrawn"].get((str(year), resource, key), []):
            if column in record["kolom"].split():
                return f"Dikosongkan {fmt.date(record['tanggal'])}: {record['alasan']}"
        return ""

    def field_title(self, resource: str, column: str) -> str:
        return (self.fields.get(resource, {}).get(column) or {}).get("title", column)

    def report_label(self, source_file: str) -> str:
        report = self.reports.get(source_file)
        return f"LKjIP {int(report['tahun_laporan'])} {self.satker[report['satker_id']]['nama_singkat']}" if report else source_file


READS = {  # what a noted read gives, to work out its digest again (SiteData.digest)
    "rows": lambda site, year, resource, satker_id: site.rows_as_written(year, resource, satker_id),
    "flags": SiteData.satker_flags,
    "computed": lambda site, name, where: site.computed(name, **dict(where)),
    "counts": lambda site, year: site.counts_by_year.get(year, Counter()),
    "satker_counts": SiteData.satker_counts,
}


def key_text(value) -> str:
    """A typed cell as the CSV wrote it, for a row's key (a whole number without '.0')."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def typed(row: dict, fields: dict[str, dict]) -> dict:
    out = {}
    for key, text in row.items():
        kind = fields.get(key, {}).get("type")
        out[key] = (float(text) if text != "" else None) if kind in NUMERIC else text
    return out


def typed_rows(resource, rows=None) -> list[dict]:
    """Typed records of a resource's rows (all of them by default) with their file and line."""
    if resource.table is None:
        return []
    fields = {f["name"]: f for f in resource.fields}
    header = resource.table.header
    rows = resource.table.rows if rows is None else rows
    return [dict(typed(dict(zip(header, cells)), fields), _line=line, _file=resource.file) for line, cells in rows
            if len(cells) == len(header)]


def gather(packages: list[DataPackage], definitions: dict, years: list, cache: PickleCache | None = None) -> SiteData:
    """Registry, schemas and computed results (joined, and per year: compute.Year); the
    year packages' rows are read on demand."""
    site = SiteData(packages, definitions, computed_years={y.year: y for y in years}, cache=cache,
                    counts_by_year={y.year: y.status_counts for y in years}, year_keys={y.year: y.key for y in years})
    satkers_by_year = {y.year: y.satkers for y in years}
    for package in sorted(packages, key=lambda p: p.year or 0):
        for resource in package.resources:
            site.fields[resource.name] = {f["name"]: f for f in resource.fields}  # later years win: schemas agree
            site.resource_titles[resource.name] = resource.descriptor.get("title") or resource.name
            key = resource.schema.get("primaryKey") or []
            site.keys[resource.name] = [key] if isinstance(key, str) else list(key)
            if package.year is None:
                site.reference[resource.name] = typed_rows(resource)
    site.satker = {r["satker_id"]: r for r in site.reference.get("satker", [])}
    site.indicators = {r["indikator_id"]: r for r in site.reference.get("indikator", [])}
    site.reports = {r["sumber_file"]: r for r in site.reference.get("laporan", [])}
    years_of: dict[str, list[int]] = {}
    for year in sorted(satkers_by_year):
        for satker_id in satkers_by_year[year]:
            years_of.setdefault(satker_id, []).append(year)
    site.years_of = years_of
    return site
