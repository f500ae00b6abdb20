"""Our own rules across rows: years, provenance (the sums are checked from definitions/checks.yaml:
compute.unmet_sums)."""
from __future__ import annotations

from ..load import DataPackage, Resource
from ..messages import t
from ..problems import Problem, show

PROVENANCE = ("sumber_file", "sumber_tabel", "sumber_halaman", "sumber_baris")


def check_year(package: DataPackage, resource: Resource) -> list[Problem]:
    """Rows of a year package are about that year."""
    if package.year is None:
        return []
    names = [f.get("name") for f in resource.fields]
    if "tahun" not in names:
        return [Problem(resource.schema_file, None, resource.schema_label("tahun"), t("rule.tahun_column"),
                        t("word.none"))]
    problems = []
    for line, record in resource.records():
        if record["tahun"] not in ("", str(package.year)):
            problems.append(Problem(resource.file, line, "tahun", t("rule.year", year=package.year),
                                    show(record["tahun"]), t("rule.year_hint", year=record["tahun"])))
    return problems


def check_provenance_fields(package: DataPackage, resource: Resource) -> list[Problem]:
    if package.name == "referensi" and resource.name in ("laporan", "sumber", "perubahan"):
        return []
    names = {f.get("name") for f in resource.fields}
    return [Problem(resource.schema_file, None, resource.schema_label(name), t("rule.provenance"), t("word.none"))
            for name in PROVENANCE if name not in names]
