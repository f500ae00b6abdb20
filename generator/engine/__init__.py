"""Compute: evaluate the definitions on the validated packages.

`compute(packages, definitions)` returns plain tables (lists of dicts): the
consistency report and the computed results the site and the download use.
"""
from __future__ import annotations

from .checks import run_checks
from .composite import consistency, contribution_to_root, evaluate_trees, printed_against_recomputed
from .data import Data, from_packages, matches
from .figures import Figure, derived_check, figure_value, reconcile
from .formulas import Context
from .values import no_data, parse_number


def compute(packages, definitions: dict) -> dict[str, list[dict]]:
    """Every year on its own (every formula reads one year and the reference package), then joined."""
    reference = [p for p in packages if p.year is None]
    joined = join_years([compute_year(reference + [p], definitions) for p in sorted(packages, key=lambda p: p.year or 0)
                   if p.year is not None])
    return joined | {"perubahan_tahunan": changes(joined["seri_tahunan"])}


def compute_year(packages, definitions: dict) -> dict[str, list[dict]]:
    """The computed tables of one year package (with the reference package), each in the
    order of its definitions."""
    data = from_packages(packages)
    contexts = {}

    def context(year: int) -> Context:
        if year not in contexts:
            contexts[year] = Context(data, year, definitions["capaian"], definitions["ikpa"])
        return contexts[year]

    checks = definitions["checks"].get("checks", [])
    records = run_checks(checks, context, data)
    trees = [tree for d in definitions["indeks"] for year in d.get("years", []) if year in data.years
             for tree in evaluate_trees(d, year, data)]
    for tree in trees:
        records += consistency(tree)
    capaian, reconciled, figures_out, printed = [], [], [], {}
    for year in sorted(data.years):
        marked, found = reconcile([r for r in records if r["year"] == year], definitions["angka"], checks,
                                  context, data, year)
        reconciled += marked
        capaian += recomputed_capaian(found, definitions, checks, context(year))
        figures_out += figure_rows(found, data, year)
        printed |= {(year, p.row["_resource"], p.row["_line"], p.column): (f, p) for f in found for p in f.printings}
    reconciled.sort(key=lambda r: (r["year"], r["satker_id"], r["check_id"], str(r["csv_file"]), r["csv_line"], r["column"]))
    return {
        "consistency": reconciled,
        "capaian": capaian,
        "angka": figures_out,
        "indeks_komposit": [node for tree in trees for node in tree_rows(tree)],
        "serapan_anggaran": absorption_table(data, context),
        "seri_tahunan": series_values(data, definitions.get("series", {}).get("series", []), printed),
    }


YEARLY = ("consistency", "capaian", "angka", "indeks_komposit", "serapan_anggaran", "seri_tahunan")


def join_years(years: list[dict[str, list[dict]]]) -> dict[str, list[dict]]:
    """The tables of each year (given in year order) one after the other (the year-on-year
    changes, which look across years, are `changes` of the joined seri_tahunan)."""
    return {name: [row for year in years for row in year[name]] for name in YEARLY}


def band(capaian: float | None, bands: dict) -> dict:
    if capaian is None:
        return {"band": "", "band_label": "", "target_met": ""}
    chosen = next((b for b in bands["bands"] if capaian >= b["minimum"]), bands["bands"][-1])
    return {"band": chosen["id"], "band_label": chosen["label"],
            "target_met": "true" if capaian >= bands["target_met_minimum"] else "false"}


def source(row: dict) -> dict:
    return {"source_file": row.get("sumber_file", ""), "source_table": row.get("sumber_tabel", ""),
            "source_page": row.get("sumber_halaman", ""), "source_line": row.get("sumber_baris", "")}


def recomputed_capaian(found: list[Figure], definitions: dict, checks: list[dict], ctx) -> list[dict]:
    """One row per achievement figure (satker, year, indicator, comparison) printed in a
    capaian table: its reference target, realisation and capaian, the capaian recomputed
    by the same formula as the `capaian` check, band, met / not met and its printings."""
    by_key = {f.key: f for f in found}
    families: dict[str, dict[str, Figure]] = {}
    for figure in found:
        if figure.reference.declaration["figure"] == "capaian":
            families.setdefault(figure.reference.figure, {})[figure.reference.measure] = figure
    row_checks = {(c["resource"], c["published"]): c for c in checks if c.get("kind", "row") == "row"}
    out = []
    for family, measures in sorted(families.items()):
        printed = [p for f in measures.values() for p in f.printings]
        if not any(p.row["_resource"] == "capaian_kinerja" for p in printed):
            continue  # a target of the agreement that no achievement table reports
        shown = measures.get("capaian") or measures.get("realisasi") or next(iter(measures.values()))
        check = derived_check(definitions["angka"], row_checks, shown.reference)
        outcome = no_data("tidak ada pemeriksaan yang menghitung ulang capaian") if check is None else figure_value(
            check, family, "capaian", [f.reference for f in measures.values()], by_key, ctx)[0]
        recomputed = outcome.value if outcome.ok else None
        row = shown.reference.row

        def reference(measure):
            return parse_number(measures[measure].reference.text) if measure in measures else None

        out.append({"satker_id": row["satker_id"], "year": ctx.year, "indikator_id": row["indikator_id"],
                    "comparison": family.split("/")[-1], "figure_key": family,
                    "target": reference("target"), "realisation": reference("realisasi"),
                    "capaian_published": reference("capaian"),
                    "capaian_recomputed": recomputed, "capaian_status": outcome.status,
                    **band(recomputed, definitions["bands"]), **source(row),
                    "printings": len(printed),
                    "printings_differing": sum(1 for f in measures.values() for p in f.printings
                                               if p is not f.reference and not same_value(p.text, f.reference.text)),
                    "csv_file": ctx.data.files.get((ctx.year, row["_resource"]), ""), "csv_line": row["_line"]})
    return out


def figure_rows(found: list[Figure], data: Data, year: int) -> list[dict]:
    """One row per declared figure: its value from the reference printing, where that is
    printed, why it is the reference, and how many printings it has and disagree."""
    out = []
    for figure in found:
        reference = figure.reference
        family, _, measure = figure.key.rpartition("/")
        parts = family.split("/")
        out.append({"figure_key": figure.key, "satker_id": reference.row.get("satker_id", ""), "year": year,
                    "figure": parts[2], "key": " / ".join(parts[3:]), "measure": measure,
                    "title": reference.declaration["title"], "value": parse_number(reference.text),
                    **source(reference.row), "reference_reason": figure.reason if len(figure.printings) > 1 else "",
                    "printings": len(figure.printings),
                    "printings_differing": sum(1 for p in figure.printings
                                               if p is not reference and not same_value(p.text, reference.text))})
    return out


def same_value(printed: str, reference: str) -> bool:
    from .compare import compare_printings
    return compare_printings(printed, reference)["within_rounding"]


def tree_rows(tree) -> list[dict]:
    """Every component from the root down: its weights, the value recomputed from the
    per-unit tables of the index's scope, the values the report prints and their comparison."""
    out = []
    for node in tree.order():
        spec = tree.nodes[node]
        outcome = tree.full.get(node)
        out.append({"satker_id": tree.satker_id, "year": tree.year,
                    "indikator_id": tree.definition["indicator"], "component": node,
                    "parent": tree.parent(node) or "", "title": spec.get("title", ""),
                    "weight_percent": tree.weight(node), "effective_weight_percent":
                    (round(tree.shares[node] * 100, 6) if node in tree.shares else None),
                    "value": outcome.value if outcome else None,
                    "status": outcome.status if outcome else "no_data",
                    "contribution_to_index": contribution_to_root(tree, node),
                    **printed_against_recomputed(tree, node),
                    "scope": " ".join(sorted(tree.scope)),
                    "note": "; ".join(n for n in (outcome.note if outcome else "", spec.get("note", "")) if n),
                    "note_indonesian": "; ".join(tree.notes.get(node, []))})
    return out


ABSORPTION = (("anggaran_kegiatan", "anggaran_rp", "label_tercetak"),
              ("anggaran_jenis_belanja", "pagu_rp", "jenis_belanja_tercetak"),
              ("anggaran_ringkasan", "pagu_rp", "label_tercetak"))


def absorption_table(data: Data, context) -> list[dict]:
    """Budget absorption against the ceiling and, where printed, the effective ceiling."""
    out = []
    for resource, ceiling, label in ABSORPTION:
        for year, row in data.all_rows(resource):
            pagu, spent = parse_number(row.get(ceiling)), parse_number(row.get("realisasi_rp"))
            effective = parse_number(row.get("pagu_efektif_rp"))
            if spent is None or (pagu is None and effective is None):
                continue
            out.append({"satker_id": row["satker_id"], "year": year, "resource": resource,
                        "label": row.get(label, "") or row.get("sumber_tabel", ""),
                        "category": row.get("jenis_belanja", row.get("tingkat", "")),
                        "ceiling": pagu, "effective_ceiling": effective, "realisation": spent,
                        "absorption_percent": percent(spent, pagu),
                        "absorption_effective_percent": percent(spent, effective),
                        "absorption_published": parse_number(row.get("realisasi_persen")), **source(row)})
    return out


def percent(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator / denominator * 100


def report_year(data: Data, row: dict) -> int:
    found = next((r for r in data.reference.get("laporan", []) if r["sumber_file"] == row.get("sumber_file")), None)
    return int(found["tahun_laporan"]) if found else 0


def series_values(data: Data, series: list[dict], printed: dict | None = None) -> list[dict]:
    """One value per series, key and year: the latest report's first printing of it; where
    that cell prints a figure of angka.yaml (`printed`: (year, resource, line, column) ->
    (figure, printing)), the figure's reference printing, the value every other page shows,
    unless the series keeps its own table's printing (`own_table`: a breakdown whose total
    must stay the total of its parts). A cell that prints another measure than its column
    says (a remapped printing) is not a value of the series."""
    printed = printed or {}
    out = []
    for spec in series:
        chosen: dict[tuple, dict[int, tuple[int, dict, str]]] = {}
        for priority, origin in enumerate(spec.get("sources") or [spec]):
            for year, row in data.all_rows(origin["resource"]):
                if row.get(origin["value"], "") == "" or not matches(row, origin.get("where") or {}):
                    continue
                _, printing = printed.get((year, row["_resource"], row["_line"], origin["value"]), (None, None))
                if printing is not None and printing.remap_reason:
                    continue
                key = tuple(row.get(c, "") for c in spec["key"])
                rank = (priority, -report_year(data, row), row["_line"])
                best = chosen.setdefault(key, {}).get(year)
                if best is None or rank < best[0]:
                    chosen[key][year] = (rank, row, origin["value"])
        for key, by_year in sorted(chosen.items()):
            for year in sorted(by_year):
                _, row, column = by_year[year]
                figure, _ = printed.get((year, row["_resource"], row["_line"], column), (None, None))
                if figure is not None and not spec.get("own_table"):
                    row, value = figure.reference.row, parse_number(figure.reference.text)
                else:
                    value = float(row[column])
                out.append({"series": spec["id"], "title": spec["title"], "satker_id": row["satker_id"],
                            "key": " / ".join(key[1:]), "year": year, "value": value, **source(row)})
    return out


def changes(values: list[dict]) -> list[dict]:
    """Year-on-year change between consecutive years with a value of the same series and key."""
    out = []
    by_key: dict[tuple, list[dict]] = {}
    for row in values:
        by_key.setdefault((row["series"], row["satker_id"], row["key"]), []).append(row)
    for rows in by_key.values():
        rows.sort(key=lambda r: r["year"])
        for before, after in zip(rows, rows[1:]):
            old, new = before["value"], after["value"]
            out.append({"series": after["series"], "title": after["title"], "satker_id": after["satker_id"],
                        "key": after["key"], "year_from": before["year"], "year_to": after["year"],
                        "value_from": old, "value_to": new, "change": new - old,
                        "change_percent": percent(new - old, old) if old else None,
                        **{k: after[k] for k in ("source_file", "source_table", "source_page", "source_line")}})
    return sorted(out, key=lambda r: r["year_to"])  # stable: series, then key order within a year
