"""Compare views (banding): a page per indicator and per series with every satker and year
side by side, their values equal to the computed package, breaks marked where an indicator's
years end, charts that never join incomparable years, budget and performance per goal; and in
headless Chromium, the selection of satkers and years kept in the address, sorting, and every
row without JavaScript.

Expected values are read from the CSV files of the computed package (build/computed/) and the
data packages, never written here.
"""
import csv
import json
import os
import re
import shutil
import urllib.parse
import urllib.request
from html.parser import HTMLParser

import pytest
import yaml

from conftest import ROOT
from htmlpage import read

DATA = os.path.join(ROOT, "datapackages")
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
browser = pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="Chromium or ChromeDriver not installed "
                             "(apt-get install chromium chromium-driver; .ci/run does)")
pytestmark = pytest.mark.slow


def rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def indicators() -> dict[str, dict]:
    return {r["indikator_id"]: r for r in rows(os.path.join(DATA, "referensi", "indikator.csv"))}


def short_names() -> dict[str, str]:
    return {r["satker_id"]: r["nama_singkat"] for r in rows(os.path.join(DATA, "referensi", "satker.csv"))}


def series_definitions() -> list[dict]:
    with open(os.path.join(ROOT, "definitions", "series.yaml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)["series"]


def number(text: str) -> float:
    """'Rp 8.844.706.000' / '99,74 %' / '3,91' -> float."""
    return float(re.sub(r"[^0-9,\-]", "", text).replace(",", "."))


class Columns(HTMLParser):
    """Each compare table's header cells with their classes and year (data-tahun), and the
    satker (data-satker) of each of its rows."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, dict] = {}
        self._table = None
        self._th = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "div" and "pk-compare" in classes:
            self._table = attrs["id"]
            self.tables[self._table] = {"head": [], "satkers": []}
        elif self._table and tag == "th" and attrs.get("scope") == "col":
            self._th = {"year": attrs.get("data-tahun"), "classes": classes, "text": ""}
            self.tables[self._table]["head"].append(self._th)
        elif self._table and tag == "tr" and "data-satker" in attrs:
            self.tables[self._table]["satkers"].append(attrs["data-satker"])

    def handle_endtag(self, tag):
        if tag == "th":
            self._th = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._th is not None:
            self._th["text"] += data


def page_of(built, path: str):
    file = built / "site" / path / "index.html"
    assert file.exists(), path
    return read(file), Columns(file.read_text(encoding="utf-8"))


def years_of(table: dict) -> list[int]:
    return [int(h) for h in table["header"][1:]]


def cells(table: dict) -> dict[tuple[str, int], str]:
    """(row label, year) -> the cell's text as shown (notes in <small> left out)."""
    return {(row[0], year): text for row in table["rows"] for year, text in zip(years_of(table), row[1:])}


# --- the pages exist --------------------------------------------------------------------

def test_a_compare_page_for_every_indicator_and_series_and_an_index(built):
    site = built / "site"
    for indicator_id in indicators():
        assert (site / "banding" / "indikator" / indicator_id / "index.html").exists(), indicator_id
    for series in series_definitions():
        assert (site / "banding" / "seri" / series["id"] / "index.html").exists(), series["id"]
    index = read(site / "banding" / "index.html")
    links = set(index.links)
    for indicator_id in indicators():
        assert f"indikator/{indicator_id}/" in links
    for series in series_definitions():
        assert f"seri/{series['id']}/" in links
    years = {int(r["tahun"]) for p in os.listdir(DATA) if os.path.exists(os.path.join(DATA, p, "anggaran_kegiatan.csv"))
             for r in rows(os.path.join(DATA, p, "anggaran_kegiatan.csv"))}
    assert years
    for year in years:
        assert (site / "banding" / "anggaran-kinerja" / str(year) / "index.html").exists()
        assert f"anggaran-kinerja/{year}/" in links
        for satker_id in {r["satker_id"] for r in rows(os.path.join(DATA, str(year), "anggaran_kegiatan.csv"))}:
            assert (site / "banding" / "anggaran-kinerja" / str(year) / satker_id / "index.html").exists()
            # one click from the satker-year page
            assert f"../../../banding/anggaran-kinerja/{year}/{satker_id}/" in \
                read(site / "satker" / satker_id / str(year) / "index.html").links


def test_compare_is_in_the_navigation_and_one_click_from_every_satker_year_and_indicator_page(built):
    site = built / "site"
    assert "Bandingkan" in (site / "index.html").read_text(encoding="utf-8")
    for page in site.glob("satker/*/*/index.html"):
        assert "../../../banding/" in read(page).links, page
    for indicator_id in indicators():
        assert f"../../banding/indikator/{indicator_id}/" in read(site / "indikator" / indicator_id / "index.html").links
    # the achievement section of a satker-year page links each of its indicators' compare view
    computed = built / "build" / "computed"
    for r in rows(computed / "capaian.csv"):
        links = read(site / "satker" / r["satker_id"] / r["year"] / "index.html").links
        assert f"../../../banding/indikator/{r['indikator_id']}/" in links, (r["satker_id"], r["year"])


# --- the values are the computed package's ----------------------------------------------

def expected_indicator_figures(computed, indicator_id: str) -> dict[str, dict[tuple[str, int], float]]:
    """measure -> (satker, year) -> value: target and realisation as the capaian is computed
    from them, else the reference printing (angka); capaian recomputed, else as printed."""
    found = {"realisasi": {}, "target": {}, "capaian": {}}
    for r in rows(computed / "capaian.csv"):
        if r["indikator_id"] != indicator_id or r["comparison"] != "target_pk":
            continue
        where = (r["satker_id"], int(r["year"]))
        for measure, column in (("realisasi", "realisation"), ("target", "target"), ("capaian", "capaian_recomputed")):
            if r[column] != "":
                found[measure][where] = float(r[column])
    for r in rows(computed / "angka.csv"):
        if r["figure"] == "capaian" and r["key"] == f"{indicator_id} / target_pk" and r["value"] != "":
            found[r["measure"]].setdefault((r["satker_id"], int(r["year"])), float(r["value"]))
    return found


def test_indicator_tables_are_the_computed_values(built):
    computed, names = built / "build" / "computed", short_names()
    checked = 0
    for indicator_id, indicator in indicators().items():
        page, _ = page_of(built, f"banding/indikator/{indicator_id}")
        start, end = int(indicator["tahun_mulai"]), int(indicator["tahun_selesai"])
        for measure, expected in expected_indicator_figures(computed, indicator_id).items():
            if not expected:
                assert f"tabel-{measure}" not in page.tables
                continue
            table = page.tables[f"tabel-{measure}"]
            shown = cells(table)
            assert {row[0] for row in table["rows"]} == {names[s] for s, _ in expected}, (indicator_id, measure)
            for (satker_id, year), value in expected.items():
                assert number(shown[(names[satker_id], year)]) == pytest.approx(value, abs=0.006), (indicator_id, measure)
                checked += 1
            for (label, year), text in shown.items():
                if not any(names[s] == label and y == year for s, y in expected):
                    assert text == ("–" if start <= year <= end else "tidak berlaku"), (indicator_id, label, year, text)
    assert checked >= 40


def series_table_id(key: str) -> str:
    return "tabel-nilai" if key == "" else "tabel-rincian-" + re.sub(r"[^a-z0-9-]+", "-", key.lower()).strip("-")


def test_series_tables_are_seri_tahunan(built):
    values, names = rows(built / "build" / "computed" / "seri_tahunan.csv"), short_names()
    pages = {}
    for r in values:
        if r["series"] not in pages:
            pages[r["series"]] = page_of(built, f"banding/seri/{r['series']}")[0]
        table = pages[r["series"]].tables[series_table_id(r["key"])]
        assert number(cells(table)[(names[r["satker_id"]], int(r["year"]))]) == pytest.approx(float(r["value"]), abs=0.006), r
    assert len(values) >= 50
    # every satker with a value is a row, and no other
    for series_id, page in pages.items():
        for key in {r["key"] for r in values if r["series"] == series_id}:
            table = page.tables[series_table_id(key)]
            assert {row[0] for row in table["rows"]} == {names[r["satker_id"]] for r in values
                                                          if r["series"] == series_id and r["key"] == key}


def test_realisasi_indikator_shows_the_reference_printing_of_every_realisation(built):
    """Every cell of the series' indicator tables is the realisation every other page shows:
    its figure's reference printing in the computed package (angka), and every such
    realisation has its cell; no cell needs a mark saying the reference differs."""
    names, known = short_names(), indicators()
    expected: dict[str, dict[tuple[str, int], float]] = {}
    for r in rows(built / "build" / "computed" / "angka.csv"):
        indicator_id, _, comparison = r["key"].partition(" / ")
        if r["figure"] == "capaian" and r["measure"] == "realisasi" and comparison == "target_pk" and r["value"] != "":
            expected.setdefault(indicator_id, {})[(names[r["satker_id"]], int(r["year"]))] = float(r["value"])
    page, _ = page_of(built, "banding/seri/realisasi-indikator")
    checked = 0
    for indicator_id in known:
        table = page.tables.get(series_table_id(indicator_id))
        if table is None:
            assert indicator_id not in expected
            continue
        shown = {where: text for where, text in cells(table).items() if text not in ("–", "tidak berlaku")}
        assert set(shown) == set(expected[indicator_id]), indicator_id
        for where, text in shown.items():
            assert number(text) == pytest.approx(expected[indicator_id][where], abs=0.006), (indicator_id, where, text)
            checked += 1
    assert checked >= 10
    text = (built / "site" / "banding" / "seri" / "realisasi-indikator" / "index.html").read_text(encoding="utf-8")
    assert "pk-flag" not in text


def test_budget_and_performance_per_goal_are_the_computed_values(built):
    computed, site = built / "build" / "computed", built / "site"
    absorption = [r for r in rows(computed / "serapan_anggaran.csv") if r["resource"] == "anggaran_kegiatan"]
    assert absorption
    achieved = {(r["year"], r["indikator_id"]): r for r in rows(computed / "capaian.csv") if r["comparison"] == "target_pk"}
    names = short_names()
    for year in {r["year"] for r in absorption}:
        overview = read(site / "banding" / "anggaran-kinerja" / year / "index.html").tables["tabel-ringkasan"]
        totals = {r["satker_id"]: r for r in absorption if r["year"] == year and r["category"] == "total"}
        assert len(overview["rows"]) == len({r["satker_id"] for r in absorption if r["year"] == year})
        head = overview["header"]
        for shown in overview["rows"]:
            total = next(r for s, r in totals.items() if names[s] == shown[0])
            assert number(shown[head.index("Anggaran")]) == float(total["ceiling"])
            assert number(shown[head.index("Realisasi anggaran")]) == float(total["realisation"])
            assert number(shown[head.index("Serapan (hitung ulang)")]) == pytest.approx(float(total["absorption_percent"]), abs=0.006)
        for satker_id in {r["satker_id"] for r in absorption if r["year"] == year}:
            page = read(site / "banding" / "anggaran-kinerja" / year / satker_id / "index.html")
            goals, per_indicator = page.tables["tabel-sasaran"], page.tables["tabel-indikator"]
            head, ihead = goals["header"], per_indicator["header"]
            goal_rows = [r for r in absorption if r["year"] == year and r["satker_id"] == satker_id
                         and r["category"] != "indikator"]
            indicator_rows = [r for r in absorption if r["year"] == year and r["satker_id"] == satker_id
                              and r["category"] == "indikator"]
            assert len(goals["rows"]) == len(goal_rows) and len(per_indicator["rows"]) == len(indicator_rows)
            for shown, r in zip(goals["rows"], goal_rows):  # in the table's order (the report's)
                assert number(shown[head.index("Anggaran")]) == float(r["ceiling"])
                assert number(shown[head.index("Realisasi anggaran")]) == float(r["realisation"])
                assert number(shown[head.index("Serapan (hitung ulang)")]) == pytest.approx(float(r["absorption_percent"]), abs=0.006)
                assert number(shown[head.index("Serapan dicetak")]) == pytest.approx(float(r["absorption_published"]), abs=0.006)
            for shown, r in zip(per_indicator["rows"], indicator_rows):
                assert number(shown[ihead.index("Anggaran")]) == float(r["ceiling"])
                assert number(shown[ihead.index("Serapan (hitung ulang)")]) == pytest.approx(float(r["absorption_percent"]), abs=0.006)
            # capaian: the satker's own agreement, else the one agreement with that indicator that year
            source = rows(os.path.join(DATA, year, "anggaran_kegiatan.csv"))
            ids = [r["indikator_id"] for r in sorted(source, key=lambda r: int(r["urutan"]))
                   if r["satker_id"] == satker_id and r["tingkat"] == "indikator"]
            for shown, indicator_id in zip(per_indicator["rows"], ids):
                mine = achieved.get((year, indicator_id))
                if mine and mine["capaian_recomputed"]:
                    assert number(shown[ihead.index("Capaian (hitung ulang)")]) == pytest.approx(
                        float(mine["capaian_recomputed"]), abs=0.006)


# --- breaks: years that are not comparable are marked and never joined --------------------

def break_years(years: list[int], start: int, end: int) -> set[int]:
    """The columns that do not join the one before: another validity, or years missing between."""
    inside = lambda y: start <= y <= end
    return {b for a, b in zip(years, years[1:]) if inside(a) != inside(b) or b - a > 1}


def test_a_break_is_marked_where_an_indicators_years_end(built):
    marked = 0
    for indicator_id, indicator in indicators().items():
        page, columns = page_of(built, f"banding/indikator/{indicator_id}")
        start, end = int(indicator["tahun_mulai"]), int(indicator["tahun_selesai"])
        for table_id, table in columns.tables.items():
            years = [int(h["year"]) for h in table["head"] if h["year"]]
            expected = break_years(years, start, end)
            for head in table["head"]:
                if head["year"]:
                    is_break = int(head["year"]) in expected
                    assert ("pk-break" in head["classes"]) == is_break and ("‖" in head["text"]) == is_break, \
                        (indicator_id, table_id, head)
            marked += len(expected)
            # the legend says why, per break
            text = (built / "site" / "banding" / "indikator" / indicator_id / "index.html").read_text(encoding="utf-8")
            for year in expected:
                assert f"‖ {year}: jeda" in text
    assert marked > 0, "no indicator page shows a break: the data should have one (the 2024 split)"


def chart_rows(built, page_path: str) -> list[list[dict]]:
    """The data each chart of a page is drawn from (its Vega-Lite spec's own dataset)."""
    page = read(built / "site" / page_path / "index.html")
    found = []
    for href in page.links:
        if href.endswith(".vl.json") and "/grafik/" in urllib.parse.urljoin("/" + page_path + "/", href):
            spec = json.loads((built / "site" / page_path / href).resolve().read_text(encoding="utf-8"))
            found.append(spec["datasets"]["data"])
    return found


def test_trend_lines_never_join_incomparable_years(built):
    """A line joins only the points of one stretch (its segment): consecutive years, inside the
    indicator's years; another satker or another indicator is never in the same stretch."""
    checked = 0
    pages = [(f"banding/indikator/{i}", {i}) for i in indicators()] + \
            [(f"banding/seri/{s['id']}", None) for s in series_definitions()]
    for path, ids in pages:
        for data in chart_rows(built, path):
            if not data or "segmen" not in data[0]:
                continue
            stretches = {}
            for r in data:
                stretches.setdefault(r["segmen"], []).append(r)
            for stretch in stretches.values():
                years = sorted(int(r["tahun"]) for r in stretch)
                assert years == list(range(years[0], years[-1] + 1)), (path, stretch)
                assert len({r["satker"] for r in stretch}) == 1, (path, stretch)
                for indicator_id in ids or ():
                    indicator = indicators()[indicator_id]
                    assert all(int(indicator["tahun_mulai"]) <= y <= int(indicator["tahun_selesai"]) for y in years)
                checked += 1
    assert checked >= 10


def test_lines_split_at_breaks_and_at_missing_years():
    """The rule itself, on years the data may not have yet: a satker's line stops at a break
    (the indicator's years end, or years without any figure lie between two columns) and at
    a year it has no figure for."""
    from generator.pages.compare import breaks_of, segments

    years = [2020, 2021, 2022, 2024, 2025]
    breaks = breaks_of(years, (2020, 2022))
    assert set(breaks) == {2024} and "2020–2022" in breaks[2024] and "2023" in breaks[2024]
    assert segments(years, {2020: 1, 2021: 2, 2022: 3, 2024: 4, 2025: 5}, breaks) == \
        {2020: "2020", 2021: "2020", 2022: "2020", 2024: "2024", 2025: "2024"}
    assert segments([2020, 2021, 2022], {2020: 1, 2022: 3}, {}) == {2020: "2020", 2022: "2022"}
    assert set(breaks_of([2020, 2021, 2022, 2024], None)) == {2024}  # not an indicator: only the gap
    assert breaks_of([2021, 2022, 2024, 2025], (2024, 2026)) == {2024: "indikator ini hanya berlaku 2024–2026; "
                                                                      "tidak ada angka tahun 2023"}


def test_without_javascript_every_row_and_column_is_there(built):
    """The HTML alone (what a reader without JavaScript gets) has every satker and year; the
    picker and the note on the charts are hidden until the script shows them; the script is
    our own file, never a CDN."""
    values = rows(built / "build" / "computed" / "seri_tahunan.csv")
    for series_id in {r["series"] for r in values}:
        text = (built / "site" / "banding" / "seri" / series_id / "index.html").read_text(encoding="utf-8")
        columns = Columns(text)
        satkers = {s for t in columns.tables.values() for s in t["satkers"]}
        years = {h["year"] for t in columns.tables.values() for h in t["head"] if h["year"]}
        assert satkers == {r["satker_id"] for r in values if r["series"] == series_id}
        assert years == {r["year"] for r in values if r["series"] == series_id}
        assert re.search(r'<div class="pk-picker" data-pk-picker hidden>', text)
        assert text.count("data-pk-chart-note") == text.count("data-pk-chart-note data-search-exclude hidden>")
        scripts = re.findall(r'<script[^>]*src="([^"]+)"', text)
        assert "../../../assets/portal.js" in scripts  # the site-wide script (mkdocs.yml extra_javascript)
        assert not [s for s in scripts if s.startswith(("http:", "https:", "//"))], scripts
    assert (built / "site" / "assets" / "portal.js").exists()


# --- in a real browser --------------------------------------------------------------------

# The served site and the browsers of the browser tests (same sub-path, same Chromium flags).
from test_browser import desktop, phone, server  # noqa: E402,F401  (pytest fixtures)


def visible(driver, selector: str, attribute: str) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).filter(e => e.offsetParent !== null)"
        ".map(e => e.getAttribute(arguments[1]))", selector, attribute)


def first_table(driver) -> str:
    return driver.execute_script("return document.querySelector('.pk-compare').id")


def pagu(built) -> tuple[dict[str, dict[int, float]], list[int]]:
    found = {}
    for r in rows(built / "build" / "computed" / "seri_tahunan.csv"):
        if r["series"] == "pagu":
            found.setdefault(r["satker_id"], {})[int(r["year"])] = float(r["value"])
    return found, sorted({y for by in found.values() for y in by})


@browser
def test_the_address_chooses_satkers_and_years(server, desktop, built):
    from test_browser import load
    values, years = pagu(built)
    chosen_satkers, chosen_years = sorted(values)[:2], [years[0], years[-1]]
    load(desktop, server + f"banding/seri/pagu/?satker={','.join(chosen_satkers)}&tahun={','.join(map(str, chosen_years))}")
    table = first_table(desktop)
    assert sorted(set(visible(desktop, f"#{table} tr[data-satker]", "data-satker"))) == chosen_satkers
    assert visible(desktop, f"#{table} th[data-tahun]", "data-tahun") == [str(y) for y in chosen_years]
    assert sorted(set(visible(desktop, f"#{table} td[data-tahun]", "data-tahun"))) == sorted(str(y) for y in chosen_years)
    ticked = desktop.execute_script("return Array.from(document.querySelectorAll('[data-pk-picker] input:checked'))"
                                   ".map(i => i.value)")
    assert sorted(ticked) == sorted(chosen_satkers + [str(y) for y in chosen_years])
    errors = [e for e in desktop.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


@browser
def test_unticking_a_box_updates_the_address_and_a_copied_link_keeps_it(server, desktop, built):
    from selenium.webdriver.common.by import By

    from test_browser import load
    values, years = pagu(built)
    load(desktop, server + "banding/seri/pagu/")
    table = first_table(desktop)
    assert sorted(set(visible(desktop, f"#{table} tr[data-satker]", "data-satker"))) == sorted(values)
    assert "?" not in desktop.current_url  # everything shown: nothing in the address
    dropped_satker, dropped_year = sorted(values)[0], years[0]
    desktop.find_element(By.CSS_SELECTOR, f"[data-pk-picker] input[name=satker][value='{dropped_satker}']").click()
    desktop.find_element(By.CSS_SELECTOR, f"[data-pk-picker] input[name=tahun][value='{dropped_year}']").click()
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(desktop.current_url).query)
    assert sorted(query["satker"][0].split(",")) == sorted(values)[1:]
    assert query["tahun"][0].split(",") == [str(y) for y in years[1:]]
    assert dropped_satker not in visible(desktop, f"#{table} tr[data-satker]", "data-satker")
    assert str(dropped_year) not in visible(desktop, f"#{table} [data-tahun]", "data-tahun")
    copied = desktop.current_url
    load(desktop, copied)  # the link, opened again, shows the same choice
    assert sorted(set(visible(desktop, f"#{table} tr[data-satker]", "data-satker"))) == sorted(values)[1:]
    assert str(dropped_year) not in visible(desktop, f"#{table} [data-tahun]", "data-tahun")
    desktop.find_element(By.CSS_SELECTOR, "[data-pk-picker] [data-pk-all]").click()
    assert "?" not in desktop.current_url
    assert sorted(set(visible(desktop, f"#{table} tr[data-satker]", "data-satker"))) == sorted(values)


@browser
def test_a_note_says_the_charts_show_every_satker_while_a_choice_is_made(server, desktop, built):
    """The charts are images of every satker and year: the picker filters the tables, and
    while it does, a note above each chart says the chart is not filtered."""
    from selenium.webdriver.common.by import By

    from test_browser import load
    values, _ = pagu(built)
    load(desktop, server + "banding/seri/pagu/")
    charts = len(desktop.find_elements(By.CSS_SELECTOR, ".pk-chart"))
    assert charts and len(desktop.find_elements(By.CSS_SELECTOR, "[data-pk-chart-note]")) >= 1
    assert visible(desktop, "[data-pk-chart-note]", "class") == []
    desktop.find_element(By.CSS_SELECTOR, f"[data-pk-picker] input[name=satker][value='{sorted(values)[0]}']").click()
    notes = visible(desktop, "[data-pk-chart-note]", "class")
    assert notes and len(notes) == len(desktop.find_elements(By.CSS_SELECTOR, "[data-pk-chart-note]"))
    desktop.find_element(By.CSS_SELECTOR, "[data-pk-picker] [data-pk-all]").click()
    assert visible(desktop, "[data-pk-chart-note]", "class") == []
    load(desktop, server + f"banding/seri/pagu/?satker={sorted(values)[0]}")  # a shared link with a choice
    assert visible(desktop, "[data-pk-chart-note]", "class")


@browser
def test_clicking_a_header_sorts_the_rows(server, desktop, built):
    from selenium.webdriver.common.by import By

    from test_browser import load
    values, years = pagu(built)
    year = max(years, key=lambda y: sum(y in by for by in values.values()))  # the year most satkers have
    load(desktop, server + "banding/seri/pagu/")
    table = first_table(desktop)
    header = desktop.find_element(By.CSS_SELECTOR, f"#{table} th[data-tahun='{year}'] button")
    with_value = sorted((s for s in values if year in values[s]), key=lambda s: values[s][year])
    without = [s for s in visible(desktop, f"#{table} tr[data-satker]", "data-satker") if year not in values[s]]
    header.click()
    assert visible(desktop, f"#{table} tr[data-satker]", "data-satker") == with_value + without  # no figure: last
    assert desktop.find_element(By.CSS_SELECTOR, f"#{table} th[data-tahun='{year}']").get_attribute("aria-sort") == "ascending"
    header.click()
    assert visible(desktop, f"#{table} tr[data-satker]", "data-satker") == with_value[::-1] + without
    assert desktop.find_element(By.CSS_SELECTOR, f"#{table} th[data-tahun='{year}']").get_attribute("aria-sort") == "descending"


@browser
@pytest.mark.parametrize("path", ["banding/", "banding/indikator/indeks-kualitas-layanan-wilayah/",
                                  "banding/seri/realisasi-indikator/?tahun=2022,2025", "banding/anggaran-kinerja/2025/",
                                  "banding/anggaran-kinerja/2025/kanwil-ditjenim-ntt/"])
def test_compare_pages_are_clean_self_hosted_accessible_and_fit_a_phone(path, server, desktop, phone):
    from test_browser import AXE, load, requested_hosts, serious_violations
    load(desktop, server + path)
    errors = [e for e in desktop.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    assert requested_hosts(desktop) == {urllib.parse.urlsplit(server).netloc}
    if os.path.exists(AXE):
        serious = serious_violations(desktop)
        assert not serious, serious
    load(phone, server + path)
    width = phone.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{path} scrolls sideways on a phone: {width}"
