"""Hostile data: markup, links and formulas in every free-text field never become live
markup in the built site, its search index, its charts or its downloads."""
import csv
import glob
import html
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from conftest import ROOT, descriptor_of

PAYLOADS = [
    '<script>alert("x1")</script>',
    '<img src=x onerror=alert("x2")>',
    'javascript:alert("x3")',
    '[klik](javascript:alert("x4"))',
    "{: onmouseover=\"alert('x5')\" }",
    "| kolom | palsu |",
    "<!-- komentar x6 -->",
    '"><svg onload=alert("x7")>',
]
FORMULAS = ['=HYPERLINK("http://contoh.invalid","x8")', "+1+2", "-3+4", "@SUM(1+1)"]
PROTECTED = re.compile(r"^(sumber_.*|.*_id|tahun.*|periode|komponen|kelompok_layanan|tingkat|jenis.*|dimensi|"
                       r"pembanding|lingkup|register|baris_total|ada_kegiatan|tahap|ukuran|sistem|aspek|dasar_persen|"
                       r"kunci)$")
# A published figure blanked, with its reason in the change record: the site shows the reason (poisoned) in its cell.
BLANKED = ("2025/pemeriksaan_tpi.csv", "kanim-atambua,2025,2,Kanim Kelas II TPI Atambua,402021,")
REASON = "2025,pemeriksaan_tpi,kanim-atambua / 2025 / Tabel 12,jumlah_pemeriksaan,402021,Diperiksa ulang,2026-05-02\n"


def free_text_fields(resource: dict) -> list[str]:
    return [f["name"] for f in resource["schema"]["fields"] if f["type"] == "string"
            and not PROTECTED.match(f["name"]) and not (f.get("constraints") or {}).get("enum")
            and not (f.get("constraints") or {}).get("pattern")]


def poison(folder) -> int:
    """Add a payload to every free-text cell (formulas at the start of some); return cells changed."""
    changed = 0
    for descriptor_path in glob.glob(os.path.join(folder, "*", "datapackage.yaml")):
        descriptor = descriptor_of(descriptor_path)
        for resource in descriptor["resources"]:
            fields = free_text_fields(resource)
            path = os.path.join(os.path.dirname(descriptor_path), resource["path"])
            with open(path, encoding="utf-8", newline="") as fh:
                rows = list(csv.DictReader(fh))
                header = list(rows[0]) if rows else []
            for number, row in enumerate(rows):
                for name in fields:
                    payload = PAYLOADS[(number + changed) % len(PAYLOADS)]
                    original = row[name]
                    if number % 3 == 0:
                        row[name] = f"{FORMULAS[number % len(FORMULAS)]} {original}".strip()
                    else:
                        row[name] = f"{original} {payload}".strip()
                    changed += 1
            if rows:
                with open(path, "w", encoding="utf-8", newline="") as fh:
                    writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
                    writer.writeheader()
                    writer.writerows(rows)
    return changed


class LiveMarkup(HTMLParser):
    """Collects anything that would run or navigate: scripts, event handlers, javascript: URLs,
    and comments or elements made from the payloads."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "script":
            self._script = True
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x>")
        if tag == "svg" and "onload" in dict(attrs):
            self.found.append("<svg onload>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script and "alert(" in data:
            self.found.append("script with alert(")

    def handle_comment(self, data):
        if "komentar" in data:
            self.found.append("payload HTML comment became a comment")


def live_markup(text: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(text)
    return parser.found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    shutil.copytree(os.path.join(ROOT, "datapackages"), base / "datapackages")
    shutil.copytree(os.path.join(ROOT, "laporan"), base / "laporan")  # the report texts, beside the data
    path, row = base / "datapackages" / BLANKED[0], BLANKED[1]
    path.write_text(path.read_text(encoding="utf-8").replace(row, row.replace("402021", "")), encoding="utf-8")
    with open(base / "datapackages" / "referensi" / "perubahan.csv", "a", encoding="utf-8") as fh:
        fh.write(REASON)
    changed = poison(base / "datapackages")
    exe = os.path.join(os.path.dirname(sys.executable), "portal")
    done = subprocess.run([exe, "build", "--quiet", "--data", str(base / "datapackages"),
                           "--definitions", os.path.join(ROOT, "definitions"), "--build-dir", str(base / "build"),
                           "--site-dir", str(base / "site")], cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return base, changed


def test_payloads_were_planted_and_published(hostile):
    base, changed = hostile
    assert changed > 1000
    text = (base / "site" / "satker" / "kanim-kupang" / "2022" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert" in text or "alert(&#34;x1&#34;)" in text or "alert(&quot;x1&quot;)" in text
    blanked = (base / "site" / "satker" / "kanim-atambua" / "2025" / "index.html").read_text(encoding="utf-8")
    assert re.search(r"Dikosongkan 2 Mei 2026: [^<]*Diperiksa ulang", blanked)  # the reason, poisoned, shown


def test_no_live_markup_in_any_page(hostile):
    base, _ = hostile
    problems = {}
    for path in (base / "site").rglob("*.html"):
        found = live_markup(path.read_text(encoding="utf-8"))
        if found:
            problems[str(path.relative_to(base / "site"))] = found[:3]
    assert not problems, problems


def test_titles_and_meta_descriptions_stay_text(hostile):
    """Titles and descriptions show the data as printed (markup characters included, as
    text), and are inert: no tag, no attribute broken out of."""
    base, _ = hostile
    shown = []
    for path in (base / "site").rglob("index.html"):
        head = path.read_text(encoding="utf-8").split("</head>")[0]
        title = re.search(r"<title>(.*?)</title>", head, re.S).group(1)
        assert "<" not in title and ">" not in title, (path, title)
        shown.append(html.unescape(title))
        for content in re.findall(r'<meta (?:name|property)="(?:description|og:[a-z]+)" content="([^"]*)"', head):
            assert "<" not in content and ">" not in content, (path, content)
    assert any(PAYLOADS[0] in title or PAYLOADS[1] in title or PAYLOADS[7] in title for title in shown)


def test_a_pipe_never_shifts_table_columns(hostile):
    base, _ = hostile
    sys.path.insert(0, os.path.join(ROOT, "tests"))
    from htmlpage import read

    for path in (base / "site").rglob("index.html"):
        for table_id, table in read(path).tables.items():
            for row in table["rows"]:
                assert len(row) == len(table["header"]), (path, table_id, row)


def test_search_index_holds_no_live_markup(hostile):
    base, _ = hostile
    index = json.loads((base / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        assert not live_markup(doc["title"]) and not live_markup(doc["text"]), doc["location"]
        assert "<script" not in doc["title"] and "<img" not in doc["text"], doc["location"]


def test_charts_and_specs_hold_no_live_markup(hostile):
    base, _ = hostile
    for svg in (base / "site" / "grafik").glob("*.svg"):
        text = svg.read_text(encoding="utf-8")
        assert not live_markup(text) and "<script" not in text, svg
    for spec in (base / "site" / "grafik").glob("*.vl.json"):
        json.loads(spec.read_text(encoding="utf-8"))  # a data file: payloads only as JSON strings


def test_download_names_are_ids_not_data(hostile):
    base, _ = hostile
    for path in (base / "site").rglob("*"):
        assert re.fullmatch(r"[A-Za-z0-9._/\-]+", str(path.relative_to(base / "site"))), path


def test_csv_cells_cannot_run_as_formulas_and_numbers_stay_exact(hostile):
    base, _ = hostile
    for path in (base / "site").rglob("*.csv"):
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                        assert re.fullmatch(r"-?\d+(\.\d+)?", cell), (path, cell)
    original = {r["sumber_baris"]: r for r in csv.DictReader(open(os.path.join(ROOT, "datapackages", "2025", "anggaran_kegiatan.csv"), encoding="utf-8"))}
    shipped = list(csv.DictReader(open(base / "site" / "unduh" / "2025" / "anggaran_kegiatan.csv", encoding="utf-8")))
    for row in shipped:
        for column in ("anggaran_rp", "realisasi_rp", "realisasi_persen"):
            assert row[column] == original[row["sumber_baris"]][column]
    assert any(r["label_tercetak"].startswith("'") for r in shipped)
