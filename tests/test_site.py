"""The built site against the data: every page, values, downloads, links, search."""
import csv
import glob
import hashlib
import io
import json
import os
import re
import zipfile

import pytest
import yaml
from openpyxl import load_workbook

from conftest import ROOT
from htmlpage import read

DATA = os.path.join(ROOT, "datapackages")


def rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def registry():
    return {r["satker_id"]: r for r in rows(os.path.join(DATA, "referensi", "satker.csv"))}


def satker_years():
    pairs = set()
    for path in glob.glob(os.path.join(DATA, "20*", "*.csv")):
        year = int(os.path.basename(os.path.dirname(path)))
        pairs |= {(r["satker_id"], year) for r in rows(path)}
    return pairs


def test_every_page_exists(built):
    site = built / "site"
    for satker_id in registry():
        assert (site / "satker" / satker_id / "index.html").exists()
    pairs = satker_years()
    assert len(pairs) >= 12
    for satker_id, year in pairs:
        assert (site / "satker" / satker_id / str(year) / "index.html").exists(), (satker_id, year)
    for year in {y for _, y in pairs}:
        assert (site / "tahun" / str(year) / "index.html").exists()
    for row in rows(os.path.join(DATA, "referensi", "indikator.csv")):
        assert (site / "indikator" / row["indikator_id"] / "index.html").exists()
    for name in ("metodologi", "kualitas-data", "data", "tentang"):
        assert (site / name / "index.html").exists()
    for package in os.listdir(DATA):
        if os.path.isfile(os.path.join(DATA, package, "datapackage.yaml")):  # not skema/: schemas, no package
            assert (site / "data" / package / "index.html").exists()


def cell_number(text: str) -> float:
    """'Rp 8.844.706.000' / '99,74 %' / '3,91' -> float."""
    return float(re.sub(r"[^0-9,\-]", "", text).replace(",", "."))


def test_every_table_download_matches_its_table(built):
    site = built / "site"
    checked = 0
    for page_path in site.rglob("index.html"):
        page = read(page_path)
        for table_id, table in page.tables.items():
            assert table["csv"], f"{page_path} {table_id} has no CSV download"
            target = (page_path.parent / table["csv"]).resolve()
            downloaded = list(csv.reader(open(target, encoding="utf-8")))
            assert downloaded[0] == table["header"], (page_path, table_id)
            assert len(downloaded) - 1 == len(table["rows"]), (page_path, table_id)
            for shown, raw in zip(table["rows"], downloaded[1:]):
                for text, value in zip(shown, raw):
                    if value == "":
                        assert text in ("–", ""), (page_path, table_id, text)
                    elif re.fullmatch(r"-?\d+(\.\d+)?", value) and re.search(r"\d", text):
                        assert cell_number(text) == pytest.approx(float(value), abs=0.006), (page_path, text, value)
            checked += 1
    assert checked > 150


def test_capaian_shown_is_the_engine_and_the_data(built):
    """The satker-year page shows each printed capaian and its recomputed value."""
    computed = rows(built / "build" / "computed" / "capaian.csv")
    page = read(built / "site" / "satker" / "kanim-kupang" / "2022" / "index.html")
    table = page.tables["tabel-capaian"]
    header = table["header"]
    shown = {(r[header.index("Capaian terbitan")], r[header.index("Capaian hitung ulang")]) for r in table["rows"]}
    expected = [r for r in computed if r["satker_id"] == "kanim-kupang" and r["year"] == "2022"]
    assert len(table["rows"]) == len(expected)
    for r in expected:
        published = f"{float(r['capaian_published']):.2f}".replace(".", ",") + " %" if r["capaian_published"] else "–"
        recomputed = f"{float(r['capaian_recomputed']):.2f}".replace(".", ",") + " %" if r["capaian_recomputed"] else "–"
        assert (published, recomputed) in shown
    statuses = " ".join(r[header.index("Target tercapai?")] for r in table["rows"])
    assert "Tercapai" in statuses  # words, not colour alone


def test_budget_figures_in_indonesian_format(built):
    page = read(built / "site" / "satker" / "kanim-kupang" / "2022" / "index.html")
    text = " ".join(" ".join(r) for t in page.tables.values() for r in t["rows"])
    assert "Rp 8.844.706.000" in text and "99,74 %" in text


def test_internal_links_and_images_resolve_and_are_relative(built):
    site = built / "site"
    broken = []
    for page_path in site.rglob("*.html"):
        if page_path.name == "404.html":
            continue  # served at any missing path, so MkDocs gives it root-relative links
        page = read(page_path)
        for href in page.links + [i.get("src", "") for i in page.images]:
            if not href or href.startswith(("http://", "https://", "mailto:", "#")):
                continue
            assert not href.startswith("/"), f"absolute link {href} in {page_path}"
            target = (page_path.parent / href.split("#")[0].split("?")[0]).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page_path.relative_to(site)} -> {href}")
    assert not broken, broken[:20]


def test_package_downloads_parse_and_match_the_data(built):
    site = built / "site"
    sums = {line.split("  ")[1]: line.split("  ")[0] for line in (site / "unduh" / "SHA256SUMS").read_text().splitlines()}
    for name, digest in sums.items():
        assert hashlib.sha256((site / "unduh" / name).read_bytes()).hexdigest() == digest, name
    with zipfile.ZipFile(site / "unduh" / "paket-2025.zip") as archive:
        descriptor = yaml.safe_load(archive.read("2025/datapackage.yaml"))
        names = {r["name"] for r in descriptor["resources"]}
        assert names == {os.path.basename(p)[:-4] for p in glob.glob(os.path.join(DATA, "2025", "*.csv"))}
        shipped = list(csv.DictReader(io.StringIO(archive.read("2025/anggaran_jenis_belanja.csv").decode())))
    assert shipped == rows(os.path.join(DATA, "2025", "anggaran_jenis_belanja.csv"))
    book = load_workbook(site / "unduh" / "2025" / "anggaran_jenis_belanja.xlsx")
    sheet = [[c for c in row] for row in book.active.iter_rows(values_only=True)]
    assert sheet[1][4] == 1578147000 and isinstance(sheet[1][4], int)
    assert len(sheet) - 1 == len(shipped)
    computed = rows(site / "unduh" / "hitung-ulang" / "consistency.csv")
    assert {"published", "recomputed", "status"} <= set(computed[0])


def test_charts_are_svg_with_text_alternative_and_spec(built):
    site = built / "site"
    page = read(site / "satker" / "kanwil-ditjenim-ntt" / "2025" / "index.html")
    charts = [i for i in page.images if "grafik/" in i.get("src", "")]
    assert charts
    for image in charts:
        assert len(image.get("alt", "")) > 40
        svg = (site / "satker" / "kanwil-ditjenim-ntt" / "2025" / image["src"]).resolve()
        assert svg.read_text().lstrip().startswith("<svg")
        spec = json.loads(svg.with_suffix(".vl.json").read_text())
        assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_search_index_has_names_not_tables(built):
    index = json.loads((built / "site" / "search" / "search_index.json").read_text())
    text = " ".join(d["title"] + " " + d["text"] for d in index["docs"])
    assert "Atambua" in text and "Indeks Kualitas Layanan Keimigrasian di Wilayah" in text
    assert "8.844.706.000" not in text  # table cells stay out of the index


def test_every_block_is_in_place(built):
    for page_path in (built / "site").rglob("*.html"):
        assert "<!--pk-block:" not in page_path.read_text(encoding="utf-8"), page_path
    assert not list((built / "site").rglob("*.blocks.json"))


def test_titles_are_plain_text(built):
    for page_path in (built / "site").rglob("index.html"):
        title = read(page_path).title
        assert "<" not in title and ">" not in title


def test_formulas_name_their_inputs_in_words(built):
    """The words in every MathML formula (methodology, indicator pages) are words, not codes:
    each capaian formula is written from definitions/capaian.yaml with the column names' words."""
    words = []
    for path in glob.glob(str(built / "site" / "**" / "index.html"), recursive=True):
        text = open(path, encoding="utf-8").read()
        words += [(path, w) for w in re.findall(r"<mtext>([^<]*)</mtext>", text)]
    assert any(w == "Realisasi" for _, w in words) and any(w == "Target" for _, w in words)
    assert [(p, w) for p, w in words if "_" in w] == []
