"""Number formats: our fast formatter gives exactly what Babel's id_ID pattern gives."""
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import parse_pattern
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import fmt

ID = Locale.parse("id_ID")


@lru_cache(maxsize=None)
def babel_pattern(decimals: int):
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


def babel_number(value: float, decimals: int) -> str:
    return babel_pattern(decimals).apply(Decimal(repr(value)), ID)


values = st.one_of(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
                   st.integers(-10 ** 15, 10 ** 15).map(float),
                   st.decimals(-10 ** 9, 10 ** 9, places=3).map(float))


@settings(max_examples=3000, deadline=None)
@given(values, st.integers(0, 4))
def test_number_equals_babel(value, decimals):
    assert fmt.number(value, decimals) == babel_number(value, decimals)


def test_number_examples():
    assert fmt.number(1234567.5) == "1.234.567,5"
    assert fmt.number(2.675, 2) == "2,68"  # the decimal 2.675, half to even
    assert fmt.number(0.125, 2) == "0,12"
    assert fmt.number(-1234.5, 2) == "-1.234,50"
    assert fmt.number(1e-7) == "0,00"  # exponent notation in repr
    assert fmt.number(99.0) == "99"
    assert fmt.rupiah(31000) == "Rp 31.000"
