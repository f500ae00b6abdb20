"""Charts: Altair specs -> static SVG, made once per distinct chart, on every core.

Made to be read on a 375 px phone: every label whole (wrapped onto lines, never cut), the
value written by each bar (and each point of a plot of one series) as the tables write it,
a target line named on the chart, ticks without needless decimals, rupiah axes in short
form ('Rp 8 M', the axis title saying M = miliar), years flat. tests/test_charts.py reads
every SVG of the built site to check it.

A chart's file name is a SHA-256 of everything it is made from (builder, data, labels,
this module's code and generator/fmt.py, the Altair and vl-convert versions), so an
output can never be stale: a changed figure is a different file. Specs and SVGs are made in the worker pool
(generator/workers.py), only for charts not in the cache.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import textwrap
from dataclasses import dataclass

from .digests import GENERATOR_CODE, PickleCache, stable_digest
from .fmt import RUPIAH_WORDS, chart_value, neutral

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
LOCALE = {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp ", ""], "minus": "-"},
          "time": {"dateTime": "%A, %e %B %Y %X", "date": "%d/%m/%Y", "time": "%H:%M:%S",
                   "periods": ["AM", "PM"],
                   "days": ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
                   "shortDays": ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
                   "months": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                              "September", "Oktober", "November", "Desember"],
                   "shortMonths": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]}}
# Text is measured (for the layout) with Liberation Sans, which vl-convert has for sans-serif; a
# browser draws it with the first of these it has (Arial's widths), else its own sans-serif, which
# can be wider (DejaVu Sans, ~10 %): the padding on the right keeps the longest line inside the SVG.
FONT = "Liberation Sans, Arimo, Arial, Helvetica, sans-serif"
CONFIG = {"locale": LOCALE, "font": FONT, "padding": {"left": 5, "top": 5, "bottom": 5, "right": 16},
          "range": {"category": PALETTE},
          "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 0, "labelColor": "#000", "titleColor": "#000"},
          "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "direction": "vertical",
                     "labelLimit": 0, "labelColor": "#000"},
          "view": {"stroke": None}}


@dataclass(frozen=True)
class Chart:
    key: str  # hash of the builder, its inputs and the chart code: names the SVG and spec
    title: str
    alt_text: str
    builder: str
    inputs_json: str

    @property
    def svg_name(self) -> str:
        return f"{self.key}.svg"

    @property
    def spec_name(self) -> str:
        return f"{self.key}.vl.json"


# This module and the formats it imports: a change to either makes new charts.
CODE_FILES = [os.path.join(os.path.dirname(__file__), name) for name in ("charts.py", "fmt.py")]


def code_digest(sources: list[bytes]) -> str:
    from importlib.metadata import version

    digest = hashlib.sha256()
    for source in sources:
        digest.update(hashlib.sha256(source).digest())
    digest.update(f"altair {version('altair')} vl-convert {version('vl-convert-python')}".encode())
    return digest.hexdigest()


CHART_CODE = code_digest([open(path, "rb").read() for path in CODE_FILES])  # new code or library: new charts


def chart(builder: str, title: str, alt_text: str, **inputs) -> Chart:
    """A chart by `bars` or `lines` from plain inputs. Only its key is computed here:
    the Vega-Lite spec and the SVG are made in a worker (Altair costs ~10 ms a chart)."""
    inputs_json = json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str)
    key = hashlib.sha256(f"{CHART_CODE}\0{builder}\0{inputs_json}".encode()).hexdigest()[:24]
    return Chart(key, title, alt_text, builder, inputs_json)


def make_spec(builder: str, inputs_json: str) -> str:
    chart, records, meta = BUILDERS[builder](**json.loads(inputs_json))
    spec = chart.to_dict(validate=False)  # our builders make valid specs
    spec.setdefault("datasets", {})[DATA] = records
    spec["usermeta"] = {"portal": meta}  # which fields are the labels and values (tests/test_charts.py reads it)
    spec["config"] = CONFIG
    spec.pop("$schema", None)
    return json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


DATA = "data"  # the name of the chart's own dataset (its rows; what the chart's CSV holds)
TEXT = "_teks"  # in each row of it: the value as the tables write it ('105,20 %'), drawn by the bar or point
LINE = "\n"  # joins the lines of a wrapped label; the chart splits on it (a label's own spaces are collapsed, so it holds none)
WRAP = 38  # characters a label line holds (~240 px at 12 px): a label is wrapped, never cut


def wrap(label: str, width: int = WRAP) -> str:
    """A label's lines joined by LINE: the whole name, on as many lines as it needs (a word
    is never broken, so the lines joined by spaces give the name back, as printed)."""
    return LINE.join(textwrap.wrap(" ".join(str(label).split()), width,
                                   break_long_words=False, break_on_hyphens=False)) or " "


LINES = "split(datum.label, '\\n')"  # a header's or legend's label on its lines


def axis_for(unit: str, title: str, values: list[float], **more) -> dict:
    """Tick labels without needless decimals ('0', '2,5', '100'); rupiah ticks in short form
    ('Rp 8 M'), the abbreviation explained in the axis title."""
    largest = max((abs(v) for v in values), default=0)
    axis = dict(title=title, format=",.2~f", labelOverlap=True, labelLimit=0, **more)
    if unit == "IDR":
        size, word, short = next(((s, w, a) for s, w, a in RUPIAH_WORDS if largest >= s), (1, "", ""))
        if short:
            axis.update(title=f"{title} ({short} = {word})", labelExpr=(
                f"datum.value == 0 ? '0' : 'Rp ' + format(datum.value / {size:.0e}, ',.1~f') + ' {short}'"))
        else:
            axis.update(format=",.0f")
    return axis


def header(padding: int):
    import altair as alt

    return alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top", labelPadding=padding,
                      labelExpr=LINES, labelFontSize=12, labelLimit=0, labelColor="#000")


BAR_WIDTH = 230  # the bars' scale; their value labels and the target's name go to its right


def bars(rows: list[dict], category: str, value: str, value_title: str, unit: str,
         rule: float | None = None, rule_label: str = ""):
    """One row per category: its whole name above its bar, the value at the bar's end, and the
    dashed line of a target (`rule`) named on the chart (`rule_label`)."""
    import altair as alt  # here, not at the top: only the workers build specs

    records = [dict(r, **{category: wrap(r[category]), TEXT: chart_value(r[value], unit)}) for r in rows]
    values = [r[value] for r in rows if r[value] is not None] + ([rule] if rule is not None else [])
    domain = [min([0, *values]), max([0, *values])]
    x = alt.X(f"{value}:Q", title=value_title, scale=alt.Scale(domain=domain, nice=True),
              axis=alt.Axis(**axis_for(unit, value_title, values, tickCount=5)))
    layers = [alt.Chart(name="batang").mark_bar(color=PALETTE[0]).encode(x=x)]
    # The value at the bar's end, or past the target's line when the bar stops short of it (never across it).
    end = f"datum[{json.dumps(value)}]"
    end = end if rule is None else f"max({end}, {float(rule)!r})"
    layers.append(alt.Chart(name="nilai").transform_calculate(ujung=end).mark_text(
        align="left", baseline="middle", dx=4, fontSize=12, color="#000").encode(x=alt.X("ujung:Q"), text=f"{TEXT}:N"))
    if rule is not None:
        layers.append(alt.Chart(name="target").mark_rule(strokeDash=[4, 4], color="#000").encode(x=alt.datum(rule)))
    order = list(dict.fromkeys(r[category] for r in records))
    chart = alt.layer(*layers).properties(width=BAR_WIDTH, height=20).facet(
        data=alt.NamedData(DATA), row=alt.Row(f"{category}:N", title=None, sort=order, header=header(4)), spacing=12)
    meta = {"kind": "bars", "layout": "bars", "label": category, "value": value, "unit": unit, "values_shown": True,
            "rule_label": rule_label if rule is not None else ""}
    if rule is not None and rule_label:
        # The target's name above the bars, over a stub of its dashed line, on the bars' scale.
        x = alt.X(datum=rule, scale=alt.Scale(domain=domain, nice=True), axis=None)
        named = alt.layer(
            alt.Chart(name="nama_target").mark_text(text=rule_label, baseline="bottom", dy=-6, fontSize=12,
                                                    color="#000").encode(x=x, y=alt.value(0)),
            alt.Chart().mark_rule(strokeDash=[4, 4], color="#000").encode(x=x, y=alt.value(0), y2=alt.value(10))
        ).properties(width=BAR_WIDTH, height=10)
        chart = alt.vconcat(named, chart, spacing=4).resolve_scale(x="shared")
    return chart, records, meta


LINE_WIDTH, LINE_HEIGHT, PANEL_HEIGHT = 250, 170, 90


def lines(rows: list[dict], year: str, value: str, series: str, value_title: str, unit: str,
          series_title: str = "", panels: bool = False, segment: str = "", years: list[str] | None = None):
    """Values by year, the years flat on the axis. Several series of one measure share one
    plot, a legend naming each whole. Otherwise (one series, or `panels`: series that are
    different measures) each series has a plot of its own on its own scale, its name above
    it and each point's value written. With `segment` (a field of the rows), a line joins
    only the points of one segment (years that are not comparable are never joined); with
    `years`, the axis shows those years in that order, with or without points."""
    import altair as alt

    records = [dict(r, **{series: wrap(r[series]), year: str(r[year]), TEXT: chart_value(r[value], unit)}) for r in rows]
    names = list(dict.fromkeys(r[series] for r in records))
    shared = len(names) > 1 and not panels
    values = [r[value] for r in rows if r[value] is not None]
    x = alt.X(f"{year}:O", title="Tahun", axis=alt.Axis(labelAngle=0, labelLimit=0),
              **({"scale": alt.Scale(domain=list(years))} if years else {}))
    detail = {"detail": alt.Detail(f"{segment}:N")} if segment else {}
    small = not shared and len(names) > 1  # small plots, one per series
    y = alt.Y(f"{value}:Q", title=value_title, axis=alt.Axis(**axis_for(unit, value_title, values,
                                                                      tickCount=3 if small else 5)))
    meta = {"kind": "lines", "layout": "shared" if shared else "panels", "label": series, "year": year,
            "value": value, "unit": unit, "values_shown": not shared, "rule_label": ""}
    if shared:  # values close together would collide: the table under the chart gives them
        legend = alt.Legend(labelExpr=LINES, labelLimit=0, symbolType="stroke", symbolStrokeWidth=2, symbolSize=300)
        line = alt.Chart(alt.NamedData(DATA), name="garis").mark_line(point=alt.OverlayMarkDef(size=60)).encode(
            x=x, y=y, color=alt.Color(f"{series}:N", title=series_title or None, legend=legend),
            strokeDash=alt.StrokeDash(f"{series}:N", title=series_title or None, legend=legend), **detail)
        return line.properties(width=LINE_WIDTH, height=LINE_HEIGHT), records, meta
    line = alt.Chart(name="garis").mark_line(point=alt.OverlayMarkDef(size=60, color=PALETTE[0]),
                                             color=PALETTE[0]).encode(x=x, y=y, **detail)
    label = alt.Chart(name="nilai").mark_text(baseline="bottom", dy=-7, fontSize=12, color="#000").encode(
        x=alt.X(f"{year}:O"), y=alt.Y(f"{value}:Q"), text=f"{TEXT}:N")
    return alt.layer(line, label).properties(width=LINE_WIDTH, height=PANEL_HEIGHT if small else LINE_HEIGHT).facet(
        data=alt.NamedData(DATA), row=alt.Row(f"{series}:N", title=None, sort=names, header=header(18)),
        spacing=16).resolve_scale(y="independent"), records, meta


BUILDERS = {"bars": bars, "lines": lines}


def _render(builder: str, inputs_json: str) -> tuple[str, str, bytes]:
    """In a worker: the chart's Vega-Lite spec, its SVG and a PNG of it (for downloads)."""
    import vl_convert

    spec = make_spec(builder, inputs_json)
    svg = display_size(vl_convert.vegalite_to_svg(json.loads(spec)))
    return spec, svg, vl_convert.svg_to_png(svg, scale=2)


DISPLAY_SCALE = 1.25  # 12 px text shows at 15 px on a wide screen; a phone shrinks the chart to its width


def display_size(svg: str, scale: float = DISPLAY_SCALE) -> str:
    """The SVG's own width and height scaled (its viewBox keeps the drawing): every chart
    shows at one scale, whatever its width, and the stylesheet only shrinks it to fit."""
    root, rest = svg.split(">", 1)
    width, height = (float(re.search(f' {name}="([0-9.]+)"', root).group(1)) for name in ("width", "height"))
    assert " viewBox=" in root, "vl-convert's SVG has a viewBox"
    root = re.sub(r' width="[0-9.]+"', f' width="{round(width * scale)}"', root, count=1)
    root = re.sub(r' height="[0-9.]+"', f' height="{round(height * scale)}"', root, count=1)
    return root + ">" + rest


class ChartRenderer:
    """Makes each distinct chart missing from the cache in the worker pool, as pages name
    them; `finish` waits and writes the spec and SVG (named by the chart's key)."""

    def __init__(self, cache_dir: str, pool):
        os.makedirs(cache_dir, exist_ok=True)
        self.cache_dir, self.pool, self.charts, self.pending = cache_dir, pool, {}, {}
        self.named: dict[str, tuple[str, dict]] = {}  # download name -> (chart key, what the page says of it)

    def add_named(self, named: list[tuple[str, str, dict]]) -> None:
        """Downloads of charts under stable names: (name, chart key, page context)."""
        for name, key, about in named:
            self.named[name] = (key, about)

    def add(self, charts: list[Chart]) -> None:
        for chart in charts:
            if chart.key in self.charts:
                continue
            self.charts[chart.key] = chart
            if not os.path.exists(os.path.join(self.cache_dir, chart.svg_name)):
                self.pending[chart.key] = self.pool.submit(_render, chart.builder, chart.inputs_json)

    def finish(self) -> dict:
        for key in sorted(self.pending):
            chart = self.charts[key]
            spec, svg, png = self.pending[key].result()
            for name, data in ((chart.spec_name, spec.encode("utf-8")), (f"{chart.key}.png", png),
                               (chart.svg_name, svg.encode("utf-8"))):  # the SVG last: it marks all done
                temporary = os.path.join(self.cache_dir, f".{name}.tmp")
                with open(temporary, "wb") as fh:
                    fh.write(data)
                os.replace(temporary, os.path.join(self.cache_dir, name))
        return {"charts": len(self.charts), "rendered": len(self.pending)}


def write_files(charts: list[Chart], cache_dir: str, docs, folder: str = "grafik") -> None:
    """Each chart's SVG, Vega-Lite spec and data (CSV) into `docs` (a DocsWriter). Their
    names are the chart's key, so a file already there under that name is kept unread."""
    for chart in charts:
        paths = [f"{folder}/{chart.svg_name}", f"{folder}/{chart.spec_name}", f"{folder}/{chart.key}.csv"]
        if all([docs.keep(path) for path in paths]):
            continue
        with open(os.path.join(cache_dir, chart.svg_name), "rb") as fh:
            docs.put(paths[0], fh.read())
        with open(os.path.join(cache_dir, chart.spec_name), encoding="utf-8") as fh:
            spec = fh.read()
        docs.put(paths[1], spec.encode("utf-8"))
        docs.put(paths[2], chart_data_csv(spec).encode("utf-8"))


def write_named(named: dict[str, tuple[str, dict]], cache_dir: str, docs, written: PickleCache) -> None:
    """Each chart a page shows, under the page's stable name for it (`unduh/grafik/...`): its
    data as a tidy CSV, its SVG and a PNG. The names never hold a hash, so links survive a
    data edit; the chart's cached files (named by its key) are read to write them. What was
    written for a (name, chart, what the page says of it, code) is recorded in `written`:
    when build/docs still holds those files, nothing is read or written again."""
    for name, (key, about) in sorted(named.items()):
        record_key = stable_digest(GENERATOR_CODE, name, key, about)
        record = written.get(record_key)
        if record and docs.keep_all(record):
            continue
        with open(os.path.join(cache_dir, f"{key}.vl.json"), encoding="utf-8") as fh:
            spec = fh.read()
        record = {f"{name}.csv": docs.put(f"{name}.csv", tidy_csv(spec, about).encode("utf-8")),
                  f"{name}.vl.json": docs.put(f"{name}.vl.json", spec.encode("utf-8"))}
        for suffix in ("svg", "png"):
            with open(os.path.join(cache_dir, f"{key}.{suffix}"), "rb") as fh:
                record[f"{name}.{suffix}"] = docs.put(f"{name}.{suffix}", fh.read())
        written.put(record_key, record)


UNIT_WORDS = {"percent": "persen", "IDR": "rupiah", "index": "indeks", "count": "jumlah", "indicator": "satuan indikator"}
TIDY = ["satker", "tahun", "indikator_atau_seri", "nilai", "satuan", "sumber"]


def tidy_csv(spec_json: str, about: dict) -> str:
    """One row per value of the chart: satker, year, what (indicator or series), value, unit
    and the report tables it comes from; the page's satker and year fill what the rows lack."""
    spec = json.loads(spec_json)
    meta = (spec.get("usermeta") or {}).get("portal") or {}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TIDY, lineterminator="\n")
    writer.writeheader()
    for record in (spec.get("datasets") or {}).get(DATA, []):
        label = str(record.get(meta.get("label"), "")).replace(LINE, " ")
        by_satker = about.get("label_is") == "satker"
        writer.writerow({"satker": neutral(label if by_satker else about.get("satker", "")),
                         "tahun": record.get(meta.get("year"), about.get("tahun", "")),
                         "indikator_atau_seri": neutral(about.get("what", "") if by_satker else label),
                         "nilai": record.get(meta.get("value")), "satuan": UNIT_WORDS.get(meta.get("unit"), meta.get("unit", "")),
                         "sumber": neutral(about.get("sumber", ""))})
    return out.getvalue()


def chart_data_csv(spec_json: str) -> str:
    """The chart's own data (its main dataset), labels unwrapped."""
    records = [{k: v for k, v in record.items() if k != TEXT}
               for record in (json.loads(spec_json).get("datasets") or {}).get(DATA, [])]
    out = io.StringIO()
    if records:
        writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: (neutral(v.replace(LINE, " ")) if isinstance(v, str) else v) for k, v in record.items()})
    return out.getvalue()
