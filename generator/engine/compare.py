"""Published against recomputed: the difference, and whether the published rounding explains it.

Explanations are plain Indonesian (they are shown to readers and written to the
consistency CSV), with numbers in the Indonesian format."""
from __future__ import annotations

import math

from .. import fmt
from .values import NO_DATA, NOT_APPLICABLE, Outcome

MATCH, MISMATCH = "match", "mismatch"
PRINTING_MISMATCH = "printing_mismatch"  # disagrees with the reference printing of the same figure


def decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def angka(text: str) -> str:
    """A plain number as written in the data ('8844706000', '99.70') in the Indonesian format,
    with its printed decimals ('8.844.706.000', '99,70')."""
    return fmt.number(float(text), decimals(text))


def truncation(places: int) -> str:
    shape = "bilangan bulat" if places == 0 else f"{places} desimal"
    return f"laporan memotong angka menjadi {shape}, bukan membulatkannya"


def compare(published_text: str, recomputed: Outcome) -> dict:
    """Status and explanation of one published figure against its recomputed value."""
    published = float(published_text)
    if recomputed.status == NOT_APPLICABLE:
        return {"status": NOT_APPLICABLE, "difference": None, "within_rounding": None,
                "explanation": f"{recomputed.note}; laporan mencetak {angka(published_text)}"}
    if recomputed.status == NO_DATA:
        return {"status": NO_DATA, "difference": None, "within_rounding": None,
                "explanation": f"tidak dapat dihitung ulang: {recomputed.note}"}
    places = decimals(published_text)
    difference = published - recomputed.value
    tolerance = 0.5 * 10 ** -places + 1e-9
    within = abs(difference) <= tolerance
    explanation = recomputed.note
    if not within and truncated(recomputed.value, places) == published:
        explanation = join_notes(explanation, truncation(places))
    return {"status": MATCH if within else MISMATCH, "difference": round(difference, 6),
            "within_rounding": within, "explanation": explanation}


def truncated(number: float, places: int) -> float:
    factor = 10 ** places
    return math.trunc(round(number * factor, 6)) / factor


def join_notes(*parts: str) -> str:
    """The explanations that are not empty, one after another."""
    return "; ".join(p for p in parts if p)


def compare_printings(printed: str, reference: str) -> dict:
    """One printing of a figure against its reference printing: equal within the rounding of
    the coarser of the two (114 and 114,74 agree; 114 and 122 do not)."""
    places = min(decimals(printed), decimals(reference))
    difference = float(printed) - float(reference)
    within = abs(difference) <= 0.5 * 10 ** -places + 1e-9
    return {"status": MATCH if within else PRINTING_MISMATCH, "difference": round(difference, 6),
            "within_rounding": within,
            "explanation": "" if within else f"cetakan rujukan mencetak {angka(reference)}"}
