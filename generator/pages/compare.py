"""Compare views (banding): every indicator and every series with all satkers and years side
by side, as tables (satkers as rows, years as columns) and charts; and, per year, budget and
performance per goal (sasaran) from the tables that join them (anggaran_kegiatan).

Years are only joined where the figures are comparable: a column of a year outside an
indicator's years (referensi/indikator.csv tahun_mulai-tahun_selesai: the 2024 ministry split
replaced the indicator set) reads "tidak berlaku", a column that does not follow the one before
it (another validity, or years without figures in between) is marked as a break, and a chart's
line joins only a satker's values in adjacent columns with no break between them.

Every table is sortable (as every table of the site) and every compare page has a picker of
satkers and years kept in the address (?satker=a,b&tahun=2022,2025): theme/assets/portal.js,
the site-wide script, progressive enhancement; without JavaScript every row and column is shown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import fmt
from ..charts import Chart, chart
from . import paths
from .components import capaian_chart, met_cell
from .differences import flag_text
from .models import Page, capaian_rows, indicator_name, series_label
from .sitedata import SiteData
from .sources import source_text
from .tables import Cell, Column, Table

INDEX = "banding/index.md"
NOT_REPORTED = "–"  # a cell with no figure: the report of that year does not give it for that satker
NOT_APPLICABLE = "tidak berlaku"  # a year outside the indicator's years
MAX_LINES = 8  # more satkers than colours (charts.PALETTE) in one chart cannot be told apart: the table compares them
ISSUE_SPLIT = "Indikator kinerja berganti setelah pemisahan kementerian pada 2024."




def budget_satker_path(year: int, satker_id: str) -> str:
    """One satker-year's budget and performance per goal."""
    return f"banding/anggaran-kinerja/{year}/{satker_id}.md"


@dataclass
class CompareTable(Table):
    """A table of a compare view: what each row is (a satker id, for the picker), what each
    column is (a year, or None), the columns that start after a break and why."""
    satkers: list[str] = field(default_factory=list)
    years: list = field(default_factory=list)
    breaks: dict = field(default_factory=dict)  # year -> why it does not join the column before it
    fixed_last: bool = False  # the last row (a total) stays last when sorted
    wide: bool = False  # long texts in several columns: each keeps a readable width (the table scrolls)
    legend: list[str] = field(default_factory=list)  # what the marks in the cells mean


def short(site: SiteData, satker_id: str) -> str:
    return site.satker[satker_id]["nama_singkat"] if satker_id in site.satker else satker_id


def validity(site: SiteData, key: str) -> tuple[int, int] | None:
    """The years an indicator is defined for; None for a key that is not an indicator."""
    indicator = site.indicators.get(key)
    if not indicator or indicator.get("tahun_mulai") is None:
        return None
    return int(indicator["tahun_mulai"]), int(indicator["tahun_selesai"] or indicator["tahun_mulai"])


def applies(period: tuple[int, int] | None, year: int) -> bool:
    return period is None or period[0] <= year <= period[1]


def period_text(period: tuple[int, int]) -> str:
    return str(period[0]) if period[0] == period[1] else f"{period[0]}–{period[1]}"


def breaks_of(years: list[int], period: tuple[int, int] | None) -> dict[int, str]:
    """year -> why its column does not join the column before it."""
    found = {}
    for before, year in zip(years, years[1:]):
        reasons = []
        if applies(period, before) != applies(period, year):
            reasons.append(f"indikator ini hanya berlaku {period_text(period)}")
        if year - before > 1:
            gap = str(before + 1) if year - before == 2 else f"{before + 1}–{year - 1}"
            reasons.append(f"tidak ada angka tahun {gap}")
        if reasons:
            found[year] = "; ".join(reasons)
    return found


def segments(years: list[int], values: dict[int, float], breaks: dict[int, str]) -> dict[int, str]:
    """year -> the stretch of a satker's line it belongs to: adjacent columns, both with a
    value, no break between them. A line never joins two stretches."""
    label, out, previous = "", {}, None
    for year in years:
        if year not in values:
            previous = None
            continue
        if previous is None or year in breaks:
            label = str(year)
        out[year] = label
        previous = year
    return out


def value_cell(site: SiteData, page: str, satker_id: str, year: int, value, unit: str, flag: str = "") -> Cell:
    if value is None:
        return Cell(NOT_REPORTED, None, css="pk-missing", flag=flag)
    link = paths.link(paths.satker_year_page(satker_id, year)) if year in site.satker_years(satker_id) else ""
    return Cell(fmt.by_unit(value, unit), value, link=link, flag=flag)


def grid(site: SiteData, page: str, table_id: str, caption: str, years: list[int], period, unit: str,
         values: dict[str, dict[int, float]], flags: dict | None = None, sources: list[str] | None = None) -> CompareTable:
    """Satkers (registry order) as rows, `years` as columns; `values`: satker -> year -> value."""
    flags = flags or {}
    columns = [Column("satker", "Satker")] + [Column(str(y), str(y), unit, True) for y in years]
    table = CompareTable(table_id, caption, columns, years=[None] + years, breaks=breaks_of(years, period))
    for satker_id in [s for s in site.satker if s in values] + sorted(s for s in values if s not in site.satker):
        row = [Cell(short(site, satker_id), short(site, satker_id),
                    link=paths.link(paths.satker_page(satker_id)) if satker_id in site.satker else "")]
        for year in years:
            if not applies(period, year) and values[satker_id].get(year) is None:
                row.append(Cell(NOT_APPLICABLE, NOT_APPLICABLE, css="pk-na"))
            else:
                row.append(value_cell(site, page, satker_id, year, values[satker_id].get(year), unit,
                                      flags.get((satker_id, year), "")))
        table.rows.append(row)
        table.satkers.append(satker_id)
    table.sources = sorted(set(sources or []))
    table.legend = [f"‖ {year}: jeda, {why}; garis tren tidak menyambung ke tahun sebelumnya"
                    for year, why in table.breaks.items()]
    return table


def trend_chart(site: SiteData, title: str, what: str, years: list[int], breaks: dict[int, str],
                values: dict[str, dict[int, float]], unit: str, value_title: str) -> Chart | None:
    """Lines per satker over the years (joined only within a stretch), or bars when the
    figures are of one year; none for a single figure. Satkers in registry order, as in the
    tables (and so in the same colour on every compare page)."""
    order = {satker_id: number for number, satker_id in enumerate(site.satker)}
    values = dict(sorted(values.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
    points = [(satker_id, year, value) for satker_id, by_year in values.items() for year, value in sorted(by_year.items())
              if value is not None and year in years]
    if len(points) < 2 or len(values) > MAX_LINES:
        return None
    if len({year for _, year, _ in points}) == 1:
        year = points[0][1]
        rows = [{"satker": short(site, s), "nilai": v} for s, _, v in points]
        text = "; ".join(f"{r['satker']}: {fmt.chart_value(r['nilai'], unit)}" for r in rows)
        return chart("bars", f"{title} {year}", f"Diagram batang {what} per satker tahun {year}. {text}.", rows=rows,
                     category="satker", value="nilai", value_title=value_title, unit=unit)
    rows = []
    for satker_id, by_year in values.items():
        stretch = segments(years, {y: v for y, v in by_year.items() if v is not None}, breaks)
        rows += [{"tahun": str(y), "nilai": by_year[y], "satker": short(site, satker_id), "segmen": f"{short(site, satker_id)} sejak {s}"}
                 for y, s in stretch.items()]
    text = "; ".join(f"{r['satker']} {r['tahun']}: {fmt.chart_value(r['nilai'], unit)}" for r in rows)
    shown = [y for y in years if any(r["tahun"] == str(y) for r in rows)]
    span = list(range(shown[0], shown[-1] + 1))  # years without figures keep their place on the axis
    return chart("lines", title, f"Diagram garis {what} per satker dan tahun; garis tidak menyambung tahun yang "
                 f"tidak sebanding atau tanpa angka. {text}.", rows=rows, year="tahun", value="nilai", series="satker",
                 value_title=value_title, unit=unit, series_title="Satker", segment="segmen",
                 years=[str(y) for y in span])


def too_many(satkers) -> str:
    return (f"Grafik tidak digambar untuk lebih dari {MAX_LINES} satker (warnanya tidak dapat dibedakan): "
            "bandingkan di tabel, yang dapat diurutkan dan dipilih.") if len(satkers) > MAX_LINES else ""


def picker(site: SiteData, tables: list[CompareTable], years: list[int]) -> dict:
    """The satkers and years to choose from, and which marks the tables use (the page says
    what each means once, above the tables)."""
    satkers = list(dict.fromkeys(s for t in tables for s in t.satkers))
    texts = {cell.text for t in tables for row in t.rows for cell in row[1:]}
    return {"satkers": [{"id": s, "name": short(site, s)} for s in satkers], "years": years,
            "missing": NOT_REPORTED in texts, "not_applicable": NOT_APPLICABLE in texts,
            "breaks": any(t.breaks for t in tables)}


INDICATOR_MEASURES = (  # (table id, caption, unit: None = the indicator's own)
    ("realisasi", "Realisasi", None),
    ("target", "Target perjanjian kinerja", None),
    ("capaian", "Capaian (hitung ulang dari target dan realisasi)", "percent"),
)
FIGURE_MEASURES = {"realisasi": "realisation", "target": "target"}  # angka measure -> capaian column


def indicator_unit(indicator: dict) -> str:
    return "percent" if indicator.get("satuan") == "persen" else "index"


def indicator_figures(site: SiteData, indicator_id: str) -> dict[str, dict[tuple[str, int], tuple]]:
    """measure -> (satker, year) -> (value, its source row, flag) of the indicator against the
    performance agreement: target and realisation as the capaian is computed from them (their
    reference printings), else the reference printing of a figure with no capaian row (a
    target of a year not yet reported, a realisation printed without its target); capaian as
    recomputed, else as printed (flagged). Made once per build: the index page and the
    indicator's own page both read it."""
    return site.remember(("indicator_figures", indicator_id), lambda: gather_indicator_figures(site, indicator_id))


def gather_indicator_figures(site: SiteData, indicator_id: str) -> dict[str, dict[tuple[str, int], tuple]]:
    found: dict[str, dict] = {measure: {} for measure, _, _ in INDICATOR_MEASURES}
    for r in site.computed("capaian", indikator_id=indicator_id):
        if r["comparison"] != "target_pk":
            continue
        where = (r["satker_id"], int(r["year"]))
        for measure, column in FIGURE_MEASURES.items():
            if r[column] is not None:
                found[measure][where] = (r[column], r, "")
        if r["capaian_recomputed"] is not None:
            found["capaian"][where] = (r["capaian_recomputed"], r,
                                       flag_text(site, site.flags(r["year"], r["csv_file"], r["csv_line"], "capaian_persen")))
    for r in site.computed("angka", figure="capaian", key=f"{indicator_id} / target_pk"):
        where = (r["satker_id"], int(r["year"]))
        if r["value"] is None or r["measure"] not in found or where in found[r["measure"]]:
            continue
        flag = "dicetak laporan; tidak dapat dihitung ulang tanpa target dan realisasi" if r["measure"] == "capaian" else ""
        found[r["measure"]][where] = (r["value"], r, flag)
    return found


def figure_years(site: SiteData) -> list[int]:
    """The years with any indicator figure (achievement or target)."""
    return sorted({int(r["year"]) for r in site.computed("capaian")}
                  | {int(r["year"]) for r in site.computed("angka", figure="capaian")})


def indicator_compare_page(site: SiteData, indicator_id: str) -> Page:
    path = paths.compare_indicator_path(indicator_id)
    indicator = site.indicators[indicator_id]
    name = indicator["nama"]
    period = validity(site, indicator_id)
    figures = indicator_figures(site, indicator_id)
    years = sorted(set(figure_years(site)) | {y for by in figures.values() for _, y in by}
                   | (set(range(period[0], period[1] + 1)) if period else set()))
    unit = indicator_unit(indicator)
    tables, charts = [], []
    for table_id, caption, measure_unit in INDICATOR_MEASURES:
        if not figures[table_id]:
            continue
        values: dict[str, dict[int, float]] = {}
        for (satker_id, year), (value, _, _) in sorted(figures[table_id].items(), key=lambda i: i[0][1]):
            values.setdefault(satker_id, {})[year] = value
        flags = {where: flag for where, (_, _, flag) in figures[table_id].items() if flag}
        tables.append(grid(site, path, table_id, f"{caption}: {name}", years, period, measure_unit or unit, values, flags,
                           [source_text(site, row) for _, row, _ in figures[table_id].values()]))
        if table_id == "realisasi":
            made = trend_chart(site, f"Realisasi {name}", f"realisasi {name}", years, tables[-1].breaks, values,
                               unit, "Realisasi")
            charts += [made] if made else []
    others = [{"href": paths.link(paths.compare_indicator_path(i)), "name": row["nama"],
               "period": period_text(validity(site, i)) if validity(site, i) else ""}
              for i, row in site.indicators.items() if i != indicator_id and validity(site, i) != period
              and any(indicator_figures(site, i).values())]
    return Page(path, f"Bandingkan: {name}",
                f"{name}: semua satker dan tahun berdampingan", "compare.md.j2",
                {"heading": f"Bandingkan: {name}", "kind": "indikator",
                 "lead": f"Realisasi, target dan capaian {name} untuk setiap satker dan tahun, berdampingan.",
                 "period": period_text(period) if period else "", "notes": [ISSUE_SPLIT] if period else [],
                 "others": others, "definition": paths.link(paths.indicator_page(indicator_id)),
                 "picker": picker(site, tables, years),
                 "blocks": [{"title": "Semua satker dan tahun", "link": {}, "charts": charts, "tables": tables,
                             "note": too_many({s for by in figures.values() for s, _ in by})}]
                 if tables else []},
                tables, charts)


def series_key_label(site: SiteData, series: dict, key: str) -> str:
    """What one row of a series' compare table is about: its key's codes by their labels
    (definitions/label.yaml), or the series' `label_without_key` (definitions/series.yaml)."""
    if not key:
        return series.get("label_without_key", series["title"])
    return series_label(site, {"key": key, "series": series["id"], "title": series["title"]})


def table_id_of(key: str) -> str:
    """A series key's table: 'nilai' for the series' own value (no key), else 'rincian-<key>'."""
    slug = re.sub(r"[^a-z0-9-]+", "-", key.lower()).strip("-")
    return f"rincian-{slug}" if key else "nilai"




def series_compare_page(site: SiteData, series: dict) -> Page:
    series_id = series["id"]
    path = paths.compare_series_path(series_id)
    rows = site.computed("seri_tahunan", series=series_id)
    years = sorted({int(r["year"]) for r in rows})
    blocks, tables, charts = [], [], []
    keys = sorted({r["key"] for r in rows}, key=lambda k: (k not in site.indicators, validity(site, k) or (0, 0),
                                                            series_key_label(site, series, k)))
    for key in keys:
        period, unit = validity(site, key), site.series_unit(series_id, key)
        label = series_key_label(site, series, key)
        values: dict[str, dict[int, float]] = {}
        mine = [r for r in rows if r["key"] == key]
        for r in mine:
            values.setdefault(r["satker_id"], {})[int(r["year"])] = r["value"]
        table_id = table_id_of(key)
        table_id = table_id if table_id not in {t.id for t in tables} else f"{table_id}-{len(tables) + 1}"
        table = grid(site, path, table_id, f"{series['title']}: {label}" if key else series["title"], years, period,
                     unit, values, None, [source_text(site, r) for r in mine])
        made = trend_chart(site, label if key else series["title"], label.lower() if key else series["title"].lower(),
                           years, table.breaks, values, unit, fmt.axis_title(unit))
        note = " ".join(part for part in (f"Indikator ini berlaku {period_text(period)}." if period else "",
                                          too_many(values)) if part)
        link = {"href": paths.link(paths.compare_indicator_path(key)), "label": f"Realisasi, target dan capaian {label}"} \
            if key in site.indicators else {}
        blocks.append({"title": label if key else "", "note": note, "link": link, "charts": [made] if made else [],
                       "tables": [table]})
        tables.append(table)
        charts += [made] if made else []
    notes = ([ISSUE_SPLIT] if any(k in site.indicators for k in keys) else []) + \
        ([series["note"]] if series.get("note") else [])
    return Page(path, f"Bandingkan: {series['title']}",
                f"{series['title']}: semua satker dan tahun berdampingan", "compare.md.j2",
                {"heading": f"Bandingkan: {series['title']}", "kind": "seri",
                 "lead": f"{series['title']} setiap satker dan tahun, berdampingan"
                         + (": satu tabel per rincian." if len(keys) > 1 else "."),
                 "period": "", "notes": notes, "others": [], "definition": "",
                 "picker": picker(site, tables, years), "blocks": blocks},
                tables, charts)


def budget_years(site: SiteData) -> dict[int, list[str]]:
    """year -> satkers whose report joins budget and goals (anggaran_kegiatan), from the
    computed absorption, each year's kept by its key (SiteData.yearly): every satker-year
    page asks, and a rebuild need not read the years it does not show. Which budget pages
    there are: in every page's key (build.write_generated), so not noted."""
    found = {year: site.yearly("satker-anggaran", year, lambda year=year: budget_satkers(site, year))
             for year in site.years}
    return {year: satkers for year, satkers in found.items() if satkers}


def budget_satkers(site: SiteData, year: int) -> list[str]:
    rows = site.untraced(lambda: site.computed("serapan_anggaran", year=year, resource="anggaran_kegiatan"))
    return [s for s in site.satker if s in {r["satker_id"] for r in rows}]


def index_page(site: SiteData) -> Page:
    path = INDEX
    indicators = CompareTable("indikator", "Indikator kinerja: realisasi, target dan capaian", [
        Column("nama", "Indikator"), Column("berlaku", "Tahun berlaku"), Column("satker", "Satker dengan angka", "count", True),
        Column("tahun", "Tahun dengan angka")], years=[None] * 4, wide=True)
    for indicator_id, row in sorted(site.indicators.items(), key=lambda i: (validity(site, i[0]) or (0, 0), i[1]["nama"])):
        where = {w for by in indicator_figures(site, indicator_id).values() for w in by}
        period = validity(site, indicator_id)
        indicators.add({"nama": row["nama"], "berlaku": period_text(period) if period else "–",
                        "satker": len({s for s, _ in where}),
                        "tahun": ", ".join(str(y) for y in sorted({y for _, y in where})) or "tidak ada angka"},
                       links={"nama": paths.link(paths.compare_indicator_path(indicator_id))})
    indicators.sources = ["Referensi indikator (tahun berlaku) dan capaian hitung ulang"]
    series_table = CompareTable("seri", "Seri antartahun", [
        Column("nama", "Seri"), Column("rincian", "Rincian", "count", True), Column("satker", "Satker dengan angka", "count", True),
        Column("tahun", "Tahun dengan angka")], years=[None] * 4, wide=True)
    for series in site.definitions["series"]["series"]:
        rows = site.computed("seri_tahunan", series=series["id"])
        series_table.add({"nama": series["title"], "rincian": len({r["key"] for r in rows}),
                          "satker": len({r["satker_id"] for r in rows}),
                          "tahun": ", ".join(str(y) for y in sorted({int(r["year"]) for r in rows})) or "tidak ada angka"},
                         links={"nama": paths.link(paths.compare_series_path(series["id"]))})
    series_table.sources = ["Seri tahunan yang ditetapkan portal, dihitung dari paket data"]
    budget = [{"year": year, "href": paths.link(paths.compare_budget_path(year)),
               "satkers": [site.satker[s]["nama"] for s in satkers]} for year, satkers in budget_years(site).items()]
    with_budget = sorted({(r["satker_id"], int(r["year"])) for r in site.computed("angka", figure="anggaran")})
    joined = {(s, y) for y, satkers in budget_years(site).items() for s in satkers}
    whole_only = [{"name": short(site, s), "year": y, "href": paths.link(paths.satker_year_page(s, y))}
                  for s, y in with_budget if (s, y) not in joined and s in site.satker and y in site.satker_years(s)]
    return Page(path, "Bandingkan", "Setiap indikator dan seri: semua satker dan tahun berdampingan", "compare_index.md.j2",
                {"budget": budget, "whole_only": whole_only}, [indicators, series_table], [])


def compare_pages(site: SiteData):
    """(identity, how to make it) for the index, a page per indicator and a page per series
    (built from the computed package and the reference alone, never from a year package's rows)."""
    yield ("banding",), lambda: index_page(site)
    for indicator_id in site.indicators:
        yield ("banding", "indikator", indicator_id), lambda i=indicator_id: indicator_compare_page(site, i)
    for series in site.definitions["series"]["series"]:
        yield ("banding", "seri", series["id"]), lambda s=series: series_compare_page(site, s)


def budget_heading(site: SiteData, satker_id: str, year: int) -> str:
    return f"{site.satker[satker_id]['nama']} {year}" if satker_id in site.satker else f"{satker_id} {year}"


def serapan(budget, spent):
    return spent / budget * 100 if budget and spent is not None else None


def achievements(site: SiteData, satker_id: str, year: int, indicator_id: str) -> tuple[dict | None, str]:
    """The indicator's capaian row (performance agreement) of this satker-year, or of the one
    satker whose agreement has it that year (an indicator 'di wilayah' of the Kanwil for the
    region's table); and whose it is, when not the satker's own."""
    own = [r for r in site.computed("capaian", satker_id=satker_id, year=year, indikator_id=indicator_id)
           if r["comparison"] == "target_pk"]
    if own:
        return own[0], ""
    others = [r for r in site.computed("capaian", year=year, indikator_id=indicator_id) if r["comparison"] == "target_pk"]
    if len({r["satker_id"] for r in others}) == 1:
        return others[0], others[0]["satker_id"]
    return None, ""


def goal_achievement(rows: list[dict | None]) -> str:
    """'1 dari 2 indikator tercapai (95,00 %; 107,98 %)', in the order of the indicator table."""
    known = [r for r in rows if r is not None and r["target_met"] in ("true", "false")]
    if not rows or not known:
        return "–"
    met = sum(r["target_met"] == "true" for r in known)
    return f"{met} dari {len(rows)} indikator tercapai ({'; '.join(capaian_text(r) for r in rows)})"


def capaian_text(row: dict | None) -> str:
    if row is None:
        return "–"
    value = row["capaian_recomputed"] if row["capaian_recomputed"] is not None else row["capaian_published"]
    return fmt.percent(value) if value is not None else "–"


def budget_tables(site: SiteData, page: str, satker_id: str, year: int) -> tuple[list[CompareTable], list[Chart], list[str]]:
    """Per goal: budget, spending, absorption recomputed beside the printed one, and what its
    indicators achieved; per indicator: target, realisation, capaian, met, and its budget."""
    rows = sorted(site.of(year, "anggaran_kegiatan", satker_id), key=lambda r: r["urutan"] or 0)
    goal_columns = [Column("sasaran", "Sasaran kegiatan"), Column("anggaran", "Anggaran", "IDR", True),
                    Column("realisasi", "Realisasi anggaran", "IDR", True),
                    Column("serapan", "Serapan (hitung ulang)", "percent", True),
                    Column("serapan_cetak", "Serapan dicetak", "percent", True),
                    Column("capaian", "Capaian indikatornya")]
    goals = CompareTable("sasaran", f"Anggaran dan capaian per sasaran: {budget_heading(site, satker_id, year)}",
                         goal_columns, years=[None] * len(goal_columns))
    indicator_columns = [Column("sasaran", "Sasaran kegiatan"), Column("indikator", "Indikator"),
                         Column("target", "Target", "index", True), Column("realisasi_kinerja", "Realisasi", "index", True),
                         Column("capaian", "Capaian (hitung ulang)", "percent", True), Column("tercapai", "Target tercapai?"),
                         Column("anggaran", "Anggaran", "IDR", True), Column("realisasi", "Realisasi anggaran", "IDR", True),
                         Column("serapan", "Serapan (hitung ulang)", "percent", True)]
    indicators = CompareTable("indikator", f"Anggaran dan capaian per indikator: {budget_heading(site, satker_id, year)}",
                              indicator_columns, years=[None] * len(indicator_columns))
    notes, borrowed = [], set()
    by_goal: dict[str, list[str]] = {}
    points_capaian, points_serapan, achieved_ids = [], [], set()
    for r in rows:
        if r["tingkat"] == "indikator":
            goal = r["induk_tercetak"]
            achieved, whose = achievements(site, satker_id, year, r["indikator_id"]) if r["indikator_id"] else (None, "")
            if whose:
                borrowed.add(whose)
            name = indicator_name(site, r["indikator_id"]) if r["indikator_id"] else r["label_tercetak"]
            own_unit = indicator_unit(site.indicators.get(r["indikator_id"], {}))
            absorbed = serapan(r["anggaran_rp"], r["realisasi_rp"])
            indicators.add({"sasaran": goal, "indikator": name,
                            "target": achieved["target"] if achieved else None,
                            "realisasi_kinerja": achieved["realisation"] if achieved else None,
                            "capaian": (achieved["capaian_recomputed"] if achieved["capaian_recomputed"] is not None
                                        else achieved["capaian_published"]) if achieved else None,
                            "anggaran": r["anggaran_rp"], "realisasi": r["realisasi_rp"], "serapan": absorbed},
                           links={"indikator": paths.link(paths.compare_indicator_path(r["indikator_id"])) if r["indikator_id"] in site.indicators else ""},
                           flags={"anggaran": flag_text(site, site.flags(year, r["_file"], r["_line"], "anggaran_rp")),
                                  "realisasi": flag_text(site, site.flags(year, r["_file"], r["_line"], "realisasi_rp"))},
                           extra={"tercapai": met_cell(achieved["target_met"]) if achieved else Cell("–", None),
                                  **{column: Cell(fmt.by_unit(achieved[key], own_unit), achieved[key])
                                     for column, key in (("target", "target"), ("realisasi_kinerja", "realisation"))
                                     if achieved and achieved[key] is not None}})
            by_goal.setdefault(goal, []).append(achieved)
            if achieved:
                achieved_ids.add(r["indikator_id"])
            if r["indikator_id"] in site.indicators:
                if absorbed is not None:
                    points_serapan.append({"indikator": name, "serapan": round(absorbed, 2)})
                if achieved and achieved["capaian_recomputed"] is not None:
                    points_capaian.append({"indikator": name, "capaian": round(achieved["capaian_recomputed"], 2)})
    for r in rows:
        if r["tingkat"] == "indikator":
            continue
        total = r["tingkat"] == "total"
        label = "Jumlah semua sasaran (baris total tabel)" if total else r["label_tercetak"]
        goals.add({"sasaran": label, "anggaran": r["anggaran_rp"], "realisasi": r["realisasi_rp"],
                   "serapan": serapan(r["anggaran_rp"], r["realisasi_rp"]), "serapan_cetak": r["realisasi_persen"],
                   "capaian": "" if total else goal_achievement(by_goal.get(r["label_tercetak"], []))},
                  flags={c: flag_text(site, site.flags(year, r["_file"], r["_line"], column))
                         for c, column in (("anggaran", "anggaran_rp"), ("realisasi", "realisasi_rp"),
                                           ("serapan_cetak", "realisasi_persen"))})
        goals.fixed_last = goals.fixed_last or total
    sources = sorted({source_text(site, r) for r in rows})
    for table in (goals, indicators):
        table.wide = True
        table.sources = sources + (["capaian dari capaian hitung ulang (paket terhitung)"] if table is indicators else [])
        table.legend = ["Serapan (hitung ulang) = realisasi anggaran / anggaran × 100 %",
                        f"{NOT_REPORTED} tidak dilaporkan"]
    if goals.fixed_last and goals.rows and goals.rows[-1][0].text != "Jumlah semua sasaran (baris total tabel)":
        goals.fixed_last = False  # the total row is not last: sort everything
    for whose in sorted(borrowed):
        notes.append(f"Target dan capaian indikator di sini ditetapkan dalam perjanjian kinerja "
                     f"{site.satker[whose]['nama'] if whose in site.satker else whose}; indikatornya mengukur seluruh "
                     f"wilayah. Tabel ini menampilkan capaian perjanjian kinerja itu di samping anggaran "
                     f"{short(site, satker_id)}.")
    charts = []
    heading = budget_heading(site, satker_id, year)
    # The capaian chart of the satker-year page whose agreement holds these indicators, drawn from the
    # same rows: the same chart (one file), however many pages show it.
    owners = {satker_id} | borrowed
    agreement = [r for owner in sorted(owners) for r in capaian_rows(site, satker_id=owner, year=year)
                 if r["comparison"] == "target_pk" and r["indikator_id"] in achieved_ids]
    made = capaian_chart(agreement, f"Capaian per indikator, {heading}") if points_capaian else None
    charts += [made] if made else []
    if points_serapan:
        text = "; ".join(f"{p['indikator']}: {fmt.percent(p['serapan'])}" for p in points_serapan)
        charts.append(chart("bars", f"Serapan anggaran per indikator, {heading}",
                            f"Diagram batang serapan anggaran (realisasi / anggaran) per indikator (garis putus-putus: "
                            f"pagu 100 %). {text}.", rows=points_serapan, category="indikator", value="serapan",
                            value_title="Serapan anggaran (%)", unit="percent", rule=100, rule_label="Pagu 100 %"))
    return [goals, indicators], charts, notes


def budget_totals(site: SiteData, year: int, satker_id: str) -> dict:
    """A satker-year's whole budget in the table that joins it to the goals (its total row,
    else the sum of its goal rows), the goals, and how many of their indicators met the target."""
    rows = site.of(year, "anggaran_kegiatan", satker_id)
    goals = [r for r in rows if r["tingkat"] == "sasaran_kegiatan"]
    total = next((r for r in rows if r["tingkat"] == "total"), None)
    budget = total["anggaran_rp"] if total else sum(r["anggaran_rp"] or 0 for r in goals)
    spent = total["realisasi_rp"] if total else sum(r["realisasi_rp"] or 0 for r in goals)
    achieved = [achievements(site, satker_id, year, r["indikator_id"])[0] for r in rows
                if r["tingkat"] == "indikator" and r["indikator_id"]]
    known = [r for r in achieved if r is not None and r["target_met"] in ("true", "false")]
    return {"anggaran": budget, "realisasi": spent, "serapan": serapan(budget, spent), "sasaran": len(goals),
            "tercapai": f"{sum(r['target_met'] == 'true' for r in known)} dari {len(achieved)}" if known else "–",
            "file": total["_file"] if total else "", "line": total["_line"] if total else 0}


def budget_pages(site: SiteData, year: int):
    """(identity, how to make it) for a year whose reports join budget and goals: an
    overview (one row per satker, its whole budget, absorption and targets met, sortable,
    with the picker of satkers) and a page per satker with its goals and indicators (each
    one light at national scale)."""
    satkers = budget_years(site).get(year, [])
    if satkers:
        yield ("anggaran", year), lambda: budget_overview_page(site, year, satkers)
    for satker_id in satkers:
        yield ("anggaran", year, satker_id), lambda s=satker_id: budget_satker_page(site, year, s)


def budget_overview_page(site: SiteData, year: int, satkers: list[str]) -> Page:
    path = paths.compare_budget_path(year)
    columns = [Column("satker", "Satker"), Column("anggaran", "Anggaran", "IDR", True),
               Column("realisasi", "Realisasi anggaran", "IDR", True),
               Column("serapan", "Serapan (hitung ulang)", "percent", True),
               Column("sasaran", "Sasaran kegiatan", "count", True), Column("tercapai", "Indikator tercapai")]
    overview = CompareTable("ringkasan", f"Anggaran, serapan dan target tercapai per satker, {year}", columns,
                            years=[None] * len(columns), wide=True)
    sources = set()
    for satker_id in satkers:
        totals = budget_totals(site, year, satker_id)
        overview.add({**totals, "satker": short(site, satker_id)},
                     links={"satker": paths.link(budget_satker_path(year, satker_id))},
                     flags={"anggaran": flag_text(site, site.flags(year, totals["file"], totals["line"], "anggaran_rp")),
                            "realisasi": flag_text(site, site.flags(year, totals["file"], totals["line"], "realisasi_rp"))}
                     if totals["file"] else {})
        overview.satkers.append(satker_id)
        sources |= {source_text(site, r) for r in site.of(year, "anggaran_kegiatan", satker_id)}
    overview.sources = sorted(sources)
    overview.legend = ["Serapan (hitung ulang) = realisasi anggaran / anggaran × 100 %",
                       "Indikator tercapai: indikator sasaran-sasarannya yang mencapai target perjanjian kinerja"]
    return Page(path, f"Anggaran dan kinerja per sasaran {year}",
                f"Biaya, serapan anggaran dan target tercapai setiap satker tahun {year}", "budget_overview.md.j2",
                {"year": year, "index": paths.link(INDEX), "satkers": len(satkers),
                 "picker": {"satkers": [{"id": s, "name": short(site, s)} for s in satkers], "years": []}},
                [overview], [], package=str(year))


def budget_satker_page(site: SiteData, year: int, satker_id: str) -> Page:
    page = budget_satker_path(year, satker_id)
    made, made_charts, notes = budget_tables(site, page, satker_id, year)
    heading = budget_heading(site, satker_id, year)
    return Page(page, f"Anggaran dan kinerja per sasaran: {heading}",
                f"Biaya, capaian dan serapan anggaran setiap sasaran kegiatan {heading}",
                "budget_performance.md.j2",
                {"year": year, "heading": heading, "notes": notes, "overview": paths.link(paths.compare_budget_path(year)),
                 "index": paths.link(INDEX),
                 "satker_page": paths.link(paths.satker_year_page(satker_id, year))
                 if year in site.satker_years(satker_id) else ""},
                made, made_charts, search_boost=0,  # found through its satker-year page and the overview
                package=str(year))


def satker_year_links(site: SiteData, page: str, satker_id: str, year: int) -> dict:
    """The compare views a satker-year page links to, by the section they belong under
    ('kinerja', 'anggaran', 'kualitas-anggaran'), and 'all' (the index)."""
    links: dict[str, list[dict]] = {"all": [{"href": paths.link(INDEX), "label": "Semua perbandingan"}]}
    for indicator_id in dict.fromkeys(r["indikator_id"] for r in site.computed("capaian", satker_id=satker_id, year=year)):
        if indicator_id in site.indicators:
            links.setdefault("kinerja", []).append({"href": paths.link(paths.compare_indicator_path(indicator_id)),
                                                    "label": site.indicators[indicator_id]["nama"]})
    present = {r["series"] for r in site.computed("seri_tahunan", satker_id=satker_id, year=year)}
    for series in site.definitions["series"]["series"]:
        if series["id"] in present:
            links.setdefault(series.get("section", "all"), []).append(
                {"href": paths.link(paths.compare_series_path(series["id"])), "label": series["title"]})
    if satker_id in budget_years(site).get(year, []):
        links.setdefault("anggaran", []).insert(0, {
            "href": paths.link(budget_satker_path(year, satker_id)),
            "label": f"Anggaran dan kinerja per sasaran {year}"})
    return links
