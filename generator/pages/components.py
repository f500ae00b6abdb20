"""Building blocks of page models: resource tables with their flags and sources, charts."""
from __future__ import annotations

from .. import fmt
from ..charts import Chart, chart
from .differences import flag_text
from .sitedata import SiteData
from .sources import source_cell, source_text
from .tables import Cell, Column, Table

STATUS_WORDS = {"match": ("✓", "Sesuai"), "mismatch": ("⚠", "Berbeda dari hitung ulang"),
                "printing_mismatch": ("≠", "Berbeda dari cetakan rujukan"), "reference": ("★", "Cetakan rujukan"),
                "not_applicable": ("∅", "Tidak berlaku (0/0)"), "no_data": ("…", "Tidak dapat dihitung ulang")}
MET = {"true": ("✓", "Tercapai", "pk-met"), "false": ("✗", "Tidak tercapai", "pk-unmet"), "": ("–", "Tidak diketahui", "")}


def column_for(site: SiteData, resource: str, key: str) -> Column:
    field = site.fields[resource][key]
    numeric = field.get("type") in ("integer", "number")
    return Column(key, field.get("title", key), field.get("unit") if numeric else None, numeric,
                  None if numeric else site.codes(resource, key))


def restatement(site: SiteData, year: int, row: dict) -> bool:
    """A row whose every printed figure is another printing of a figure whose reference
    printing stands elsewhere: shown folded beneath the table, never as a row of its own."""
    roles = {r["role"] for column in row if not column.startswith("_")
             for r in site.flags(year, row["_file"], row["_line"], column) if r["role"]}
    return roles == {"pengulangan"}


def resource_table(site: SiteData, table_id: str, spec: dict, year: int, satker_id: str) -> list[Table]:
    """The resource's rows of one satker-year, and its rows that restate figures printed
    elsewhere in a second table folded beneath it."""
    rows = site.of(year, spec["resource"], satker_id, spec.get("where"))
    if not rows:
        return []
    columns = [column_for(site, spec["resource"], key) for key in spec["columns"]]
    main = [r for r in rows if not restatement(site, year, r)]
    again = [r for r in rows if restatement(site, year, r)]
    tables = []
    for part, suffix, caption in ((main or again, "", spec["title"]),
                                  (again if main else [], "-cetakan-lain", f"{spec['title']}: cetakan lain dari angka yang sama")):
        if not part:
            continue
        table = Table(table_id + suffix, caption, columns + [Column("sumber", "Sumber")], sortable=spec.get("sortable", True))
        for row in part:
            flags = {c.key: "; ".join(filter(None, (
                site.withdrawn(year, spec["resource"], row, c.key) if c.numeric and row.get(c.key) is None else "",
                flag_text(site, site.flags(year, row["_file"], row["_line"], c.key))))) for c in columns}
            table.add(row, flags=flags, extra={"sumber": source_cell(site, row)})
        table.sources = sorted({source_text(site, r) for r in part})
        if suffix:
            differing = sum(1 for r in part if any(f["status"] == "printing_mismatch" for c in r if not c.startswith("_")
                                                   for f in site.flags(year, r["_file"], r["_line"], c)))
            table.folded = (f"{len(part)} baris lain mencetak ulang angka di atas"
                            f"{f', {differing} di antaranya berbeda' if differing else ', semuanya sama'}")
        tables.append(table)
    return tables


def status_cell(status: str) -> Cell:
    icon, words = STATUS_WORDS.get(status, ("", status))
    return Cell(words, words, icon=icon, css=f"pk-status-{status}")


def met_cell(value: str) -> Cell:
    icon, words, css = MET.get(value, MET[""])
    return Cell(words, words, icon=icon, css=css)


def capaian_chart(rows: list[dict], title: str) -> Chart | None:
    points, seen = [], set()
    for r in rows:
        if r["capaian_recomputed"] is None or r["comparison"] != "target_pk" or r["indikator_id"] in seen:
            continue
        seen.add(r["indikator_id"])
        points.append({"indikator": r["indikator_name"], "capaian": round(r["capaian_recomputed"], 2)})
    if not points:
        return None
    text = "; ".join(f"{p['indikator']}: {fmt.percent(p['capaian'])}" for p in points)
    return chart("bars", title, f"Diagram batang capaian hitung ulang per indikator (garis putus-putus: target 100 %). {text}.",
                 rows=points, category="indikator", value="capaian", value_title="Capaian (%)", unit="percent",
                 rule=100, rule_label="Target 100 %")
