"""The validated packages as rows the engine can query: year -> resource -> rows."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..load import DataPackage

Row = dict  # field -> text, plus "_line" (line in the CSV) and "_resource"


def matches(row: Row, where: dict) -> bool:
    """`where` maps a column to a value, a list of values, {present: true}, {not: value} or
    {prefix: text}."""
    for column, wanted in (where or {}).items():
        cell = row.get(column, "")
        if isinstance(wanted, dict):
            if "present" in wanted and (cell != "") != bool(wanted["present"]):
                return False
            if "not" in wanted and cell == str(wanted["not"]):
                return False
            if "prefix" in wanted and not cell.startswith(str(wanted["prefix"])):
                return False
        elif isinstance(wanted, list):
            if cell not in [str(v) for v in wanted]:
                return False
        elif cell != str(wanted):
            return False
    return True


@dataclass
class Data:
    years: dict[int, dict[str, list[Row]]] = field(default_factory=dict)
    reference: dict[str, list[Row]] = field(default_factory=dict)
    files: dict[tuple[int | None, str], str] = field(default_factory=dict)  # shown CSV path
    _memo: dict = field(default_factory=dict)  # queries answered once (the data does not change)

    def rows(self, year: int, resource: str, where: dict | None = None) -> list[Row]:
        key = ("rows", year, resource, repr(sorted((where or {}).items())))
        if key not in self._memo:
            if where and all(isinstance(v, (str, int, float)) for v in where.values()):
                columns = sorted(where)  # cells equal to values: looked up in an index on those columns
                found = list(self.index(year, resource, tuple(columns)).get(tuple(str(where[c]) for c in columns), []))
            else:
                found = [r for r in self.years.get(year, {}).get(resource, []) if matches(r, where or {})]
            self._memo[key] = found
        return self._memo[key]

    def index(self, year: int, resource: str, columns: tuple[str, ...]) -> dict[tuple, list[Row]]:
        """A resource's rows by their cells in `columns`, in file order (built once)."""
        key = ("index", year, resource, columns)
        if key not in self._memo:
            index: dict[tuple, list[Row]] = {}
            for row in self.years.get(year, {}).get(resource, []):
                index.setdefault(tuple(row.get(c, "") for c in columns), []).append(row)
            self._memo[key] = index
        return self._memo[key]

    def grouped(self, year: int, resource: str, where: dict | None, columns: list[str]) -> dict[tuple, list[Row]]:
        """The rows of `rows()` indexed by their values in `columns`."""
        key = ("grouped", year, resource, repr(sorted((where or {}).items())), tuple(columns))
        if key not in self._memo:
            index: dict[tuple, list[Row]] = {}
            for row in self.rows(year, resource, where):
                index.setdefault(tuple(row.get(c, "") for c in columns), []).append(row)
            self._memo[key] = index
        return self._memo[key]

    def all_rows(self, resource: str):
        for year in sorted(self.years):
            for row in self.years[year].get(resource, []):
                yield year, row

    def indicator(self, indicator_id: str) -> Row | None:
        return next((r for r in self.reference.get("indikator", []) if r["indikator_id"] == indicator_id), None)


def from_packages(packages: list[DataPackage]) -> Data:
    data = Data()
    for package in packages:
        for resource in package.resources:
            rows = [dict(record, _line=line, _resource=resource.name) for line, record in resource.records()]
            if package.year is None:
                data.reference[resource.name] = rows
            else:
                data.years.setdefault(package.year, {})[resource.name] = rows
            data.files[(package.year, resource.name)] = resource.file
    return data
