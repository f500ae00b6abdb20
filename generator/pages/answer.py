"""The answer a satker-year page opens with: one plain sentence written from the data,
and a glance of the few figures a resident asks for first."""
from __future__ import annotations

from .. import fmt
from . import paths
from .sitedata import SiteData

DIFFERENCES = ("mismatch", "printing_mismatch")
REGION = "wilayah-ntt"  # the region's sums (CONTRIBUTING.md: whose figure is it)


def parent_of(site: SiteData, satker_id: str, year: int) -> str:
    """The satker's parent in `year` (referensi/satker_hierarki.csv), or ''."""
    for row in site.reference.get("satker_hierarki", []):
        start, end = row.get("tahun_mulai"), row.get("tahun_selesai")
        if row["satker_id"] == satker_id and (start in (None, "") or start <= year) and (end in (None, "") or year <= end):
            return row["induk_id"]
    return ""


def budget(site: SiteData, satker_id: str, year: int) -> dict[str, float]:
    """Measure -> value of the satker-year's budget figures (their reference printings)."""
    return {r["measure"]: r["value"] for r in site.computed("angka", satker_id=satker_id, year=year, figure="anggaran")
            if r["value"] is not None}


def targets(site: SiteData, satker_id: str, year: int) -> list[dict]:
    return [r for r in site.computed("capaian", satker_id=satker_id, year=year, comparison="target_pk")
            if r["target_met"] in ("true", "false")]


def indices(site: SiteData, satker_id: str, year: int) -> list[dict]:
    """The composite indices' achievement rows (definitions/indeks), where there are any."""
    composite = {d["indicator"] for d in site.definitions.get("indeks", [])}
    return [r for r in site.computed("capaian", satker_id=satker_id, year=year, comparison="target_pk")
            if r["indikator_id"] in composite and r["realisation"] is not None]


def ikpa(site: SiteData, satker_id: str, year: int) -> float | None:
    rows = site.computed("angka", satker_id=satker_id, year=year, figure="ikpa")
    return next((r["value"] for r in rows if r["key"] == "tahunan" and r["measure"] == "nilai_akhir"), None)


def elsewhere(site: SiteData, page: str, satker_id: str, year: int, what: str) -> dict:
    """Where the figures the report gives no satker are: its parent's (or the region's) page."""
    order = (parent_of(site, satker_id, year), REGION) if what == "target" else (REGION, parent_of(site, satker_id, year))
    for other in order:
        if not other or other not in site.satker or other == satker_id:
            continue
        has = targets(site, other, year) if what == "target" else budget(site, other, year)
        if has:
            return {"href": paths.link(paths.satker_year_page(other, year)),
                    "label": f'{site.satker[other]["nama"]} {year}'}
    return {}


def answer(site: SiteData, page: str, satker_id: str, year: int, anchors: dict[str, str]) -> dict:
    """The sentence, what the report does not give (and where it is), and the glance;
    `anchors`: section id -> link to that section of the page."""
    name = site.satker[satker_id]["nama"]
    met, money, composite, ikpa_value = targets(site, satker_id, year), budget(site, satker_id, year), \
        indices(site, satker_id, year), ikpa(site, satker_id, year)
    parts, missing, glance = [], [], []
    if met:
        reached = sum(r["target_met"] == "true" for r in met)
        parts.append(f"mencapai target pada {reached} dari {len(met)} indikator kinerjanya")
        glance.append({"label": "Target tercapai", "value": f"{reached} dari {len(met)}", "note": "indikator perjanjian kinerja", "link": anchors.get("kinerja", "")})
    else:
        where = elsewhere(site, page, satker_id, year, "target")
        missing.append({"text": f"Laporan tidak menetapkan target kinerja untuk kantor ini pada {year}."
                        + (" Target kinerja di wilayah ini ditetapkan dalam perjanjian kinerja" if where else ""), **where})
    spent, ceiling = money.get("realisasi"), money.get("pagu") or money.get("pagu_efektif")
    if spent is not None and ceiling:
        share = spent / ceiling * 100
        which = "pagu" if money.get("pagu") else "pagu efektif"
        parts.append(f"membelanjakan {fmt.rupiah_short(spent)} atau {fmt.percent(share)} dari {which} "
                     f"{fmt.rupiah_short(ceiling)}")
        glance.append({"label": "Serapan anggaran", "value": fmt.percent(share),
                       "note": f"{fmt.rupiah_short(spent)} dari {fmt.rupiah_short(ceiling)}", "link": anchors.get("anggaran", "")})
    else:
        where = elsewhere(site, page, satker_id, year, "budget")
        missing.append({"text": f"Laporan tidak memuat pagu dan realisasi anggaran kantor ini untuk {year}."
                        + (" Pagu dan realisasi anggaran di wilayah ini ada di halaman" if where else ""), **where})
    sentence = ""
    if parts:
        sentence = f"Pada {year}, {name} " + " dan ".join(parts) + "."
    for r in composite:
        name_index = site.indicators.get(r["indikator_id"], {}).get("nama", r["indikator_id"])
        target = f" (target {fmt.number(r['target'])})" if r["target"] is not None else ""
        sentence += f" {name_index}: {fmt.number(r['realisation'])}{target}."
        glance.append({"label": name_index, "value": fmt.number(r["realisation"]),
                       "note": f"target {fmt.number(r['target'])}" if r["target"] is not None else "", "link": anchors.get("kinerja", "")})
    if ikpa_value is not None:
        glance.append({"label": "Nilai IKPA", "value": fmt.number(ikpa_value),
                       "note": "kualitas pelaksanaan anggaran, 0-100", "link": anchors.get("kualitas-anggaran", "")})
    counts = site.satker_counts(year, satker_id)
    differences = sum(counts.get(s, 0) for s in DIFFERENCES)
    glance.append({"label": "Perbedaan dalam laporan", "value": f"{differences} angka",
                   "note": "angka terbitan yang tidak cocok", "link": "#perbedaan-dalam-laporan"})
    return {"sentence": sentence.strip(), "missing": missing, "glance": glance}
