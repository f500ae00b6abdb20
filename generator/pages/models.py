"""Page models: for each page, plain data (title, tables, charts) for its template."""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import fmt
from ..charts import Chart, chart
from . import paths
from .components import SECTIONS, capaian_chart, flag_text, met_cell, resource_table, source_text, status_cell
from .sitedata import SiteData
from .tables import Column, Table

KIND_WORDS = {"Kanwil": "Kantor wilayah", "Kanim": "Kantor imigrasi", "Rudenim": "Rumah detensi imigrasi",
              "Wilayah": "Agregat wilayah"}
COMPARISON = {"target_pk": "Target perjanjian kinerja", "target_rpjmn": "Target RPJMN",
              "standar_nasional": "Standar nasional"}


@dataclass
class Page:
    path: str
    title: str  # plain text: safe in <title>, navigation and meta tags
    description: str
    template: str
    context: dict = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


def satker_name(site: SiteData, satker_id: str) -> str:
    return site.satker[satker_id]["nama"] if satker_id in site.satker else satker_id


def indicator_name(site: SiteData, indicator_id: str) -> str:
    return site.indicators[indicator_id]["nama"] if indicator_id in site.indicators else (indicator_id or "Anggaran")


def capaian_rows(site: SiteData, **where) -> list[dict]:
    """Printed achievements, those with both target and realisation (the main matrices) first."""
    rows = site.computed("capaian", **where)
    rows = sorted(rows, key=lambda r: (r["year"], r["capaian_recomputed"] is None, r["comparison"] != "target_pk",
                                       r["source_file"], int(r["source_line"] or 0)))
    return [dict(r, indikator_name=indicator_name(site, r["indikator_id"])) for r in rows]


def capaian_table(site: SiteData, page: str, rows: list[dict], table_id: str, with_satker: bool = False,
                  with_year: bool = True) -> Table:
    columns = ([Column("satker", "Satker")] if with_satker else []) + (
        [Column("tahun", "Tahun", "year")] if with_year else []) + [Column("indikator", "Indikator"), Column("pembanding", "Dibandingkan dengan"),
        Column("target", "Target", "indicator"), Column("realisasi", "Realisasi", "indicator"),
        Column("capaian_terbit", "Capaian terbitan", "percent"), Column("capaian_hitung", "Capaian hitung ulang", "percent"),
        Column("predikat", "Predikat"), Column("tercapai", "Target tercapai?"), Column("sumber", "Sumber"),
        Column("cetakan_lain", "Cetakan lain dalam laporan")]
    table = Table(table_id, "Capaian kinerja: satu baris per angka, dari cetakan rujukannya", columns)
    for r in rows:
        flag = flag_text(site.flags(r["year"], r["csv_file"], r["csv_line"], "capaian_persen"))
        values = {"satker": satker_name(site, r["satker_id"]), "tahun": r["year"], "indikator": r["indikator_name"],
                  "pembanding": COMPARISON.get(r["comparison"], r["comparison"]), "target": r["target"],
                  "realisasi": r["realisation"],
                  "capaian_terbit": r["capaian_published"], "capaian_hitung": r["capaian_recomputed"],
                  "predikat": r["band_label"], "sumber": source_text(site, {"sumber_file": r["source_file"],
                  "sumber_tabel": r["source_table"], "sumber_halaman": r["source_page"]}),
                  "cetakan_lain": other_printings(site, r)}
        links = {"indikator": paths.relative(page, paths.indicator_page(r["indikator_id"])) if r["indikator_id"] else "",
                 "satker": paths.relative(page, paths.satker_year_page(r["satker_id"], r["year"]))}
        table.add(values, flags={"capaian_terbit": flag}, links=links, extra={"tercapai": met_cell(r["target_met"])})
    at = [c.key for c in columns].index("sumber")
    table.sources = sorted({row[at].text for row in table.rows})
    return table


MEASURE_WORDS = {"target": "target", "realisasi": "realisasi", "capaian": "capaian"}


def other_printings(site: SiteData, r: dict) -> str:
    """The figure's other printings, folded into one cell: how many, and each that disagrees
    with the reference printing, with its value and place."""
    prefix = r["figure_key"] + "/"
    others = [c for c in site.computed("consistency", satker_id=r["satker_id"], year=r["year"], check_id="cetakan-rujukan")
              if c["figure_key"].startswith(prefix) and c["role"] == "pengulangan"]
    if not others:
        return "–"
    differing = [c for c in others if c["status"] == "printing_mismatch"]
    text = f"{len(others)} cetakan lain, {len(differing)} berbeda"
    details = [f"{MEASURE_WORDS.get(c['figure_key'].rsplit('/', 1)[1], '')} {fmt.number(c['published'], 2)} "
               f"({c['source_table']}, baris {c['source_line']})" for c in differing]
    return text + (": " + "; ".join(details) if details else "")


def indeks_tables(site: SiteData, page: str, satker_id: str, year: int) -> tuple[list[Table], list[Chart]]:
    tables, charts = [], []
    nodes = site.computed("indeks_komposit", satker_id=satker_id, year=year)
    for indicator_id in sorted({n["indikator_id"] for n in nodes}):
        parts = [n for n in nodes if n["indikator_id"] == indicator_id]
        columns = [Column("component", "Komponen"), Column("title", "Uraian"), Column("parent", "Induk"),
                   Column("weight_percent", "Bobot", "percent"), Column("effective_weight_percent", "Bobot efektif", "percent"),
                   Column("value", "Nilai", "index"), Column("contribution_to_index", "Kontribusi ke indeks", "index"),
                   Column("status", "Status")]
        table = Table(f"indeks-{indicator_id}", f"{indicator_name(site, indicator_id)}: komponen dihitung ulang", columns)
        for n in parts:
            table.add(n, extra={"status": status_cell("match" if n["status"] == "ok" else n["status"])},
                      flags={"value": n["note"]})
        table.sources = ["Dihitung ulang dari tabel per satker (definisi: definitions/indeks)"]
        tables.append(table)
        points = [{"komponen": f"{n['component']} {n['title']}", "kontribusi": round(n["contribution_to_index"], 2)}
                  for n in parts if n["parent"] == "X" and n["contribution_to_index"] is not None]
        if points:
            text = "; ".join(f"{p['komponen']}: {fmt.number(p['kontribusi'], 2)}" for p in points)
            charts.append(chart("bars", f"Kontribusi komponen {indicator_name(site, indicator_id)}",
                                f"Diagram batang kontribusi setiap komponen ke indeks. {text}.", rows=points,
                                category="komponen", value="kontribusi", value_title="Kontribusi ke indeks (poin)",
                                unit="index"))
    return tables, charts


def satker_year_page(site: SiteData, satker_id: str, year: int) -> Page:
    path = paths.satker_year_page(satker_id, year)
    name = satker_name(site, satker_id)
    sections, charts = [], []
    for section in SECTIONS:
        tables, section_charts = [], []
        if "capaian" in section.get("special", []):
            rows = capaian_rows(site, satker_id=satker_id, year=year)
            if rows:
                tables.append(capaian_table(site, path, rows, "capaian", with_year=False))
                chart = capaian_chart(rows, f"Capaian kinerja {site.satker[satker_id]['nama_singkat']} {year}")
                section_charts += [chart] if chart else []
        if "indeks" in section.get("special", []):
            more, more_charts = indeks_tables(site, path, satker_id, year)
            tables += more
            section_charts += more_charts
        for number, spec in enumerate(section.get("tables", [])):
            table = resource_table(site, f"{section['id']}-{number + 1}", spec, year, satker_id)
            if table:
                tables.append(table)
        if tables:
            sections.append({"id": section["id"], "title": section["title"], "tables": tables, "charts": section_charts})
            charts += section_charts
    quality = [r for r in site.computed("consistency", satker_id=satker_id, year=year)
               if r["status"] in ("mismatch", "printing_mismatch", "not_applicable")]
    title = fmt.plain_title(f"{name} {year}")
    return Page(path, title, fmt.plain_title(f"Kinerja, anggaran dan layanan {name} tahun {year}"),
                "satker_year.md.j2",
                {"satker": site.satker[satker_id], "name": name, "year": year, "sections": sections,
                 "kind": KIND_WORDS.get(site.satker[satker_id]["jenis"], site.satker[satker_id]["jenis"]),
                 "quality": quality, "years": site.satker_years(satker_id)},
                [t for s in sections for t in s["tables"]], charts)


def satker_page(site: SiteData, satker_id: str) -> Page:
    path = paths.satker_page(satker_id)
    satker = site.satker[satker_id]
    name = satker["nama"]
    profile = Table("profil", "Profil satker", [Column("ciri", "Ciri"), Column("nilai", "Keterangan")])
    parent = site.satker.get(satker.get("induk_id", ""), {})
    for label, value, link in (("Jenis", KIND_WORDS.get(satker["jenis"], satker["jenis"]), ""),
                               ("Kelas", satker.get("kelas") or "–", ""),
                               ("Kode satker", satker.get("kode_satker") or "tidak dicetak dalam laporan", ""),
                               ("Induk", parent.get("nama", "–"),
                                paths.relative(path, paths.satker_page(parent["satker_id"])) if parent else ""),
                               ("Provinsi", satker["provinsi"], "")):
        profile.add({"ciri": label, "nilai": value}, links={"nilai": link})
    area = [r for r in site.reference.get("wilayah_kerja", []) if r["satker_id"] == satker_id]
    counts = [r for r in site.reference.get("wilayah_kerja_jumlah", []) if r["satker_id"] == satker_id]
    checkpoints = [r for r in site.reference.get("tempat_pemeriksaan", []) if r["satker_id"] == satker_id]
    tables = [profile]
    if area:
        tables.append(reference_table(site, "wilayah", "Wilayah kerja", "wilayah_kerja", area, ["jenis", "nama_tercetak"]))
    if counts:
        tables.append(reference_table(site, "wilayah-jumlah", "Jumlah kota dan kabupaten wilayah kerja",
                                      "wilayah_kerja_jumlah", counts, ["jumlah_kota", "jumlah_kabupaten"]))
    if checkpoints:
        tables.append(reference_table(site, "tpi", "Tempat pemeriksaan imigrasi", "tempat_pemeriksaan", checkpoints,
                                      ["jenis", "nama_tercetak"]))
    trends, charts = trend_tables(site, path, satker_id)
    return Page(path, fmt.plain_title(name), fmt.plain_title(f"Profil dan tren kinerja {name}"), "satker.md.j2",
                {"satker": satker, "name": name, "years": site.satker_years(satker_id),
                 "kind": KIND_WORDS.get(satker["jenis"], satker["jenis"])}, tables + trends, charts)


def reference_table(site: SiteData, table_id: str, caption: str, resource: str, rows: list[dict], keys: list[str]) -> Table:
    from .components import column_for

    table = Table(table_id, caption, [column_for(site, resource, k) for k in keys] + [Column("sumber", "Sumber")])
    for row in rows:
        table.add(dict(row, sumber=source_text(site, row)))
    table.sources = sorted({source_text(site, r) for r in rows})
    return table


TREND_CHARTS = (  # series drawn together in one chart (tables list every series); panels: a plot per series
    ("Anggaran per tahun", ("pagu", "realisasi-anggaran"), "IDR", False),
    ("Realisasi indikator kinerja per tahun", ("realisasi-indikator",), "index", True),
    ("Nilai IKPA per tahun", ("nilai-ikpa",), "index", False),
)


def trend_tables(site: SiteData, page: str, satker_id: str) -> tuple[list[Table], list[Chart]]:
    """Each series over the years (only the same indicator or measure is joined)."""
    values = site.computed("seri_tahunan", satker_id=satker_id)
    tables, charts = [], []
    for series in sorted({r["series"] for r in values}):
        rows = sorted((r for r in values if r["series"] == series), key=lambda r: (r["key"], r["year"]))
        title = rows[0]["title"]
        unit = "IDR" if series in ("pagu", "realisasi-anggaran", "pagu-jenis-belanja", "realisasi-jenis-belanja") else "index"
        table = Table(f"tren-{series}", f"Tren: {title}", [Column("key", "Rincian"), Column("year", "Tahun", "year"),
                                                             Column("value", "Nilai", unit), Column("sumber", "Sumber")])
        for r in rows:
            table.add({"key": series_label(site, r), "year": r["year"], "value": r["value"], "sumber": source_text(
                site, {"sumber_file": r["source_file"], "sumber_tabel": r["source_table"], "sumber_halaman": r["source_page"]})})
        tables.append(table)
    for title, group, unit, panels in TREND_CHARTS:
        # The achievement matrix's budget row has no indicator: a rupiah figure, not drawn among the indicators.
        rows = sorted((r for r in values if r["series"] in group and (r["key"] or r["series"] != "realisasi-indikator")),
                      key=lambda r: (group.index(r["series"]), r["key"], r["year"]))
        if len({r["year"] for r in rows}) < 2:
            continue
        points = [{"tahun": str(r["year"]), "nilai": r["value"],
                   "rincian": series_label(site, r) if r["key"] else r["title"]} for r in rows]
        text = "; ".join(f"{p['rincian']} {p['tahun']}: {fmt.by_unit(p['nilai'], unit)}" for p in points)
        charts.append(chart("lines", title, f"Diagram garis {title.lower()}. {text}.", rows=points, year="tahun",
                            value="nilai", series="rincian", value_title="Rupiah" if unit == "IDR" else "Nilai",
                            unit=unit, panels=panels))
    return tables, charts


def series_label(site: SiteData, row: dict) -> str:
    return indicator_name(site, row["key"]) if row["key"] in site.indicators else (row["key"] or row["title"])
