"""Charts people can read on a phone: every label whole (wrapped, never cut), the value on
every bar, a target line named on the chart, ticks without needless decimals, rupiah axes
in short form, year labels flat and without separators; and a chart's cache key follows
the chart code.

Each SVG of the built site is read with an XML parser: its visible text elements, each
with the role Vega gives its mark group (axis label, header, legend label, mark), the
lines of a wrapped label joined by spaces. What the chart should say comes from its data
(its CSV download), the names in the data packages and generator.fmt.
"""
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT
from generator import fmt

SVG = "{http://www.w3.org/2000/svg}"


def rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def svg_texts(path) -> list[dict]:
    """Every visible text of an SVG: its role (the class of its mark group: 'axis-label',
    'title-text' for the label above a bar or plot, 'legend-label', 'mark' for drawn values),
    its lines joined by spaces, and its transform."""
    found = []

    def walk(node, role):
        cls = node.get("class", "")
        match = re.search(r"\brole-([\w-]+)", cls)
        if node.tag == SVG + "g" and cls.startswith("mark-text") and match:
            role = match.group(1)
        if node.tag == SVG + "text":
            if node.get("opacity") != "0":  # labels Vega hides where they would overlap
                lines = [t.text or "" for t in node.findall(SVG + "tspan")] or [node.text or ""]
                found.append({"role": role, "text": " ".join(lines), "transform": node.get("transform", "")})
            return
        for child in node:
            walk(child, role)

    walk(ET.parse(path).getroot(), "")
    return found


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def charts(built):
    """Every chart of the built site: its SVG texts, its spec's description of itself, its data."""
    found = []
    for svg in sorted((built / "site" / "grafik").glob("*.svg")):
        spec = json.loads(svg.with_name(svg.stem + ".vl.json").read_text(encoding="utf-8"))
        found.append({"name": svg.name, "texts": svg_texts(svg), "meta": spec["usermeta"]["portal"], "spec": spec,
                      "rows": rows(svg.with_suffix(".csv"))})
    assert len(found) >= 10
    return found


def test_every_chart_kind_is_in_the_site(charts):
    """So that the checks below look at each kind: bars with a named target line, bars
    without, several series in one plot, a plot per series."""
    kinds = {(c["meta"]["layout"], bool(c["meta"]["rule_label"])) for c in charts}
    assert {("bars", True), ("bars", False), ("shared", False), ("panels", False)} <= kinds


def test_every_label_is_whole_in_its_chart(charts):
    """Each category or series of a chart's data is written whole in its SVG (on one or more
    lines), and no text is cut with an ellipsis."""
    for c in charts:
        shown = {words(t["text"]) for t in c["texts"] if t["role"] in ("title-text", "legend-label")}
        for row in c["rows"]:
            label = words(row[c["meta"]["label"]])
            assert label in shown, f"{c['name']}: label {label!r} not written whole; the chart has {sorted(shown)}"
        cut = [t["text"] for t in c["texts"] if "…" in t["text"]]
        assert not cut, f"{c['name']}: cut text {cut}"


def test_chart_labels_are_whole_names_from_the_data(built, charts):
    """A chart's labels are the names in the data (indicators, work units, index components,
    series), not a shortened copy: a label cut before it reached the chart would differ."""
    reference = os.path.join(ROOT, "datapackages", "referensi")
    computed = built / "build" / "computed"
    names = {r["nama"] for r in rows(os.path.join(reference, "indikator.csv"))}
    names |= {r[k] for r in rows(os.path.join(reference, "satker.csv")) for k in ("nama", "nama_singkat")}
    names |= {f"{r['component']} {r['title']}" for r in rows(computed / "indeks_komposit.csv")}
    names |= {r["title"] for r in rows(computed / "seri_tahunan.csv")}
    names = {words(n) for n in names}
    for c in charts:
        for row in c["rows"]:
            assert words(row[c["meta"]["label"]]) in names, (c["name"], row)


def axis_labels(chart) -> list[dict]:
    return [t for t in chart["texts"] if t["role"] == "axis-label"]


def test_ticks_have_no_needless_decimals_and_rupiah_is_short(charts):
    for c in charts:
        for tick in axis_labels(c):
            text = tick["text"]
            assert not re.search(r",\d*0\b", text), f"{c['name']}: tick {text!r} has needless decimals"
            assert not re.search(r"\d\.\d{3}\.\d{3}", text), f"{c['name']}: tick {text!r} is a full-digit amount"
        if c["meta"]["unit"] == "IDR":
            value_ticks = [t["text"] for t in axis_labels(c) if not re.fullmatch(r"\d{4}", t["text"])]
            assert value_ticks and all(re.fullmatch(r"0|Rp \d+(,\d)? (T|M|jt)", t) for t in value_ticks), value_ticks
            titles = [t["text"] for t in c["texts"] if t["role"] == "axis-title"]
            assert any(re.search(r"\((T = triliun|M = miliar|jt = juta)\)", t) for t in titles), titles


def test_year_labels_are_flat_and_plain(charts):
    """Every year of a trend chart is a tick label of four digits ('2021', not '2.021'),
    written horizontally; no axis label of any chart is rotated."""
    for c in charts:
        assert not [t for t in axis_labels(c) if "rotate" in t["transform"]], f"{c['name']}: rotated axis labels"
        if c["meta"]["kind"] == "lines":
            years = {row[c["meta"]["year"]] for row in c["rows"]}
            assert all(re.fullmatch(r"\d{4}", y) for y in years), years
            assert years <= {t["text"] for t in axis_labels(c)}, (c["name"], years)


def test_bars_and_points_carry_their_values(charts):
    """Each bar (and each point of a plot of one series) has its value written by it, in the
    Indonesian format of the tables ('105,20 %', '3,91', 'Rp 8,8 miliar')."""
    for c in charts:
        meta = c["meta"]
        if meta["kind"] == "bars":
            assert meta["values_shown"]
        if not meta["values_shown"]:
            continue
        written = sorted(words(t["text"]) for t in c["texts"] if t["role"] == "mark" and t["text"] != meta["rule_label"])
        expected = sorted(fmt.chart_value(float(row[meta["value"]]), meta["unit"]) for row in c["rows"]
                          if row[meta["value"]] != "")
        assert written == expected, c["name"]


def marks(spec, kind):
    """Every mark of a kind in a Vega-Lite spec (layers, facets and concatenations)."""
    if isinstance(spec, dict):
        mark = spec.get("mark")
        if mark == kind or (isinstance(mark, dict) and mark.get("type") == kind):
            yield spec
        for value in spec.values():
            yield from marks(value, kind)
    elif isinstance(spec, list):
        for value in spec:
            yield from marks(value, kind)


def test_target_line_is_named_on_the_chart(charts):
    """A chart with a dashed target line names it on the chart, not only in its text alternative."""
    named = 0
    for c in charts:
        if not list(marks(c["spec"], "rule")):
            continue
        label = c["meta"]["rule_label"]
        assert label, f"{c['name']}: a target line without a name"
        assert label in [t["text"] for t in c["texts"] if t["role"] == "mark"], c["name"]
        named += 1
    assert named


def chart_key(folder, edit=None):
    """The key of one chart, with the generator's code copied into `folder` and `edit`
    (file name, text appended) applied to it, in a fresh interpreter."""
    shutil.copytree(os.path.join(ROOT, "generator"), folder / "generator",
                    ignore=shutil.ignore_patterns("__pycache__"))
    if edit:
        with open(folder / "generator" / edit[0], "a", encoding="utf-8") as fh:
            fh.write(edit[1])
    program = ("import generator.charts as c; assert c.__file__.startswith(%r); "
               "print(c.chart('bars', 't', 'a', rows=[{'x': 'A', 'v': 1}], category='x', value='v').key)" % str(folder))
    done = subprocess.run([sys.executable, "-c", program], cwd=folder, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, PYTHONPATH=str(folder)))
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_chart_key_changes_with_the_chart_code(tmp_path):
    """Charts are cached under their key: a change to the chart code (or to the formats it
    uses) must give every chart a new key, or a stale chart would be served."""
    keys = {}
    for name, edit in (("same", None), ("same again", None), ("charts", ("charts.py", "\n# changed\n")),
                       ("fmt", ("fmt.py", "\n# changed\n"))):
        (tmp_path / name).mkdir()
        keys[name] = chart_key(tmp_path / name, edit)
    assert keys["same"] == keys["same again"]
    assert len({keys["same"], keys["charts"], keys["fmt"]}) == 3, keys


@pytest.mark.parametrize("unit, values", [
    ("percent", [105.2, 95.76, 100, 0, 33.333]),
    ("index", [3.91, 20, 0.5, 1234.5678, 95.885727, 2.675]),
    ("IDR", [8_844_706_000, 450_000_000, 81_398_766_000, 1_250_000_000_000, 31_000, 999_949_999, 0]),
])
def test_chart_writes_values_as_python_does(tmp_path, unit, values):
    """Each value is drawn by its bar as generator.fmt writes it (the tables' format), ties
    and all; and the chart's CSV holds the data, not the drawn text."""
    import vl_convert

    from generator import charts

    inputs = {"rows": [{"nama": f"Baris {i}", "nilai": v} for i, v in enumerate(values)], "category": "nama",
              "value": "nilai", "value_title": "Nilai", "unit": unit}
    spec = charts.make_spec("bars", json.dumps(inputs))
    svg = tmp_path / "chart.svg"
    svg.write_text(vl_convert.vegalite_to_svg(json.loads(spec)), encoding="utf-8")
    written = [t["text"] for t in svg_texts(svg) if t["role"] == "mark"]
    assert written == [fmt.chart_value(v, unit) for v in values]
    assert list(csv.reader(charts.chart_data_csv(spec).splitlines()))[0] == ["nama", "nilai"]
    assert fmt.chart_value(8_844_706_000, "IDR") == "Rp 8,8 miliar" and fmt.chart_value(450e6, "IDR") == "Rp 450 juta"
