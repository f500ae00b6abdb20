"""Differences between what a report prints and what follows from it, in words a resident
understands: what the figure is, what kind of difference it is, how large, and where the
report prints it (report, table, page; the text-file line stays in the downloads)."""
from __future__ import annotations

from .. import fmt
from ..engine.compare import decimals, truncated
from .sitedata import SiteData
from .sources import place_text, source_text

SHOWN = ("mismatch", "printing_mismatch", "not_applicable")  # statuses listed as differences
KINDS = {"printing_mismatch": "Berbeda dari cetakan lain angka yang sama",
         "truncated": "Desimal dipotong, bukan dibulatkan", "rounding": "Selisih pembulatan",
         "gap": "Selisih hitungan", "not_applicable": "Tidak berlaku (0/0)"}
SIZES = ((0.10, "besar"), (0.01, "sedang"), (0.0, "kecil"))  # share of the figure it is compared with


def printed_decimals(value: float) -> int:
    return decimals(f"{value:.6f}".rstrip("0").rstrip("."))


def kind(r: dict) -> str:
    """Rounding and truncation apart from real gaps: a gap of at most one unit of the last
    printed decimal, where the recomputed value needs rounding to that decimal, is rounding
    (a sum of whole numbers that is one off is a gap)."""
    if r["status"] in ("printing_mismatch", "not_applicable"):
        return r["status"]
    places, recomputed = printed_decimals(r["published"]), r["recomputed"]
    if recomputed is not None and truncated(recomputed, places) == r["published"]:
        return "truncated"
    rounded = recomputed is not None and abs(round(recomputed, places) - recomputed) > 1e-9
    close = r["difference"] is not None and abs(r["difference"]) <= 10 ** -places + 1e-9
    return "rounding" if rounded and close else "gap"


def size(r: dict) -> float:
    """How much a difference matters: relative to the figure (0/0 last)."""
    if r["difference"] is None:
        return -1.0
    base = abs(r["recomputed"] or r["published"] or 1)
    return abs(r["difference"]) / base


def unit_of(site: SiteData, r: dict) -> str:
    return (site.fields.get(r["resource"], {}).get(r["column"]) or {}).get("unit", "")


def amount(value, unit: str, places: int | None = None) -> str:
    """A figure as printed (its own decimals, or `places`), with its unit where it has one."""
    if value is None:
        return "–"
    if unit == "IDR":
        return fmt.rupiah(value)
    return fmt.number(value, places) + (" %" if unit == "percent" else "")


def reference_of(site: SiteData, r: dict) -> dict | None:
    """The reference printing of the figure a record compares (its `reference` record)."""
    if not r.get("figure_key"):
        return None
    found = site.computed("consistency", year=r["year"], figure_key=r["figure_key"], status="reference")
    return found[0] if found else None


def figure_words(site: SiteData, r: dict) -> str:
    """What the compared figure is, without codes: the check's or figure's title, the
    measure or column it compares in words, and its indicator."""
    text, key, column = r["figure"], r.get("figure_key") or "", r.get("column") or ""
    if key and text.endswith(": " + key):  # recomputed from the reference printings: title: key
        text = text[: -len(key) - 2]
    measure = key.rsplit("/", 1)[-1] if key else ""
    if measure and text.endswith(": " + measure):  # a printing: title: measure
        text = f"{text[: -len(measure) - 2]}: {fmt.lower_first(site.label('angka', 'measure', measure))}"
    if column and text.endswith(f" ({column})"):  # a total: title (column)
        title = (site.fields.get(r["resource"], {}).get(column) or {}).get("title", column)
        text = f"{text[: -len(column) - 3]} ({fmt.lower_first(title)})"
    indicator = site.indicators.get(r.get("indikator_id") or "", {}).get("nama", "")
    if indicator and indicator not in text:
        text += f" — {indicator}"
    return text


def size_words(r: dict, unit: str) -> str:
    """'lebih tinggi 7,26 poin (6,3 %)': direction, amount and share of what it is compared with."""
    difference, base = round(r["difference"], 2), r["recomputed"]
    direction = "lebih tinggi" if difference > 0 else "lebih rendah"
    if unit == "IDR":
        how_much = fmt.rupiah(abs(difference))
    elif unit == "percent":
        how_much = f"{fmt.number(abs(difference))} poin"
    else:
        how_much = fmt.number(abs(difference))
    share = abs(difference) / abs(base) * 100 if base else None
    share = ("" if share is None else " (kurang dari 0,1 % dari angka pembanding)" if share < 0.05 else
             f" ({fmt.number(share, 1)} % dari angka pembanding)")
    scale = next(word for limit, word in SIZES if size(r) >= limit)
    return f"{direction} {how_much}{share}, selisih {scale}"


def explain(site: SiteData, r: dict) -> str:
    """One or two sentences: the kind of difference, its size, how the comparison was made."""
    unit = unit_of(site, r)
    published, recomputed = amount(r["published"], unit), amount(r["recomputed"], unit)
    what = kind(r)
    if what == "not_applicable":
        return (f"Nilai ini adalah 0 dibagi 0, yang tidak menghasilkan angka; laporan mencetak {published}. "
                "Portal tidak menghitungnya sebagai 0.")
    if what == "printing_mismatch":
        reference = reference_of(site, r)
        where = f" di {place(site, reference, r)}" if reference else ""
        return (f"Di sini dicetak {published}, padahal angka yang sama dicetak {recomputed}{where}, tempat yang "
                f"dipakai sebagai rujukan: {size_words(r, unit)}.")
    note = f" Catatan: {r['explanation']}." if r.get("explanation") and what == "gap" else ""
    inputs = (" dari angka masukannya yang dicetak di bagian lain laporan"
              if r.get("compared_with", "").startswith("hitung ulang dari cetakan rujukan") else "")
    if what == "truncated":
        places = printed_decimals(r["published"])
        shape = "bilangan bulat" if places == 0 else f"{places} desimal"
        return (f"Laporan memotong angka menjadi {shape}, bukan membulatkannya: hitung ulang{inputs} menghasilkan "
                f"{recomputed}, yang dibulatkan menjadi {amount(r['recomputed'], unit, places)}; laporan mencetak "
                f"{published}.")
    if what == "rounding":
        return (f"Laporan mencetak {published}; hitung ulang{inputs} menghasilkan {recomputed}. Selisihnya hanya "
                "satu angka di desimal terakhir, kemungkinan karena pembulatan di tengah perhitungan.")
    return (f"Laporan mencetak {published}, padahal hitung ulang{inputs} menghasilkan {recomputed}: "
            f"{size_words(r, unit)}.{note}")


def place(site: SiteData, where: dict, here: dict) -> str:
    """Where a printing is, without the report's name when it is the report of `here`."""
    return place_text(where) if where["source_file"] == here["source_file"] else source_text(site, where)


def flag_text(site: SiteData, records: list[dict]) -> str:
    """A short note beside a printed value that differs from its recomputation or its
    reference printing."""
    notes = []
    for r in records:
        unit = unit_of(site, r)
        if r["status"] == "mismatch":
            notes.append(f"Dihitung ulang: {amount(r['recomputed'], unit)}")
        elif r["status"] == "printing_mismatch":
            reference = reference_of(site, r)
            where = f" ({source_text(site, reference)})" if reference else ""
            notes.append(f"Cetakan rujukan: {amount(r['recomputed'], unit)}{where}")
        elif r["status"] == "not_applicable":
            notes.append("Tidak berlaku: 0 dibagi 0")
    return "; ".join(notes)
