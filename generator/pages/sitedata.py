"""Everything the pages show, gathered once: registry, schemas, rows, computed results."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..load import DataPackage

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
    _memo: dict = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return sorted({p.year for p in self.packages if p.year is not None})

    def of(self, year: int, resource: str, satker_id: str | None = None, where: dict | None = None) -> list[dict]:
        rows = self.rows.get((year, resource), []) if satker_id is None else self.by_satker.get((year, resource, satker_id), [])
        for key, value in (where or {}).items():
            rows = [r for r in rows if str(r.get(key, "")) == str(value)]
        return rows

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


def gather(packages: list[DataPackage], results: dict, definitions: dict) -> SiteData:
    site = SiteData(packages, results, definitions)
    for package in sorted(packages, key=lambda p: p.year or 0):
        for resource in package.resources:
            fields = {f["name"]: f for f in resource.fields}
            site.fields[resource.name] = fields  # later years win: the schema is shared anyway
            rows = [dict(typed(record, fields), _line=line, _file=resource.file) for line, record in resource.records()]
            if package.year is None:
                site.reference[resource.name] = rows
            else:
                site.rows[(package.year, resource.name)] = rows
    site.satker = {r["satker_id"]: r for r in site.reference.get("satker", [])}
    site.indicators = {r["indikator_id"]: r for r in site.reference.get("indikator", [])}
    site.reports = {r["sumber_file"]: r for r in site.reference.get("laporan", [])}
    years_of: dict[str, set[int]] = {}
    for (year, resource), rows in site.rows.items():
        for row in rows:
            site.by_satker.setdefault((year, resource, row.get("satker_id")), []).append(row)
            years_of.setdefault(row.get("satker_id"), set()).add(year)
    site.years_of = {satker: sorted(years) for satker, years in years_of.items()}
    for record in results["consistency"]:
        site.flags.setdefault((record["csv_file"], record["csv_line"], record["column"]), []).append(record)
    return site
