"""Everything the pages show, gathered once: registry, schemas, rows, computed results."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..load import DataPackage
from ..validate import load_tables

NUMERIC = {"integer", "number"}


@dataclass
class SiteData:
    packages: list[DataPackage]
    results: dict[str, list[dict]]
    definitions: dict
    satker: dict[str, dict] = field(default_factory=dict)
    indicators: dict[str, dict] = field(default_factory=dict)
    reports: dict[str, dict] = field(default_factory=dict)
    fields: dict[str, dict[str, dict]] = field(default_factory=dict)  # resource -> field -> descriptor
    rows: dict[tuple[int, str], list[dict]] = field(default_factory=dict)  # (year, resource) -> typed rows
    reference: dict[str, list[dict]] = field(default_factory=dict)
    flags: dict[tuple[str, int, str], list[dict]] = field(default_factory=dict)  # consistency by csv cell
    by_satker: dict[tuple[int, str, str], list[dict]] = field(default_factory=dict)  # (year, resource, satker)
    years_of: dict[str, list[int]] = field(default_factory=dict)  # satker -> years with rows
    loaded: set = field(default_factory=set)  # years whose rows are in `rows` (read when first asked for)
    _memo: dict = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return sorted({p.year for p in self.packages if p.year is not None})

    def of(self, year: int, resource: str, satker_id: str | None = None, where: dict | None = None) -> list[dict]:
        if year not in self.loaded:
            self.load_year(year)
        rows = self.rows.get((year, resource), []) if satker_id is None else self.by_satker.get((year, resource, satker_id), [])
        for key, value in (where or {}).items():
            rows = [r for r in rows if str(r.get(key, "")) == str(value)]
        return rows

    def load_year(self, year: int) -> None:
        """Typed rows of one year package, indexed by satker (a rebuild reads only the years it needs)."""
        for package in self.packages:
            if package.year == year:
                for resource in load_tables(package).resources:
                    self.rows[(year, resource.name)] = rows = typed_rows(resource)
                    for row in rows:
                        self.by_satker.setdefault((year, resource.name, row.get("satker_id")), []).append(row)
        self.loaded.add(year)

    def unload_year(self, year: int) -> None:
        for key in [k for k in self.rows if k[0] == year]:
            del self.rows[key]
        for key in [k for k in self.by_satker if k[0] == year]:
            del self.by_satker[key]
        self.loaded.discard(year)

    def satker_year_inputs(self, satker_id: str, year: int) -> tuple:
        """Everything a satker-year page reads that is about that satker and year: its rows,
        the flags on their cells, its computed capaian, indices and consistency records."""
        if year not in self.loaded:
            self.load_year(year)
        rows = {resource: self.by_satker.get((y, resource, satker_id), []) for (y, resource) in self.rows if y == year}
        flags = [self.flags.get((row["_file"], row["_line"], column)) for resource_rows in rows.values()
                 for row in resource_rows for column in row]
        return (satker_id, year, rows, flags, *(self.computed(name, satker_id=satker_id, year=year)
                               for name in ("capaian", "indeks_komposit", "consistency")))

    def satker_years(self, satker_id: str) -> list[int]:
        return self.years_of.get(satker_id, [])

    def computed(self, name: str, **where) -> list[dict]:
        """Computed rows matching `where`, answered from an index on its columns."""
        columns = tuple(sorted(where))
        key = (name, columns)
        if key not in self._memo:
            index: dict[tuple, list[dict]] = {}
            for row in self.results[name]:
                index.setdefault(tuple(row.get(c) for c in columns), []).append(row)
            self._memo[key] = index
        return self._memo[key].get(tuple(where[c] for c in columns), [])

    def report_label(self, source_file: str) -> str:
        report = self.reports.get(source_file)
        return f"LKjIP {int(report['tahun_laporan'])} {self.satker[report['satker_id']]['nama_singkat']}" if report else source_file


def typed(row: dict, fields: dict[str, dict]) -> dict:
    out = {}
    for key, text in row.items():
        kind = fields.get(key, {}).get("type")
        out[key] = (float(text) if text != "" else None) if kind in NUMERIC else text
    return out


def typed_rows(resource) -> list[dict]:
    fields = {f["name"]: f for f in resource.fields}
    return [dict(typed(record, fields), _line=line, _file=resource.file) for line, record in resource.records()]


def gather(packages: list[DataPackage], results: dict, definitions: dict,
           satkers_by_year: dict[int, list[str]]) -> SiteData:
    """Registry, schemas and computed results; the year packages' rows are read on demand."""
    site = SiteData(packages, results, definitions)
    for package in sorted(packages, key=lambda p: p.year or 0):
        for resource in package.resources:
            site.fields[resource.name] = {f["name"]: f for f in resource.fields}  # later years win: schemas agree
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
    for record in results["consistency"]:
        site.flags.setdefault((record["csv_file"], record["csv_line"], record["column"]), []).append(record)
    return site
