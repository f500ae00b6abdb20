"""Published against recomputed: the difference, and whether the published rounding explains it."""
from __future__ import annotations

import math

from .values import NO_DATA, NOT_APPLICABLE, Outcome

MATCH, MISMATCH = "match", "mismatch"
PRINTING_MISMATCH = "printing_mismatch"  # disagrees with the reference printing of the same figure


def decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def compare(published_text: str, recomputed: Outcome) -> dict:
    """Status and explanation of one published figure against its recomputed value."""
    published = float(published_text)
    if recomputed.status == NOT_APPLICABLE:
        return {"status": NOT_APPLICABLE, "difference": None, "within_rounding": None,
                "explanation": f"{recomputed.note}; the report prints {published_text}"}
    if recomputed.status == NO_DATA:
        return {"status": NO_DATA, "difference": None, "within_rounding": None,
                "explanation": f"cannot recompute: {recomputed.note}"}
    places = decimals(published_text)
    difference = published - recomputed.value
    tolerance = 0.5 * 10 ** -places + 1e-9
    within = abs(difference) <= tolerance
    explanation = recomputed.note
    if not within and truncated(recomputed.value, places) == published:
        explanation = join(explanation, f"the report truncates to {places} decimals instead of rounding")
    return {"status": MATCH if within else MISMATCH, "difference": round(difference, 6),
            "within_rounding": within, "explanation": explanation}


def truncated(number: float, places: int) -> float:
    factor = 10 ** places
    return math.trunc(round(number * factor, 6)) / factor


def join(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def compare_printings(printed: str, reference: str) -> dict:
    """One printing of a figure against its reference printing: equal within the rounding of
    the coarser of the two (114 and 114,74 agree; 114 and 122 do not)."""
    places = min(decimals(printed), decimals(reference))
    difference = float(printed) - float(reference)
    within = abs(difference) <= 0.5 * 10 ** -places + 1e-9
    return {"status": MATCH if within else PRINTING_MISMATCH, "difference": round(difference, 6),
            "within_rounding": within,
            "explanation": "" if within else f"the reference printing gives {reference}"}
