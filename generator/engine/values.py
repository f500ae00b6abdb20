"""Outcomes of arithmetic on published figures: a value, not applicable, or no data."""
from __future__ import annotations

from dataclasses import dataclass

OK, NOT_APPLICABLE, NO_DATA = "ok", "not_applicable", "no_data"


@dataclass(frozen=True)
class Outcome:
    value: float | None
    status: str = OK
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.status == OK


def value(number: float) -> Outcome:
    return Outcome(float(number))


def not_applicable(note: str) -> Outcome:
    return Outcome(None, NOT_APPLICABLE, note)


def no_data(note: str) -> Outcome:
    return Outcome(None, NO_DATA, note)


def first_failure(outcomes: list[Outcome]) -> Outcome | None:
    """No data wins over not applicable: a missing input is the more basic problem."""
    for status in (NO_DATA, NOT_APPLICABLE):
        for outcome in outcomes:
            if outcome.status == status:
                return outcome
    return None


def divide(numerator: Outcome, denominator: Outcome) -> Outcome:
    failed = first_failure([numerator, denominator])
    if failed:
        return failed
    if denominator.value == 0:
        what = "0/0" if numerator.value == 0 else "pembagian dengan nol"
        return not_applicable(f"{what}: tidak berlaku")
    return value(numerator.value / denominator.value)


def parse_number(text: str | None) -> float | None:
    if text is None or text == "":
        return None
    return float(text)
