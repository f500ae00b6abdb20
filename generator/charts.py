"""Charts: Altair specs -> static SVG, made once per distinct chart, on every core.

A chart's file name is a SHA-256 of everything it is made from (builder, data, labels,
this module's code, the Altair and vl-convert versions), so an output can never be
stale: a changed figure is a different file. Specs and SVGs are made in the worker pool
(generator/workers.py), only for charts not in the cache.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import textwrap
from dataclasses import dataclass

from .fmt import neutral

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
LOCALE = {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp ", ""]},
          "time": {"dateTime": "%A, %e %B %Y %X", "date": "%d/%m/%Y", "time": "%H:%M:%S",
                   "periods": ["AM", "PM"],
                   "days": ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
                   "shortDays": ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
                   "months": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                              "September", "Oktober", "November", "Desember"],
                   "shortMonths": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]}}
CONFIG = {"locale": LOCALE, "font": "sans-serif", "range": {"category": PALETTE},
          "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 220},
          "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "direction": "vertical",
                     "labelLimit": 300},
          "view": {"stroke": None}}
WIDTH = 300  # plot width in px: the SVG stays legible on a 375 px phone


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


def _code_digest() -> str:
    from importlib.metadata import version

    source = open(__file__, "rb").read()
    return hashlib.sha256(source + f"altair {version('altair')} vl-convert {version('vl-convert-python')}"
                          .encode()).hexdigest()


CHART_CODE = _code_digest()  # a new builder, palette or library version makes new charts


def chart(builder: str, title: str, alt_text: str, **inputs) -> Chart:
    """A chart by `bars` or `lines` from plain inputs. Only its key is computed here:
    the Vega-Lite spec and the SVG are made in a worker (Altair costs ~10 ms a chart)."""
    inputs_json = json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str)
    key = hashlib.sha256(f"{CHART_CODE}\0{builder}\0{inputs_json}".encode()).hexdigest()[:24]
    return Chart(key, title, alt_text, builder, inputs_json)


def make_spec(builder: str, inputs_json: str) -> str:
    spec = BUILDERS[builder](**json.loads(inputs_json)).to_dict(validate=False)  # our builders make valid specs
    spec["config"] = CONFIG
    spec.pop("$schema", None)
    return json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def wrap(label: str, width: int = 42) -> str:
    """Label lines joined by '|' (split again by the chart): long names stay readable on a phone."""
    return "|".join(textwrap.wrap(str(label), width)) or " "


def bars(rows: list[dict], category: str, value: str, category_title: str, value_title: str,
         value_format: str, series: str | None = None, series_title: str = "", rule: float | None = None):
    """One row per category, its name above its bar(s): readable at phone width."""
    import altair as alt  # here, not at the top: only the workers build specs
    import pandas as pd

    frame = pd.DataFrame(rows)
    frame[category] = [wrap(label) for label in frame[category]]
    x = alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format))
    bar = alt.Chart().mark_bar(color=PALETTE[0]).encode(x=x)
    if series:
        bar = bar.encode(y=alt.Y(f"{series}:N", title=None), color=alt.Color(f"{series}:N", title=series_title or None))
    layers = [bar]
    if rule is not None:
        layers.append(alt.Chart(pd.DataFrame({"garis": [rule]})).mark_rule(strokeDash=[4, 4], color="#000")
                      .encode(x="garis:Q"))
    header = alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top", labelPadding=4,
                        labelExpr="split(datum.label, '|')", labelFontSize=12, labelLimit=WIDTH)
    order = list(dict.fromkeys(frame[category]))
    return alt.layer(*layers).properties(width=WIDTH, height=20 * (frame[series].nunique() if series else 1)).facet(
        data=frame, row=alt.Row(f"{category}:N", title=category_title or None, sort=order, header=header))


def lines(rows: list[dict], year: str, value: str, series: str, value_title: str, value_format: str,
          series_title: str):
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame(rows)
    return alt.Chart(frame).properties(width=WIDTH).mark_line(point=alt.OverlayMarkDef(size=60)).encode(
        x=alt.X(f"{year}:O", title="Tahun"),
        y=alt.Y(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format)),
        color=alt.Color(f"{series}:N", title=series_title),
        strokeDash=alt.StrokeDash(f"{series}:N", title=series_title))


BUILDERS = {"bars": bars, "lines": lines}


def _render(builder: str, inputs_json: str) -> tuple[str, str]:
    """In a worker: the chart's Vega-Lite spec and its SVG."""
    import vl_convert

    spec = make_spec(builder, inputs_json)
    return spec, vl_convert.vegalite_to_svg(json.loads(spec))


class Renderer:
    """Makes each distinct chart missing from the cache in the worker pool, as pages name
    them; `finish` waits and writes the spec and SVG (named by the chart's key)."""

    def __init__(self, cache_dir: str, pool):
        os.makedirs(cache_dir, exist_ok=True)
        self.cache_dir, self.pool, self.charts, self.pending = cache_dir, pool, {}, {}

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
            spec, svg = self.pending[key].result()
            for name, text in ((chart.spec_name, spec), (chart.svg_name, svg)):  # the SVG last: it marks both done
                temporary = os.path.join(self.cache_dir, f".{name}.tmp")
                with open(temporary, "w", encoding="utf-8") as fh:
                    fh.write(text)
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


def chart_data_csv(spec_json: str) -> str:
    """The chart's own data (its main dataset), labels unwrapped."""
    spec = json.loads(spec_json)
    name = (spec.get("data") or {}).get("name")
    records = (spec.get("datasets") or {}).get(name, [])
    out = io.StringIO()
    if records:
        writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: (neutral(v.replace("|", " ")) if isinstance(v, str) else v) for k, v in record.items()})
    return out.getvalue()
