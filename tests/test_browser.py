"""The built site in real headless Chromium: no errors, nothing fetched from elsewhere,
charts visible, no sideways scrolling on a phone, search, downloads, accessibility.

The site is served under a sub-path (/portal-kinerja/), like project pages. Runs when
Debian's chromium and chromedriver are installed (.ci/run installs them); skipped, with
the reason, when they are not.
"""
import csv
import functools
import http.server
import io
import json
import os
import shutil
import threading
import time
import urllib.parse
import urllib.request
import zipfile

import pytest
import yaml
from openpyxl import load_workbook

from conftest import ROOT
from htmlpage import Page

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="Chromium or ChromeDriver not installed "
                                 "(apt-get install chromium chromium-driver; .ci/run does)")]
PREFIX = "/portal-kinerja/"
AXE = os.path.join(ROOT, "tests", "browser", "node_modules", "axe-core", "axe.min.js")
PAGES = {"home": "", "satker": "satker/kanim-kupang/", "satker-year": "satker/kanwil-ditjenim-ntt/2025/",
         "year": "tahun/2025/", "catalogue": "data/", "change-log": "riwayat/"}


class SubPathHandler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path):
        path = urllib.parse.urlsplit(path).path
        if not path.startswith(PREFIX):
            return "/nonexistent"
        return super().translate_path("/" + path[len(PREFIX):])

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(built):
    handler = functools.partial(SubPathHandler, directory=str(built / "site"))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
    httpd.shutdown()


def new_driver(width: int, height: int = 900):
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    return driver


@pytest.fixture(scope="module")
def desktop():
    driver = new_driver(1280)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def phone():
    driver = new_driver(375, 800)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 375, "height": 800, "deviceScaleFactor": 2, "mobile": True})
    yield driver
    driver.quit()


def load(driver, url: str) -> None:
    driver.get_log("performance")  # drop earlier entries
    driver.get_log("browser")
    driver.get(url)
    for _ in range(50):  # wait for images and the search worker to settle
        if driver.execute_script("return document.readyState === 'complete' && "
                                 "Array.from(document.images).every(i => i.complete)"):
            break
        time.sleep(0.1)
    time.sleep(0.3)


def requested_hosts(driver) -> set[str]:
    hosts = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if not url.startswith(("data:", "blob:")):
                hosts.add(urllib.parse.urlsplit(url).netloc)
    return hosts


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_loads_clean_and_self_hosted(name, server, desktop):
    load(desktop, server + PAGES[name])
    errors = [e for e in desktop.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors
    hosts = requested_hosts(desktop)
    assert hosts == {urllib.parse.urlsplit(server).netloc}, hosts


@pytest.mark.parametrize("name", ["home", "satker", "satker-year", "year", "change-log"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_charts_visible_and_no_sideways_scroll(name, device, server, request):
    driver = request.getfixturevalue(device)
    load(driver, server + PAGES[name])
    charts = driver.execute_async_script(  # lazy images load once scrolled to, as for a reader
        "const done = arguments[arguments.length - 1];"
        "const images = Array.from(document.querySelectorAll('.pk-chart img'));"
        "(async () => { for (const i of images) { i.scrollIntoView();"
        "  for (let n = 0; n < 100 && !(i.complete && i.naturalWidth); n++) await new Promise(r => setTimeout(r, 50)); }"
        " done(images.map(i => ({w: i.naturalWidth, h: i.naturalHeight, rw: i.getBoundingClientRect().width,"
        "  rh: i.getBoundingClientRect().height, src: i.currentSrc}))); })();")
    if name in ("satker", "satker-year", "year"):
        assert charts, "no chart on the page"
    for chart in charts:
        assert chart["src"].endswith(".svg") and min(chart["w"], chart["h"], chart["rw"], chart["rh"]) > 0, chart
    width = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"page scrolls sideways: {width}"


def search(driver, server, text: str) -> list[str]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    load(driver, server)
    box = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
    driver.execute_script("arguments[0].focus()", box)
    box.send_keys(text)
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".md-search-result__item a"))
    return [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".md-search-result__item a")]


def test_search_finds_atambua(server, desktop):
    links = search(desktop, server, "Atambua")
    assert any("/satker/kanim-atambua/" in link for link in links), links


def test_search_finds_an_indicator_by_part_of_its_name(server, desktop):
    links = search(desktop, server, "Penegakan Hukum")
    assert any("/indikator/indeks-penegakan-hukum-wilayah/" in link for link in links), links


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return response.read()


def parse(name: str, data: bytes):
    if name.endswith(".csv"):
        return list(csv.reader(io.StringIO(data.decode("utf-8"))))
    if name.endswith(".json"):
        return json.loads(data)
    if name.endswith(".xlsx"):
        return [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]
    if name.endswith(".zip"):
        return zipfile.ZipFile(io.BytesIO(data)).namelist()
    if name.endswith(".yaml"):
        return yaml.safe_load(data)
    return data.decode("utf-8").splitlines()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_download_parses_and_matches_the_page(name, server):
    url = server + PAGES[name]
    page = Page(fetch(url).decode("utf-8"))
    downloads = [href for href in page.links if href.endswith((".csv", ".json", ".xlsx", ".zip", ".yaml", "SHA256SUMS"))]
    assert downloads
    for table in page.tables.values():
        rows = parse(".csv", fetch(urllib.parse.urljoin(url, table["csv"])))
        assert rows[0] == table["header"] and len(rows) - 1 == len(table["rows"])
    for href in downloads:
        content = parse(href, fetch(urllib.parse.urljoin(url, href)))
        assert content, href


def test_catalogue_row_counts_match_the_files(server):
    url = server + "data/2025/"
    page = Page(fetch(url).decode("utf-8"))
    text = fetch(url).decode("utf-8")
    for href in [h for h in page.links if h.endswith(".csv") and "/unduh/2025/" in urllib.parse.urljoin(url, h)]:
        rows = parse(".csv", fetch(urllib.parse.urljoin(url, href)))
        name = href.rsplit("/", 1)[1][:-4]
        assert f"<code>{name}</code> · {len(rows) - 1} baris" in text, name


@pytest.mark.skipif(not os.path.exists(AXE), reason="axe-core not installed: run `make test` (npm ci)")
@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_serious_accessibility_violations(name, server, desktop):
    load(desktop, server + PAGES[name])
    serious = serious_violations(desktop)
    assert not serious, serious


def serious_violations(driver) -> list[dict]:
    """axe-core's serious and critical violations on the loaded page."""
    driver.execute_script(open(AXE, encoding="utf-8").read())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map("
        "v => ({id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help}))));")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def test_keyboard_reaches_the_downloads(server, desktop):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    load(desktop, server + PAGES["satker-year"])
    desktop.find_element("tag name", "body").click()
    for _ in range(400):
        ActionChains(desktop).send_keys(Keys.TAB).perform()
        if desktop.execute_script("const a = document.activeElement; return a && a.hasAttribute('download')"):
            return
    pytest.fail("no download link reached with the Tab key")


def satker_year_paths(site) -> list[str]:
    return sorted(str(p.parent.relative_to(site)) + "/" for p in site.glob("satker/*/*/index.html"))


def test_every_satker_year_page_answers_on_the_first_phone_screen(server, phone, built):
    """The answer (its sentence, or what the report does not give) ends within the first 800
    px at 375 px, and its glance starts there; no page scrolls sideways."""
    paths = satker_year_paths(built / "site")
    assert len(paths) >= 10
    late = []
    for path in paths:
        load(phone, server + path)
        box = phone.execute_script(
            "const a = document.querySelector('.pk-answer'); if (!a) return null;"
            "const text = a.querySelectorAll('.pk-answer-text, .pk-answer-missing');"
            "const glance = a.querySelector('.pk-glance');"
            "return {text: text.length ? Math.max(...Array.from(text).map(e => e.getBoundingClientRect().bottom)) + scrollY : null,"
            " glance: glance ? glance.getBoundingClientRect().top + scrollY : null, words: a.innerText,"
            " width: [document.documentElement.scrollWidth, innerWidth]}")
        assert box and box["text"] is not None and box["glance"] is not None, (path, box)
        assert box["width"][0] <= box["width"][1], (path, box["width"])
        if box["text"] > 800 or box["glance"] > 800:
            late.append((path, round(box["text"]), round(box["glance"])))
    assert not late, late


@pytest.mark.parametrize("query,expected", [("paspor", "/satker/kanim-atambua/2025/"), ("IKPA", "/satker/kanim-kupang/2022/"),
                                            ("anggaran Kupang 2022", "/satker/kanim-kupang/2022/")])
def test_search_finds_an_office_year_by_what_it_contains(query, expected, server, desktop):
    """Section names, their tables' captions and the answer sentence are indexed."""
    links = search(desktop, server, query)
    assert any(expected in link for link in links[:10]), (query, links)


# --- sortable tables (theme/assets/portal.js) ---------------------------------------------

def indonesian_number(text: str) -> float | None:
    """'Rp 8.844.706.000' / '99,74 %' / '3,91' -> float; None for '–' or words."""
    bare = text.replace("Rp", "").replace("%", "").strip()
    if not bare or not all(c.isdigit() or c in ".,-" for c in bare):
        return None
    return float(bare.replace(".", "").replace(",", "."))


ROWS = ("return Array.from(document.querySelectorAll(arguments[0] + ' tbody tr')).map(tr => Array.from(tr.cells).map("
        "td => { const c = td.cloneNode(true); c.querySelectorAll('.pk-flag, details > :not(summary)').forEach(e => e.remove());"
        " return c.textContent.trim(); }).concat([tr.querySelector('details.pk-fold') ? tr.querySelector('details.pk-fold').textContent : '']))")


def table_rows(driver, selector: str) -> list[list[str]]:
    """Each row's cells as shown (notes and folded lines left out), then the text of the
    other printings folded in the row ('' when it has none)."""
    return driver.execute_script(ROWS, selector)


def header(driver, selector: str, label: str):
    from selenium.webdriver.common.by import By
    return next(th for th in driver.find_elements(By.CSS_SELECTOR, f"{selector} thead th") if th.text.startswith(label))


def sortable_with_folds(driver) -> tuple[str, int]:
    """A sortable table of the page whose rows fold other printings, and a column of it whose
    values are all numbers, at least two of them different: one whose order as text is not
    its order as numbers where there is one."""
    found = []
    for table_id in driver.execute_script(
            "return Array.from(document.querySelectorAll('.pk-table')).filter(d => d.querySelector("
            "'table.pk-sorting tbody details.pk-fold')).map(d => d.id)"):
        rows = table_rows(driver, f"#{table_id}")
        for index in range(len(rows[0]) - 1):
            values = [indonesian_number(r[index]) for r in rows]
            if None not in values and len(set(values)) > 1:
                as_text = [indonesian_number(t) for t in sorted(r[index] for r in rows)]
                found.append((as_text == sorted(values), f"#{table_id}", index))
    if not found:
        pytest.fail("no sortable table with folded printings and a column of numbers on the page")
    return min(found)[1:]


def test_sorting_a_column_orders_rows_by_number_and_keeps_folded_printings(server, desktop):
    load(desktop, server + PAGES["satker-year"])
    selector, index = sortable_with_folds(desktop)
    before = table_rows(desktop, selector)
    th = desktop.find_elements("css selector", f"{selector} thead th")[index]
    th.find_element("css selector", "button").click()
    after = table_rows(desktop, selector)
    assert th.get_attribute("aria-sort") == "ascending"
    assert [indonesian_number(r[index]) for r in after] == sorted(indonesian_number(r[index]) for r in before)
    assert sorted(map(tuple, after)) == sorted(map(tuple, before))  # every row whole, its folded printings with it
    th.find_element("css selector", "button").click()
    assert th.get_attribute("aria-sort") == "descending"
    assert [indonesian_number(r[index]) for r in table_rows(desktop, selector)] == \
        sorted((indonesian_number(r[index]) for r in before), reverse=True)


def test_sorting_puts_cells_without_a_figure_last_both_ways(server, desktop):
    """The glance of the home page: some offices have no budget figure ('–')."""
    load(desktop, server)
    selector = "#tabel-ringkas-terbaru"
    before = table_rows(desktop, selector)
    index = [th.text.rstrip(" ↕▲▼\u00a0") for th in desktop.find_elements("css selector", f"{selector} thead th")].index("Pagu")
    values = [indonesian_number(r[index]) for r in before]
    assert None in values and len({v for v in values if v is not None}) > 1, values
    button = desktop.find_elements("css selector", f"{selector} thead th")[index].find_element("css selector", "button")
    for order in (sorted, lambda v: sorted(v, reverse=True)):
        button.click()
        shown = [indonesian_number(r[index]) for r in table_rows(desktop, selector)]
        numbers = [v for v in values if v is not None]
        assert shown == order(numbers) + [None] * (len(values) - len(numbers))


def test_sorting_by_keyboard(server, desktop):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    load(desktop, server + PAGES["satker-year"])
    selector, index = sortable_with_folds(desktop)
    before = [indonesian_number(r[index]) for r in table_rows(desktop, selector)]
    th = desktop.find_elements("css selector", f"{selector} thead th")[index]
    button = th.find_element("css selector", "button")
    desktop.execute_script("arguments[0].focus()", button)
    assert desktop.switch_to.active_element == button
    ActionChains(desktop).send_keys(Keys.ENTER).perform()
    assert th.get_attribute("aria-sort") == "ascending"
    assert [indonesian_number(r[index]) for r in table_rows(desktop, selector)] == sorted(before)
    ActionChains(desktop).send_keys(Keys.SPACE).perform()
    assert th.get_attribute("aria-sort") == "descending"
    assert [indonesian_number(r[index]) for r in table_rows(desktop, selector)] == sorted(before, reverse=True)


def test_hierarchical_tables_keep_the_reports_order(server, desktop, built):
    """A table the generator marks data-nosort (parts under their whole, totals) gets no
    sort buttons, and every other table of more than one row does."""
    load(desktop, server + PAGES["satker-year"])
    tables = desktop.execute_script(
        "return Array.from(document.querySelectorAll('table.pk-data')).map(t => ({id: t.closest('.pk-table').id,"
        " nosort: t.hasAttribute('data-nosort'), rows: t.tBodies[0].rows.length, buttons: t.querySelectorAll('th button').length,"
        " columns: t.tHead.rows[0].cells.length}))")
    assert any(t["nosort"] and t["rows"] > 1 for t in tables) and any(not t["nosort"] for t in tables)
    for t in tables:
        assert t["buttons"] == (0 if t["nosort"] else t["columns"]), t
        assert t["nosort"] or t["rows"] > 1, t


@pytest.fixture(scope="module")
def no_script():
    """A browser with JavaScript switched off."""
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--window-size=375,800"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def test_without_javascript_every_row_shows_in_the_reports_order(server, no_script, built):
    """No script: every table has all the rows of its download, in the order of the page's
    HTML, no sort button, and on a phone the headers stay out of the way of the cards."""
    url = server + PAGES["satker-year"]
    page = Page(fetch(url).decode("utf-8"))
    no_script.get(url)
    assert not no_script.find_elements("css selector", "button.pk-sort")
    for table_id, table in page.tables.items():
        csv_rows = parse(".csv", fetch(urllib.parse.urljoin(url, table["csv"])))
        shown = no_script.execute_script(
            "const d = document.getElementById(arguments[0]); const t = d.querySelector('table');"
            "return {rows: t.tBodies[0].rows.length, head: t.tHead.getBoundingClientRect().height,"
            " visible: Array.from(t.tBodies[0].rows).filter(r => r.offsetParent !== null).length,"
            " folded: !!d.querySelector('details.pk-fold-table')}", table_id)
        assert shown["rows"] == len(csv_rows) - 1 == len(table["rows"]), table_id
        assert shown["folded"] or shown["visible"] == shown["rows"], table_id
        assert shown["head"] <= 1, table_id  # the headers are read aloud, not shown: each card names its fields
