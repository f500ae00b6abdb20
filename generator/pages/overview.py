"""Page models that look across satkers, years and indicators."""
from __future__ import annotations

import latex2mathml.converter

from ..engine.formulas import written

from .. import fmt
from ..charts import chart
from ..engine.composite import NOT_APPLICABLE_POLICIES, OWN_UNITS, satker_ids
from . import paths
from . import differences as diff
from .components import STATUS_WORDS, status_cell
from .sources import source_cell, source_text
from .answer import budget, targets
from .models import Page, kind_words, capaian_rows, capaian_table, indicator_name, satker_name
from .sitedata import SiteData
from .tables import Cell, Column, Table


GLANCE_COLUMNS = [Column("satker", "Satker"), Column("tahun", "Tahun", "year"), Column("target", "Target tercapai"),
                  Column("pagu", "Pagu", "IDR"), Column("realisasi", "Realisasi", "IDR"),
                  Column("serapan", "Serapan anggaran", "percent"), Column("catatan", "Keterangan")]


def office_row(site: SiteData, satker_id: str, year: int, page: str) -> dict:
    """One office in one year as the overview tables show it: targets met, budget, and in
    words what the report does not give."""
    met, money = targets(site, satker_id, year), budget(site, satker_id, year)
    spent, ceiling = money.get("realisasi"), money.get("pagu") or money.get("pagu_efektif")
    missing = [what for what, has in (("target kinerja", met), ("anggaran", spent is not None and ceiling)) if not has]
    return {"satker": site.satker[satker_id]["nama"], "tahun": year,
            "target": f"{sum(r['target_met'] == 'true' for r in met)} dari {len(met)}" if met else "tidak ada dalam laporan",
            "pagu": ceiling, "realisasi": spent, "serapan": spent / ceiling * 100 if spent is not None and ceiling else None,
            "catatan": (f"Laporan {year} tidak memuat {' dan '.join(missing)} kantor ini" if missing else "")}


def office_sources(site: SiteData, satker_id: str, year: int) -> set[str]:
    """Where the reference printings of an office-year's targets and budget are printed."""
    rows = [r for r in site.computed("angka", satker_id=satker_id, year=year, figure="anggaran")
            if r["measure"] in ("pagu", "pagu_efektif", "realisasi")] + targets(site, satker_id, year)
    return {source_text(site, {"sumber_file": r["source_file"], "sumber_tabel": r["source_table"],
                               "sumber_halaman": r["source_page"]}) for r in rows}


def glance(site: SiteData, year: int, page: str) -> Table:
    """Every satker with figures that year, side by side: targets met, budget absorption."""
    table = Table(f"ringkas-{year}", f"Ringkasan tahun {year}", GLANCE_COLUMNS)
    sources = set()
    for satker_id in site.satker:
        if year in site.satker_years(satker_id):
            table.add(office_row(site, satker_id, year, page),
                      links={"satker": paths.link(paths.satker_year_page(satker_id, year))})
            sources |= office_sources(site, satker_id, year)
    table.sources = sorted(sources)
    return table


def latest_glance(site: SiteData, page: str) -> Table:
    """Every office at its latest year with targets or budget (or its latest year, saying why not)."""
    table = Table("ringkas-terbaru", "Setiap kantor pada tahun terakhir dengan data", GLANCE_COLUMNS)
    sources = set()
    for satker_id in site.satker:
        years = site.satker_years(satker_id)
        if not years:
            continue
        with_data = [y for y in years if targets(site, satker_id, y) or budget(site, satker_id, y).get("realisasi")]
        year = max(with_data or years)
        table.add(office_row(site, satker_id, year, page),
                  links={"satker": paths.link(paths.satker_year_page(satker_id, year))})
        sources |= office_sources(site, satker_id, year)
    table.sources = sorted(sources)
    return table


def home_page(site: SiteData) -> Page:
    latest = max(r["year"] for r in site.computed("capaian"))
    table = latest_glance(site, "index.md")
    return Page("index.md", "Beranda", "Kinerja, anggaran dan layanan satuan kerja imigrasi di Nusa Tenggara Timur",
                "home.md.j2", {"latest": latest, "years": site.years, "satker": site.satker,
                               "quality": quality_counts(site)}, [table], [])


def year_page(site: SiteData, year: int) -> Page:
    path = paths.year_page(year)
    table = glance(site, year, path)
    rows = [r for r in capaian_rows(site, year=year) if r["comparison"] == "target_pk"]
    tables = [table] + ([capaian_table(site, path, rows, "capaian", with_satker=True, with_year=False,
                                       with_comparison=False, short_names=True,
                                       caption=f"Capaian target perjanjian kinerja {year}, semua satker")] if rows else [])
    charts = []
    at = [c.key for c in table.columns].index("serapan")
    spending = [{"satker": row[0].text, "serapan": round(row[at].raw, 2)} for row in table.rows if row[at].raw is not None]
    if spending:
        text = "; ".join(f"{b['satker']}: {fmt.percent(b['serapan'])}" for b in spending)
        charts.append(chart("bars", f"Serapan anggaran {year}",
                            f"Diagram batang serapan anggaran per satker {year} (garis putus-putus: pagu 100 %). {text}.",
                            rows=spending, category="satker", value="serapan", value_title="Serapan anggaran (%)",
                            unit="percent", rule=100, rule_label="Pagu 100 %"))
    return Page(path, f"Tahun {year}", f"Semua satker imigrasi NTT tahun {year}", "year.md.j2",
                {"year": year}, tables, charts, package=str(year))


def indicator_page(site: SiteData, indicator_id: str) -> Page:
    path = paths.indicator_page(indicator_id)
    indicator = site.indicators[indicator_id]
    rows = capaian_rows(site, indikator_id=indicator_id)
    tables = [capaian_table(site, path, rows, "capaian", with_satker=True)] if rows else []
    trees = [d for d in site.definitions["indeks"] if d["indicator"] == indicator_id]
    charts = []
    points = [{"tahun": str(r["year"]), "realisasi": r["realisation"], "satker": site.satker[r["satker_id"]]["nama_singkat"]}
              for r in rows if r["comparison"] == "target_pk" and r["realisation"] is not None]
    if len({p["tahun"] for p in points}) > 1:
        text = "; ".join(f"{p['satker']} {p['tahun']}: {fmt.number(p['realisasi'])}" for p in points)
        charts.append(chart("lines", f"Realisasi {indicator['nama']}", f"Diagram garis realisasi per tahun. {text}.",
                            rows=points, year="tahun", value="realisasi", series="satker", value_title="Realisasi",
                            unit="index", series_title="Satker"))
    words = {column: site.label("indikator", column, indicator[column]) for column in ("satuan", "polaritas", "tingkat")}
    return Page(path, indicator["nama"], f"Definisi dan capaian {indicator['nama']}",
                "indicator.md.j2", {"indicator": indicator, "words": words,
                                    "formula": capaian_formula(site.definitions["capaian"]["polarity"][indicator["polaritas"]]),
                                    "trees": [tree_summary(site, t) for t in trees]},
                tables, charts)


FORMULA_WORDS = {"realisasi": "Realisasi", "target": "Target"}  # the columns capaian formulas read


def mathml(latex: str) -> str:
    """Formulas as MathML: rendered by the browser itself, no script, no font download."""
    return latex2mathml.converter.convert(latex, display="block")


def capaian_formula(formula) -> str:
    """A polarity's capaian formula (definitions/capaian.yaml) as MathML."""
    return mathml(r"\text{Capaian} = " + written(formula, FORMULA_WORDS, latex=True) + r"\%")


def tree_summary(site: SiteData, definition: dict) -> dict:
    nodes = []
    for name, spec in definition["nodes"].items():
        if "weights" in spec:
            terms = " + ".join(rf"{w}\% \times {child.replace('.', '_')}" for child, w in spec["weights"].items())
            latex = rf"{name.replace('.', '_')} = {terms}"
        else:
            latex = rf"{name.replace('.', '_')} = \frac{{\text{{pembilang}}}}{{\text{{penyebut}}}} \times 100"
            if spec.get("cap") is not None:
                latex += rf" \quad (\text{{maks. }} {spec['cap']})"
        nodes.append({"name": name, "title": spec.get("title", ""), "note": spec.get("note", ""),
                      "formula": mathml(latex), "inputs": describe_inputs(site, spec)})
    owners = [site.satker[s]["nama_singkat"] if s in site.satker else s for s in satker_ids(definition)]
    scope = definition["scope"]
    fed = ("satker itu sendiri dan unit di bawahnya pada tahun tersebut" if scope == OWN_UNITS else
           ", ".join(site.satker[s]["nama_singkat"] if s in site.satker else s for s in scope))
    return {"indicator": definition["indicator"], "name": indicator_name(site, definition["indicator"]),
            "years": definition.get("years", []), "nodes": nodes,
            "policy": NOT_APPLICABLE_POLICIES[definition["not_applicable"]],
            "scope": f"Indeks {', '.join(owners)}, dihitung ulang dari tabel per satker: {fed}."}


def describe_inputs(site: SiteData, spec: dict) -> str:
    """Where a ratio's inputs come from, in words: the columns and tables by their titles,
    codes by their labels."""
    parts = []
    for which, label in (("numerator", "Pembilang"), ("denominator", "Penyebut")):
        source = spec.get(which)
        if source is None:
            continue
        if source == "published":
            parts.append(f"{label}: angka yang dicetak laporan")
            continue
        resource = source["resource"]
        columns = [fmt.lower_first(site.field_title(resource, c)) for c in source.get("sum", [])]
        what = ("banyaknya baris" if source.get("count") else
                " + ".join(columns) if len(columns) == 1 and columns[0].startswith(("jumlah", "total")) else
                "jumlah " + " + ".join(columns))
        where = ", ".join(condition(site, resource, k, v) for k, v in (source.get("where") or {}).items())
        parts.append(f"{label}: {what} dalam tabel {fmt.lower_first(site.resource_titles.get(resource, resource))}"
                     + (f" ({where})" if where else ""))
    return "; ".join(parts)


def condition(site: SiteData, resource: str, column: str, value) -> str:
    """A row filter in words: 'kelompok layanan: izin tinggal', 'ada kegiatan: ya'."""
    codes = site.codes(resource, column)
    shown = codes.get(str(value), str(value)) if codes else str(value)
    if str(value) in ("true", "false") and not codes:
        shown = "ya" if str(value) == "true" else "tidak"
    return f"{fmt.lower_first(site.field_title(resource, column))}: {shown}"


def methodology_page(site: SiteData) -> Page:
    bands = Table("predikat", "Predikat capaian", [Column("label", "Predikat"), Column("minimum", "Capaian minimum", "percent")])
    for band in site.definitions["bands"]["bands"]:
        bands.add({"label": band["label"], "minimum": band["minimum"]})
    ikpa = Table("bobot-ikpa", "Bobot komponen IKPA per tahun", [Column("tahun", "Tahun", "year"),
                                                                Column("komponen", "Komponen"), Column("bobot", "Bobot", "percent")])
    ikpa.columns[1].codes = {c: site.label("ikpa_komponen", "komponen", c)
                             for spec in site.definitions["ikpa"]["years"].values() for c in spec["weights"]}
    for year, spec in sorted(site.definitions["ikpa"]["years"].items()):
        for component, weight in spec["weights"].items():
            ikpa.add({"tahun": year, "komponen": component, "bobot": weight})
    checks = Table("pemeriksaan", "Angka terbitan yang diperiksa", [Column("title", "Pemeriksaan"),
                                                                    Column("resource", "Tabel data")])
    for check in site.definitions["checks"]["checks"]:
        checks.add({"title": check["title"]},
                   extra={"resource": Cell(site.resource_titles.get(check["resource"], check["resource"]), check["resource"])})
    return Page("metodologi.md", "Metodologi", "Cara Portal Kinerja menghitung ulang setiap angka", "methodology.md.j2",
                {"formulas": [{"label": site.label("indikator", "polaritas", k), "mathml": capaian_formula(f)}
                              for k, f in site.definitions["capaian"]["polarity"].items()],
                 "trees": [tree_summary(site, d) for d in site.definitions["indeks"]],
                 "ikpa_notes": {y: s.get("note", "") for y, s in site.definitions["ikpa"]["years"].items()},
                 "target_met": site.definitions["bands"]["target_met_minimum"]},
                [bands, ikpa, checks], [])


def quality_counts(site: SiteData) -> dict:
    counts: dict[str, int] = {}
    for (_, _, status), count in site.status_counts().items():
        counts[status] = counts.get(status, 0) + count
    return counts


QUALITY_COLUMNS = [Column("satker", "Satker"), Column("angka", "Angka"), Column("terbit", "Terbitan", "unknown"),
                   Column("hitung", "Pembanding (hitung ulang atau cetakan rujukan)", "unknown"), Column("selisih", "Selisih", "unknown"),
                   Column("jenis", "Jenis perbedaan"), Column("penjelasan", "Penjelasan"), Column("sumber", "Sumber")]


def quality_page(site: SiteData) -> Page:
    """The summary: counts per satker and year (a page per year lists every difference)."""
    path = "kualitas-data/index.md"
    summary = Table("ringkasan", "Perbedaan per satker dan tahun", [
        Column("satker", "Satker"), Column("tahun", "Tahun", "year"), Column("mismatch", "Berbeda dari hitung ulang", "count"),
        Column("printing_mismatch", "Berbeda dari cetakan rujukan", "count"), Column("not_applicable", "Tidak berlaku (0/0)", "count"), Column("no_data", "Tidak dapat dihitung ulang", "count"),
        Column("match", "Sesuai", "count")])
    counts: dict[tuple, dict] = {}
    for (year, satker_id, status), count in site.status_counts().items():
        counts.setdefault((year, satker_id), {})[status] = count
    for (year, satker_id), bucket in sorted(counts.items()):
        summary.add({"satker": satker_name(site, satker_id), "tahun": year,
                     **{s: bucket.get(s, 0) for s in ("mismatch", "printing_mismatch", "not_applicable", "no_data", "match")}},
                    links={"satker": paths.link(paths.satker_year_page(satker_id, year)),
                           "tahun": paths.link(f"kualitas-data/{year}.md")})
    return Page(path, "Kualitas data", "Setiap perbedaan antara angka terbitan dan hitung ulang", "quality.md.j2",
                {"counts": quality_counts(site), "total": sum(quality_counts(site).values()),
                 "years": quality_years(site)}, [summary], [])


def quality_years(site: SiteData) -> list[int]:
    return sorted({year for year, _, _ in site.status_counts()})


def quality_year_page(site: SiteData, year: int) -> Page:
    """Every difference of one year."""
    year_path = f"kualitas-data/{year}.md"
    tables = []
    for status in ("mismatch", "printing_mismatch", "not_applicable"):
        table = Table(f"status-{status}", STATUS_WORDS[status][1], QUALITY_COLUMNS)
        for r in sorted(site.computed("consistency", year=year, status=status), key=diff.size, reverse=True):
            kind = status_cell(status)
            kind.text = kind.raw = diff.KINDS[diff.kind(r)]
            short = site.satker[r["satker_id"]]["nama_singkat"] if r["satker_id"] in site.satker else r["satker_id"]
            table.add({"satker": short, "angka": diff.figure_words(site, r),
                       "terbit": r["published"], "hitung": r["recomputed"], "selisih": r["difference"],
                       "penjelasan": diff.explain(site, r)},
                      links={"satker": paths.link(paths.satker_year_page(r["satker_id"], r["year"]))},
                      extra={"jenis": kind, "sumber": source_cell(site, r)})
        tables.append(table)
    return Page(year_path, f"Kualitas data {year}", f"Perbedaan angka terbitan dan hitung ulang tahun {year}",
                "quality_year.md.j2", {"year": year}, tables, [], package=str(year))


INDEX_PAGES = ("satker", "tahun", "indikator")  # the lists: index_page


def index_page(site: SiteData, which: str) -> Page:
    """The list of satkers, of years or of indicators."""
    if which == "satker":
        table = Table("daftar-satker", "Daftar satker", [Column("nama", "Satker"), Column("jenis", "Jenis"),
                                                         Column("kelas", "Kelas"), Column("tahun", "Tahun dengan data")])
        for satker_id, row in site.satker.items():
            table.add({"nama": row["nama"], "jenis": kind_words(site, row), "kelas": row.get("kelas"),
                       "tahun": ", ".join(str(y) for y in site.satker_years(satker_id)) or "–"},
                      links={"nama": paths.link(paths.satker_page(satker_id))})
        return Page("satker/index.md", "Satker", "Satuan kerja imigrasi di NTT", "list.md.j2", {"heading": "Satker"}, [table])
    if which == "tahun":
        table = Table("daftar-tahun", "Daftar tahun", [Column("tahun", "Tahun", "year"),
                                                       Column("satker", "Satker dengan data", "count")])
        for year in site.years:
            table.add({"tahun": year, "satker": sum(year in site.satker_years(s) for s in site.satker)},
                      links={"tahun": paths.link(paths.year_page(year))})
        return Page("tahun/index.md", "Tahun", "Tahun dengan data", "list.md.j2", {"heading": "Tahun"}, [table])
    table = Table("daftar-indikator", "Daftar indikator", [Column("nama", "Indikator"), Column("satuan", "Satuan"),
                                                           Column("tahun", "Tahun berlaku")])
    for indicator_id, row in site.indicators.items():
        table.add({"nama": row["nama"], "satuan": row["satuan"],
                   "tahun": f"{int(row['tahun_mulai'])}–{int(row['tahun_selesai'])}"},
                  links={"nama": paths.link(paths.indicator_page(indicator_id))})
    return Page("indikator/index.md", "Indikator", "Indikator kinerja", "list.md.j2", {"heading": "Indikator"}, [table])


def glossary_page(site: SiteData) -> Page:
    """Daftar istilah: every acronym and term of definitions/istilah.yaml, alphabetically."""
    from markdown.extensions.toc import slugify

    entries = sorted(site.definitions.get("istilah", {}).get("istilah") or [], key=lambda e: str(e["istilah"]).lower())
    anchors = {str(e["istilah"]): "istilah-" + slugify(str(e["istilah"]), "-") for e in entries}
    shown = [{"term": str(e["istilah"]), "anchor": anchors[str(e["istilah"])], "expansion": e.get("kepanjangan", ""),
              "meaning": " ".join(str(e["arti"]).split()),
              "see": [{"term": t, "anchor": anchors.get(t, "")} for t in e.get("lihat") or []]} for e in entries]
    return Page("istilah.md", "Daftar istilah", "Arti setiap singkatan dan istilah di Portal Kinerja Imigrasi NTT",
                "glossary.md.j2", {"entries": shown}, abbreviations=False)
