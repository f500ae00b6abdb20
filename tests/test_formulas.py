"""Formulas and composites: hand cases and properties (hypothesis)."""
import pytest
from hypothesis import given, strategies as st

from generator.engine.composite import evaluate_tree, evaluate_trees
from generator.engine.data import Data
from generator.engine.formulas import Context, evaluate

HIGHER = {"indikator_id": "naik", "polaritas": "lebih_tinggi_lebih_baik", "batas_capaian_persen": ""}
LOWER = {"indikator_id": "turun", "polaritas": "lebih_rendah_lebih_baik", "batas_capaian_persen": ""}
CAPPED = {"indikator_id": "batas", "polaritas": "lebih_tinggi_lebih_baik", "batas_capaian_persen": "120"}
CAPAIAN_RULES = {"polarity": {
    "lebih_tinggi_lebih_baik": {"percent": ["realisasi", "target"]},
    "lebih_rendah_lebih_baik": {"multiply": [{"subtract": [{"const": 2}, {"ratio": ["realisasi", "target"]}]},
                                             {"const": 100}]}}}
CAPAIAN = {"capaian": {"realisasi": "realisasi", "target": "target"}}


def context(rows=None):
    data = Data(years={2025: rows or {}}, reference={"indikator": [HIGHER, LOWER, CAPPED]})
    return Context(data, 2025, CAPAIAN_RULES, {"years": {}})


def capaian(indicator, realisation, target):
    row = {"indikator_id": indicator, "realisasi": repr(realisation), "target": repr(target)}
    return evaluate(CAPAIAN, row, context())


def test_capaian_hand_case_2025_tabel_3():
    # Tabel 3: Indeks Kepuasan Kesekretariatan 3,79 against 3,51 -> 107,98 %.
    assert capaian("naik", 3.79, 3.51).value == pytest.approx(107.977, abs=1e-3)


def test_zero_over_zero_and_missing_input():
    assert evaluate({"percent": ["a", "b"]}, {"a": "0", "b": "0"}, context()).status == "not_applicable"
    assert evaluate({"percent": ["a", "b"]}, {"a": "5", "b": "0"}, context()).status == "not_applicable"
    assert evaluate({"percent": ["a", "b"]}, {"a": "", "b": "4"}, context()).status == "no_data"
    assert evaluate({"sum": ["a", "b"]}, {"a": "1", "b": ""}, context()).status == "no_data"


positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False)


@given(realisation=positive, target=positive, factor=st.floats(min_value=0.1, max_value=10))
def test_capaian_scales_with_realisation(realisation, target, factor):
    base = capaian("naik", realisation, target).value
    assert capaian("naik", realisation * factor, target).value == pytest.approx(base * factor, rel=1e-9)


@given(realisation=positive, target=positive)
def test_polarity_flips_the_direction(realisation, target):
    higher = capaian("naik", realisation, target).value
    lower = capaian("turun", realisation, target).value
    assert higher + lower == pytest.approx(200, rel=1e-9, abs=1e-6)  # mirrored around 100 %
    more = capaian("turun", realisation * 1.5, target).value
    assert more < lower


@given(realisation=positive, target=positive)
def test_cap_holds(realisation, target):
    assert capaian("batas", realisation, target).value <= 120


def tree_definition(weights):
    nodes = {"X": {"weights": {f"K{i}": w for i, w in enumerate(weights)}}}
    for i in range(len(weights)):
        nodes[f"K{i}"] = {"numerator": {"resource": "t", "where": {"k": str(i)}, "sum": ["a"]},
                          "denominator": {"resource": "t", "where": {"k": str(i)}, "sum": ["b"]}}
    return {"indicator": "x", "satker_id": "s", "scope": ["s"], "not_applicable": "renormalise", "years": [2025],
            "scale": 100, "root": "X", "nodes": nodes}


@given(st.lists(st.tuples(st.integers(1, 100), st.integers(0, 1000), st.integers(1, 1000)), min_size=1, max_size=6))
def test_weighted_sum_stays_within_its_components(components):
    weights = [w for w, _, _ in components]
    rows = [{"satker_id": "s", "k": str(i), "a": str(a), "b": str(b), "_line": i} for i, (_, a, b) in enumerate(components)]
    tree = evaluate_tree(tree_definition(weights), 2025, Data(years={2025: {"t": rows}}))
    values = [a / b * 100 for _, a, b in components]
    assert min(values) - 1e-9 <= tree.full["X"].value <= max(values) + 1e-9


def test_not_applicable_component_gives_its_weight_to_the_others():
    rows = [{"satker_id": "s", "k": "0", "a": "0", "b": "0", "_line": 1},
            {"satker_id": "s", "k": "1", "a": "1", "b": "2", "_line": 2}]
    tree = evaluate_tree(tree_definition([30, 70]), 2025, Data(years={2025: {"t": rows}}))
    assert tree.full["K0"].status == "not_applicable"
    assert tree.full["X"].value == pytest.approx(50)
    counted = evaluate_tree(dict(tree_definition([30, 70]), not_applicable="zero"), 2025, Data(years={2025: {"t": rows}}))
    assert counted.full["X"].value == pytest.approx(35)  # the reports' way: 0 x 30 % + 50 x 70 %


def test_unknown_policy_is_never_a_default():
    with pytest.raises(ValueError, match="not_applicable"):
        evaluate_tree(dict(tree_definition([100]), not_applicable="renormalize"), 2025, Data(years={2025: {"t": []}}))


HIERARCHY = [{"satker_id": "a1", "induk_id": "a", "tahun_mulai": "", "tahun_selesai": ""},
             {"satker_id": "a2", "induk_id": "a", "tahun_mulai": "2024", "tahun_selesai": ""},
             {"satker_id": "a2x", "induk_id": "a2", "tahun_mulai": "", "tahun_selesai": ""},
             {"satker_id": "b1", "induk_id": "b", "tahun_mulai": "", "tahun_selesai": ""},
             {"satker_id": "b2", "induk_id": "a", "tahun_mulai": "", "tahun_selesai": "2023"},
             {"satker_id": "b2", "induk_id": "b", "tahun_mulai": "2024", "tahun_selesai": ""}]


@given(st.dictionaries(st.sampled_from(["a", "a1", "a2", "a2x", "b", "b1", "b2"]), st.integers(1, 1000), min_size=1),
       st.sampled_from([2023, 2025]))
def test_each_satker_index_sums_only_its_own_units(counts, year):
    """scope own_units: a satker, its units and theirs in that year; the rest of the year is left out."""
    rows = [{"satker_id": s, "k": "0", "a": str(n), "b": "1000", "_line": i} for i, (s, n) in enumerate(counts.items())]
    data = Data(years={year: {"t": rows}}, reference={"satker_hierarki": HIERARCHY})
    definition = dict(tree_definition([100]), satker_id=["a", "b"], scope="own_units")
    trees = {t.satker_id: t for t in evaluate_trees(definition, year, data)}
    own = {"a": {"a", "a1", "a2", "a2x"} | ({"b2"} if year <= 2023 else set()),
           "b": {"b", "b1"} | ({"b2"} if year >= 2024 else set())}
    if year < 2024:
        own["a"] -= {"a2", "a2x"}  # a2 joins a in 2024 (a2x comes with it)
    for owner, units in own.items():
        assert trees[owner].scope == frozenset(units)
        fed = [n for s, n in counts.items() if s in units]
        if fed:
            assert trees[owner].full["K0"].value == pytest.approx(sum(fed) / (1000 * len(fed)) * 100)
        else:  # no row of its own units: nothing to recompute from (never another satker's rows)
            assert trees[owner].full["K0"].status == "no_data"
