"""Charts: Altair specs -> static SVG, rendered once per distinct spec, on every core.

A chart's file name is the SHA-256 of its Vega-Lite spec (data included), so an output
can never be stale: a changed figure is a different file. Rendering happens in the worker
pool (generator/workers.py) and only for specs not in the cache.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import textwrap
from dataclasses import dataclass

import altair as alt
import pandas as pd

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
    key: str
    spec_json: str
    title: str
    alt_text: str

    @property
    def svg_name(self) -> str:
        return f"{self.key}.svg"

    @property
    def spec_name(self) -> str:
        return f"{self.key}.vl.json"


SPEC_CACHE: str | None = None  # set by the build: folder of specs keyed by their builder inputs


def chart(builder: str, title: str, alt_text: str, **inputs) -> Chart:
    """Build a chart with `bars` or `lines` from plain inputs; the Vega-Lite spec comes from
    the cache when the same inputs were built before (Altair costs ~10 ms a chart)."""
    key = hashlib.sha256(json.dumps([builder, inputs, CONFIG], sort_keys=True, default=str).encode()).hexdigest()
    path = os.path.join(SPEC_CACHE, key + ".json") if SPEC_CACHE else None
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        return Chart(hashlib.sha256(text.encode()).hexdigest()[:24], text, title, alt_text)
    made = make_chart(BUILDERS[builder](**inputs), title, alt_text)
    if path:
        os.makedirs(SPEC_CACHE, exist_ok=True)
        with open(path + ".tmp", "w", encoding="utf-8") as fh:
            fh.write(made.spec_json)
        os.replace(path + ".tmp", path)
    return made


def make_chart(chart: alt.Chart, title: str, alt_text: str) -> Chart:
    spec = chart.to_dict(validate=False)  # our builders make valid specs; validation costs ~5 ms a chart
    spec["config"] = CONFIG
    spec.pop("$schema", None)
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return Chart(hashlib.sha256(text.encode()).hexdigest()[:24], text, title, alt_text)


def wrap(label: str, width: int = 42) -> str:
    """Label lines joined by '|' (split again by the chart): long names stay readable on a phone."""
    return "|".join(textwrap.wrap(str(label), width)) or " "


def bars(rows: list[dict], category: str, value: str, category_title: str, value_title: str,
         value_format: str, series: str | None = None, series_title: str = "", rule: float | None = None) -> alt.Chart:
    """One row per category, its name above its bar(s): readable at phone width."""
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
          series_title: str) -> alt.Chart:
    frame = pd.DataFrame(rows)
    return alt.Chart(frame).properties(width=WIDTH).mark_line(point=alt.OverlayMarkDef(size=60)).encode(
        x=alt.X(f"{year}:O", title="Tahun"),
        y=alt.Y(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format)),
        color=alt.Color(f"{series}:N", title=series_title),
        strokeDash=alt.StrokeDash(f"{series}:N", title=series_title))


BUILDERS = {"bars": bars, "lines": lines}


def _render(spec_json: str) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(json.loads(spec_json))


class Renderer:
    """Renders each distinct chart missing from the cache in the worker pool, as pages
    name them; `finish` waits and writes the SVGs (named by spec hash)."""

    def __init__(self, cache_dir: str, pool):
        os.makedirs(cache_dir, exist_ok=True)
        self.cache_dir, self.pool, self.charts, self.pending = cache_dir, pool, {}, {}

    def add(self, charts: list[Chart]) -> None:
        for chart in charts:
            if chart.key in self.charts:
                continue
            self.charts[chart.key] = chart
            if not os.path.exists(os.path.join(self.cache_dir, chart.svg_name)):
                self.pending[chart.key] = self.pool.submit(_render, chart.spec_json)

    def finish(self) -> dict:
        for key in sorted(self.pending):
            name = self.charts[key].svg_name
            temporary = os.path.join(self.cache_dir, f".{name}.tmp")
            with open(temporary, "w", encoding="utf-8") as fh:
                fh.write(self.pending[key].result())
            os.replace(temporary, os.path.join(self.cache_dir, name))
        return {"charts": len(self.charts), "rendered": len(self.pending)}


def files(charts: list[Chart], cache_dir: str, folder: str = "grafik") -> dict[str, bytes]:
    """Each chart's SVG (from the cache), its Vega-Lite spec and its data (CSV), by site path."""
    out = {}
    for chart in {c.key: c for c in charts}.values():
        with open(os.path.join(cache_dir, chart.svg_name), "rb") as fh:
            out[f"{folder}/{chart.svg_name}"] = fh.read()
        out[f"{folder}/{chart.spec_name}"] = chart.spec_json.encode("utf-8")
        out[f"{folder}/{chart.key}.csv"] = chart_data_csv(chart).encode("utf-8")
    return out


def chart_data_csv(chart: Chart) -> str:
    """The chart's own data (its main dataset), labels unwrapped."""
    spec = json.loads(chart.spec_json)
    name = (spec.get("data") or {}).get("name")
    records = (spec.get("datasets") or {}).get(name, [])
    out = io.StringIO()
    if records:
        writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: (neutral(v.replace("|", " ")) if isinstance(v, str) else v) for k, v in record.items()})
    return out.getvalue()
