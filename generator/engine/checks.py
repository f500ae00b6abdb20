"""Run the declared checks (definitions/checks.yaml) into consistency records."""
from __future__ import annotations

from .compare import MATCH, MISMATCH, compare
from .data import Data, Row, matches
from .formulas import evaluate
from .values import Outcome, no_data


def record(check: dict, year: int, row: Row, column: str, published: str, outcome, data: Data,
           figure: str | None = None) -> dict:
    result = compare(published, outcome)
    return {
        "satker_id": row.get("satker_id", ""),
        "year": year,
        "check_id": check["id"],
        "figure": figure or check["title"],
        "resource": row["_resource"],
        "column": column,
        "indikator_id": row.get("indikator_id", ""),
        "published": float(published),
        "recomputed": outcome.value,
        "difference": result["difference"],
        "within_rounding": result["within_rounding"],
        "status": result["status"],
        "explanation": result["explanation"],
        "source_file": row.get("sumber_file", ""),
        "source_table": row.get("sumber_tabel", ""),
        "source_page": row.get("sumber_halaman", ""),
        "source_line": row.get("sumber_baris", ""),
        "csv_file": data.files.get((year, row["_resource"]), ""),
        "csv_line": row["_line"],
    }


def run_row_check(check: dict, ctx_for, data: Data) -> list[dict]:
    out = []
    for year, row in data.all_rows(check["resource"]):
        published = row.get(check["published"], "")
        if published == "" or not matches(row, check.get("where") or {}):
            continue
        outcome = evaluate(check["formula"], row, ctx_for(year))
        out.append(record(check, year, row, check["published"], published, outcome, data))
    return out


def groups(data: Data, check: dict):
    """(year, key) -> rows of the resource, grouped by the check's group_by columns."""
    grouped: dict[tuple, list[Row]] = {}
    for year, row in data.all_rows(check["resource"]):
        key = (year,) + tuple(row.get(c, "") for c in check["group_by"])
        grouped.setdefault(key, []).append(row)
    return grouped


def run_total_check(check: dict, ctx_for, data: Data) -> list[dict]:
    out = []
    for (year, *_), rows in groups(data, check).items():
        items = [r for r in rows if matches(r, check["items"])]
        for total in (r for r in rows if matches(r, check["total"])):
            members = items
            if check.get("parent"):  # a subtotal: the items whose parent column names this row
                members = [r for r in items if r.get(check["parent"]["items"]) == total.get(check["parent"]["total"])]
            if not members and check.get("parent"):
                continue  # a subtotal printed without its items: compared as a printing of its figure
            for column in check["columns"]:
                if total.get(column, "") == "":
                    continue
                outcome = item_sum(members, column)
                result = record(check, year, total, column, total[column], outcome, data,
                                figure=f"{check['title']} ({column})")
                # The lines summed, not written out: named when the total must add up (compute.unmet_sums).
                out.append(dict(result, _items=[r["_line"] for r in members]))
    return out


def item_sum(items: list[Row], column: str) -> Outcome:
    parts = [r.get(column, "") for r in items]
    if not items:
        return no_data("kelompok ini tidak punya baris rincian")
    if "" in parts:
        return no_data(f"ada baris rincian tanpa nilai {column}")
    return Outcome(sum(float(p) for p in parts), note=f"jumlah {len(items)} baris rinciannya")


def run_weights_check(check: dict, ctx_for, data: Data) -> list[dict]:
    """The sum of a group's published weights against the expected total (a finding, not an input)."""
    out = []
    for (year, *_), rows in groups(data, check).items():
        weights = [float(r[check["column"]]) for r in rows if r.get(check["column"], "") != ""]
        if not weights:
            continue
        first = min(rows, key=lambda r: r["_line"])
        total = sum(weights)
        text = f"{total:g}"
        outcome = Outcome(float(check["expected"]))
        result = record(check, year, first, check["column"], text, outcome, data,
                        figure=f"{check['title']} ({len(weights)} bobot)")
        result["explanation"] = (f"bobot yang dicetak berjumlah {text.replace('.', ',')} %, "
                                 f"seharusnya {check['expected']:g} %")
        out.append(result)
    return out


RUNNERS = {"row": run_row_check, "total": run_total_check, "weights_sum": run_weights_check}


def run_checks(checks: list[dict], ctx_for, data: Data) -> list[dict]:
    out = []
    for check in checks:
        out += RUNNERS[check.get("kind", "row")](check, ctx_for, data)
    return out


__all__ = ["run_checks", "MATCH", "MISMATCH"]
