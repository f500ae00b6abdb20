"""Page models: for each page, plain data (title, tables, charts) for its template."""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import fmt
from ..charts import Chart, chart
from . import paths
from ..engine.composite import PRINTINGS, STAGE_WORDS
from .answer import answer
from . import differences as diff
from ..engine.formulas import written
from .components import capaian_chart, met_cell, resource_table
from .sources import source_cell, source_text
from .sitedata import SiteData
from .tables import Cell, Column, Table



def kind_words(site: SiteData, satker: dict) -> str:
    return site.label("satker", "jenis", satker["jenis"])


@dataclass
class Page:
    path: str
    title: str  # plain text: safe in <title>, navigation and meta tags
    description: str
    template: str
    context: dict = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    search_boost: float = 1.0  # Material's search weight; 0 leaves the page out (data dictionaries: the
    # catalogue stays findable, and a search for "anggaran" leads to offices, not column lists)
    abbreviations: bool = True  # the first use of each acronym is wrapped in <abbr> (glossary.py)
    package: str = ""  # the one data package the page shows ("2025", "referensi"); "" for pages across packages:
    # its "Terakhir diperbarui" date follows that package (theme/main.html, build.data_version)


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
                  with_year: bool = True, with_comparison: bool = True, short_names: bool = False,
                  caption: str = "Capaian kinerja: satu baris per angka, dari cetakan rujukannya") -> Table:
    columns = ([Column("satker", "Satker")] if with_satker else []) + (
        [Column("tahun", "Tahun", "year")] if with_year else []) + [Column("indikator", "Indikator")] + (
        [Column("pembanding", "Dibandingkan dengan")] if with_comparison else []) + [
        Column("target", "Target", "indicator"), Column("realisasi", "Realisasi", "indicator"),
        Column("capaian_terbit", "Capaian terbitan", "percent"), Column("capaian_hitung", "Capaian hitung ulang", "percent"),
        Column("predikat", "Predikat"), Column("tercapai", "Target tercapai?"), Column("sumber", "Sumber"),
        Column("cetakan_lain", "Cetakan lain dalam laporan")]
    table = Table(table_id, caption, columns)
    for r in rows:
        flag = diff.flag_text(site, site.flags(r["year"], r["csv_file"], r["csv_line"], "capaian_persen"))
        satker = site.satker[r["satker_id"]]["nama_singkat"] if short_names else satker_name(site, r["satker_id"])
        values = {"satker": satker, "tahun": r["year"], "indikator": r["indikator_name"],
                  "pembanding": site.label("capaian_kinerja", "pembanding", r["comparison"]), "target": r["target"],
                  "realisasi": r["realisation"],
                  "capaian_terbit": r["capaian_published"], "capaian_hitung": r["capaian_recomputed"],
                  "predikat": r["band_label"], "cetakan_lain": ""}
        links = {"indikator": paths.link(paths.indicator_page(r["indikator_id"])) if r["indikator_id"] else "",
                 "satker": paths.link(paths.satker_year_page(r["satker_id"], r["year"]))}
        summary, details = other_printings(site, r)
        table.add(values, flags={"capaian_terbit": flag}, links=links,
                  extra={"tercapai": met_cell(r["target_met"]), "cetakan_lain": Cell(summary, summary, details=details),
                         "sumber": source_cell(site, r)})
    at = [c.key for c in columns].index("sumber")
    table.sources = sorted({row[at].text for row in table.rows})
    table.notes = capaian_notes(site, [r["indikator_id"] for r in rows])
    return table


def capaian_notes(site: SiteData, indicator_ids: list[str]) -> list[str]:
    """How to read a capaian table, beneath it: the formula of each polarity in the table,
    what 'tercapai' means and the bands (definitions/capaian.yaml and bands.yaml)."""
    polarities = sorted({site.indicators[i]["polaritas"] for i in indicator_ids if i in site.indicators})
    formulas = site.definitions["capaian"]["polarity"]
    how = "; ".join(f"{fmt.lower_first(site.label('indikator', 'polaritas', p))}: {written(formulas[p], {})} %"
                    for p in polarities)
    bands = site.definitions["bands"]
    ranges, upper = [], None
    for band in bands["bands"]:
        low = fmt.number(band["minimum"])
        label = fmt.lower_first(band["label"])
        ranges.append(f"{label} {low} % ke atas" if upper is None else
                      f"{label} {low} % sampai di bawah {fmt.number(upper)} %" if band["minimum"] > 0 else
                      f"{label} di bawah {fmt.number(upper)} %")
        upper = band["minimum"]
    return [f"Capaian menurut polaritas indikator ({how}). Capaian terbitan adalah angka yang dicetak laporan; "
            f"capaian hitung ulang dihitung portal dari target dan realisasi yang dicetak.",
            f"Target tercapai bila capaian hitung ulang minimal {fmt.number(bands['target_met_minimum'])} %. "
            f"Predikat: {'; '.join(ranges)}."]


MEASURE_WORDS = {"target": "target", "realisasi": "realisasi", "capaian": "capaian"}


def other_printings(site: SiteData, r: dict) -> tuple[str, list[str]]:
    """The figure's other printings, folded beneath its row: a summary (how many, how many
    disagree) and one line per printing with its value, place and agreement."""
    prefix = r["figure_key"] + "/"
    others = [c for c in site.computed("consistency", satker_id=r["satker_id"], year=r["year"], check_id="cetakan-rujukan")
              if c["figure_key"].startswith(prefix) and c["role"] == "pengulangan"]
    if not others:
        return "–", []
    differing = sum(c["status"] == "printing_mismatch" for c in others)
    lines = [f"{MEASURE_WORDS.get(c['figure_key'].rsplit('/', 1)[1], '')} {fmt.number(c['published'])}: "
             f"{'berbeda' if c['status'] == 'printing_mismatch' else 'sama'} "
             f"({source_text(site, c)})"
             for c in sorted(others, key=lambda c: (c["status"] != "printing_mismatch", c["source_line"]))]
    return f"{len(others)} cetakan lain, {differing} berbeda", lines


COMPARISON_WORDS = {"match": ("✓", "Sesuai"), "not_applicable": ("∅", "Tidak berlaku (0/0)"),
                    "no_data": ("…", "Tidak dapat dihitung ulang"), "not_published": ("–", "Tidak dicetak")}


def comparison_cell(row: dict) -> Cell:
    """The engine's comparison of the printed value with the recomputed one, in words."""
    status = row["comparison"]
    if status == "mismatch":
        difference = row["difference"]
        words = f"Berbeda: dicetak {fmt.number(abs(difference), 2)} lebih {'tinggi' if difference > 0 else 'rendah'}"
        return Cell(words, words, icon="⚠", css="pk-status-mismatch pk-wrap")
    icon, words = COMPARISON_WORDS.get(status, ("", status))
    return Cell(words, words, icon=icon, css=f"pk-status-{status}")


def effective_note(row: dict) -> str:
    """The weight a component carries after not-applicable siblings, when it is not its own."""
    weight, effective = row["weight_percent"], row["effective_weight_percent"]
    if weight is None or effective is None or abs(weight - effective) < 1e-9:
        return ""
    return f"bobot efektif {fmt.percent(effective)}"


def component_printings(row: dict) -> tuple[str, str]:
    """The component's other printed values ('tabel ringkasan 96,31; teks 96,31') and a note
    when one of them is not the value compared."""
    shown, differ = [], []
    for stage, column in PRINTINGS.items():
        if stage == row["compared_printing"] or row[column] is None:
            continue
        shown.append(f"{STAGE_WORDS[stage]}: {fmt.number(row[column])}")
        if row[column] != row["published_value"]:
            differ.append(STAGE_WORDS[stage])
    note = f"{' dan '.join(differ)} mencetak nilai lain dari {STAGE_WORDS[row['compared_printing']]}" if differ else ""
    return "; ".join(shown), note


def scope_text(site: SiteData, satker_id: str, scope: str) -> str:
    """Which satkers' per-unit tables the index is recomputed from (the owner first)."""
    units = sorted((s for s in scope.split() if s != satker_id), key=lambda s: short_name(site, s))
    own = short_name(site, satker_id) if satker_id in scope.split() else ""
    names = ", ".join(short_name(site, s) for s in units)
    if own and names:
        return f"hitung ulang dari tabel per satker {own} dan unit di bawahnya ({names})"
    return f"hitung ulang dari tabel per satker {own or names}"


def short_name(site: SiteData, satker_id: str) -> str:
    return site.satker[satker_id]["nama_singkat"] if satker_id in site.satker else satker_id


def indeks_tables(site: SiteData, page: str, satker_id: str, year: int) -> tuple[list[Table], list[Chart]]:
    """Per index: every component with the values the report prints, the value recomputed
    from the per-unit tables of the index's scope and the engine's comparison of the two;
    and a chart of the contributions of the root's components (whatever the root is named)."""
    tables, charts = [], []
    nodes = site.computed("indeks_komposit", satker_id=satker_id, year=year)
    printed = site.of(year, "indeks_komposit", satker_id)
    for indicator_id in sorted({n["indikator_id"] for n in nodes}):
        parts = [n for n in nodes if n["indikator_id"] == indicator_id]
        name = indicator_name(site, indicator_id)
        columns = [Column("component", "Komponen"), Column("title", "Uraian"),
                   Column("weight_percent", "Bobot", "percent", True),
                   Column("published_value", "Nilai dicetak", "index", True), Column("elsewhere", "Cetakan lain"),
                   Column("value", "Hitung ulang", "index", True), Column("comparison", "Perbandingan"),
                   Column("contribution_to_index", "Kontribusi (poin)", "index", True)]
        table = Table(f"indeks-{indicator_id}", f"{name}: nilai dicetak dan hitung ulang per komponen", columns,
                      sortable=False)  # components under their parent: a tree
        for n in parts:
            elsewhere, differs = component_printings(n)
            compared = n["compared_printing"]
            table.add(dict(n, elsewhere=elsewhere), extra={"comparison": comparison_cell(n)},
                      flags={"value": n["note_indonesian"], "elsewhere": differs, "weight_percent": effective_note(n),
                             "published_value": f"dicetak di {STAGE_WORDS[compared]}"
                             if compared not in ("", "perhitungan") else ""})
        rows = [r for r in printed if r["indikator_id"] == indicator_id]
        table.sources = sorted({source_text(site, r) for r in rows}) + [scope_text(site, satker_id, parts[0]["scope"])]
        tables.append(table)
        root = next((n["component"] for n in parts if n["parent"] == ""), None)
        points = [{"komponen": f"{n['component']} {n['title']}", "kontribusi": round(n["contribution_to_index"], 2)}
                  for n in parts if root and n["parent"] == root and n["contribution_to_index"] is not None]
        if points:
            text = "; ".join(f"{p['komponen']}: {fmt.number(p['kontribusi'], 2)}" for p in points)
            charts.append(chart("bars", f"Kontribusi komponen {name}",
                                f"Diagram batang kontribusi setiap komponen ke indeks (hitung ulang). {text}.",
                                rows=points, category="komponen", value="kontribusi",
                                value_title="Kontribusi ke indeks (poin)", unit="index"))
    return tables, charts


def satker_year_page(site: SiteData, satker_id: str, year: int) -> Page:
    path = paths.satker_year_page(satker_id, year)
    name = satker_name(site, satker_id)
    sections, charts = [], []
    for section in site.definitions["sections"]:  # checked before any page is built (sections.py)
        tables, section_charts = [], []
        if "capaian" in section.get("special", []):
            rows = capaian_rows(site, satker_id=satker_id, year=year)
            agreement = [r for r in rows if r["comparison"] == "target_pk"]
            others = [r for r in rows if r["comparison"] != "target_pk"]
            if agreement:
                tables.append(capaian_table(site, path, agreement, "capaian", with_year=False, with_comparison=False,
                                            caption="Target perjanjian kinerja dan capaiannya"))
                chart = capaian_chart(agreement, f"Capaian kinerja {site.satker[satker_id]['nama_singkat']} {year}")
                section_charts += [chart] if chart else []
            if others:
                tables.append(capaian_table(site, path, others, "capaian-pembanding", with_year=False, with_comparison=True,
                                            caption="Realisasi dibandingkan dengan target RPJMN dan standar nasional"))
        if "indeks" in section.get("special", []):
            more, more_charts = indeks_tables(site, path, satker_id, year)
            tables += more
            section_charts += more_charts
        for spec in section.get("tables", []):
            tables += resource_table(site, spec.get("id") or spec["resource"].replace("_", "-"), spec, year, satker_id)
        if tables:
            sections.append({"id": section["id"], "title": section["title"], "tables": tables, "charts": section_charts})
            charts += section_charts
    differences = differences_table(site, path, satker_id, year)
    title = f"{name} {year}"
    return Page(path, title, f"Kinerja, anggaran dan layanan {name} tahun {year}",
                "satker_year.md.j2",
                {"satker": site.satker[satker_id], "name": name, "year": year, "sections": sections,
                 "kind": kind_words(site, site.satker[satker_id]),
                 "answer": answer(site, path, satker_id, year, {s["id"]: "#" + anchor(s["title"]) for s in sections}),
                 "differences": differences,
                 "compare": satker_year_links(site, path, satker_id, year),
                 "years": site.satker_years(satker_id)},
                [t for s in sections for t in s["tables"]] + ([differences] if differences else []), charts,
                search_boost=5.0, package=str(year))


def satker_year_links(site: SiteData, page: str, satker_id: str, year: int) -> dict:
    from .compare import satker_year_links as links  # compare imports this module
    return links(site, page, satker_id, year)


def anchor(title: str) -> str:
    """The id MkDocs gives a heading (the toc extension's slug)."""
    from markdown.extensions.toc import slugify
    return slugify(title, "-")


def differences_table(site: SiteData, page: str, satker_id: str, year: int) -> Table | None:
    """Every difference found in this satker-year's figures, the largest first, in words."""
    rows = [r for r in site.computed("consistency", satker_id=satker_id, year=year) if r["status"] in diff.SHOWN]
    if not rows:
        return None
    table = Table("perbedaan", "Perbedaan yang ditemukan, yang terbesar lebih dulu", [
        Column("angka", "Angka"), Column("terbit", "Dicetak", "unknown"), Column("pembanding", "Seharusnya atau cetakan lain", "unknown"),
        Column("jenis", "Jenis perbedaan"), Column("penjelasan", "Penjelasan"), Column("sumber", "Dicetak di")])
    for r in sorted(rows, key=diff.size, reverse=True):
        table.add({"angka": diff.figure_words(site, r), "terbit": r["published"], "pembanding": r["recomputed"],
                   "jenis": diff.KINDS[diff.kind(r)], "penjelasan": diff.explain(site, r)},
                  extra={"sumber": source_cell(site, r)})
    table.sources = [f"Laporan konsistensi portal ({len(rows)} perbedaan)"]
    if len(rows) > FOLD_DIFFERENCES:  # a long list waits behind one tap: the page stays an answer
        table.folded = f"Tampilkan {len(rows)} perbedaan, yang terbesar lebih dulu"
    return table


FOLD_DIFFERENCES = 5


def satker_page(site: SiteData, satker_id: str) -> Page:
    path = paths.satker_page(satker_id)
    satker = site.satker[satker_id]
    name = satker["nama"]
    profile = Table("profil", "Profil satker", [Column("ciri", "Ciri"), Column("nilai", "Keterangan")])
    parent = site.satker.get(satker.get("induk_id", ""), {})
    for label, value, link in (("Jenis", kind_words(site, satker), ""),
                               ("Kelas", satker.get("kelas") or "–", ""),
                               ("Kode satker", satker.get("kode_satker") or "tidak dicetak dalam laporan", ""),
                               ("Induk", parent.get("nama", "–"),
                                paths.link(paths.satker_page(parent["satker_id"])) if parent else ""),
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
    return Page(path, name, f"Profil dan tren kinerja {name}", "satker.md.j2",
                {"satker": satker, "name": name, "years": site.satker_years(satker_id),
                 "kind": kind_words(site, satker)}, tables + trends, charts)


def reference_table(site: SiteData, table_id: str, caption: str, resource: str, rows: list[dict], keys: list[str]) -> Table:
    from .components import column_for

    table = Table(table_id, caption, [column_for(site, resource, k) for k in keys] + [Column("sumber", "Sumber")])
    for row in rows:
        table.add(row, extra={"sumber": source_cell(site, row)})
    table.sources = sorted({source_text(site, r) for r in rows})
    return table


def trend_tables(site: SiteData, page: str, satker_id: str) -> tuple[list[Table], list[Chart]]:
    """Each series over the years (only the same indicator or measure is joined)."""
    values = site.computed("seri_tahunan", satker_id=satker_id)
    tables, charts = [], []
    for series in sorted({r["series"] for r in values}):
        rows = sorted((r for r in values if r["series"] == series), key=lambda r: (r["key"], r["year"]))
        title = rows[0]["title"]
        unit = site.series_unit(series)
        table = Table(f"tren-{series}", f"Tren: {title}", [Column("key", "Rincian"), Column("year", "Tahun", "year"),
                                                             Column("value", "Nilai", unit), Column("sumber", "Sumber")])
        for r in rows:
            table.add({"key": series_label(site, r), "year": r["year"], "value": r["value"]},
                      extra={"sumber": source_cell(site, r)})
        at = [c.key for c in table.columns].index("sumber")
        table.sources = sorted({row[at].text for row in table.rows})
        tables.append(table)
    for spec in site.definitions["series"].get("charts") or []:  # definitions/series.yaml
        title, group, unit, panels = spec["title"], spec["series"], spec["unit"], spec.get("panels", False)
        rows = sorted((r for r in values if r["series"] in group and (r["key"] or not spec.get("keyed_only"))),
                      key=lambda r: (group.index(r["series"]), r["key"], r["year"]))
        if len({r["year"] for r in rows}) < 2:
            continue
        points = [{"tahun": str(r["year"]), "nilai": r["value"],
                   "rincian": series_label(site, r) if r["key"] else r["title"]} for r in rows]
        text = "; ".join(f"{p['rincian']} {p['tahun']}: {fmt.by_unit(p['nilai'], unit)}" for p in points)
        charts.append(chart("lines", title, f"Diagram garis {title.lower()}. {text}.", rows=points, year="tahun",
                            value="nilai", series="rincian", value_title=fmt.axis_title(unit),
                            unit=unit, panels=panels))
    return tables, charts


def series_label(site: SiteData, row: dict) -> str:
    """What a value of a series is about, in words: its key's codes by their labels."""
    if row["key"] in site.indicators:
        return indicator_name(site, row["key"])
    spec = next((s for s in site.definitions.get("series", {}).get("series", []) if s["id"] == row["series"]), None)
    if not row["key"] or spec is None:
        return row["key"] or row["title"]
    resource = spec.get("resource") or spec["sources"][0]["resource"]
    parts = row["key"].split(" / ")
    return " / ".join((site.codes(resource, column) or {}).get(part, part) for column, part in zip(spec["key"][1:], parts))
