"""Journalists' downloads and citations: every chart and table download on every page
resolves and parses, under a stable name that says what it is; every page has its
citation, og tags and canonical link; the sitemap lists every page; and the names survive
a data edit."""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
from html.parser import HTMLParser


from conftest import ROOT

HASH = re.compile(r"[0-9a-f]{16,}")
TIDY = ["satker", "tahun", "indikator_atau_seri", "nilai", "satuan", "sumber"]


class Links(HTMLParser):
    """Download links, meta tags, the canonical link and the citation of one page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.downloads, self.meta, self.canonical, self.cite = [], {}, None, ""
        self._in_cite = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "download" in attrs and attrs.get("href"):
            self.downloads.append(attrs["href"])
        if tag == "meta" and attrs.get("property", "").startswith("og:"):
            self.meta[attrs["property"]] = attrs.get("content", "")
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs.get("href")
        if tag == "p" and "pk-cite-text" in (attrs.get("class") or ""):
            self._in_cite = True

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_cite = False

    def handle_data(self, data):
        if self._in_cite:
            self.cite += data


def pages(site):
    return sorted(p for p in site.rglob("index.html"))


def target(site, page, href):
    return (page.parent / urllib.parse.unquote(href.split("#")[0])).resolve()


def slug(site, page) -> str:
    parts = [p for p in page.parent.relative_to(site).parts if p != "satker"]
    return "-".join(parts) or "beranda"


def test_every_download_resolves_parses_and_is_named_by_what_it_is(built):
    site = built / "site"
    checked = {"csv": 0, "json": 0, "png": 0, "svg": 0, "chart-csv": 0}
    for page in pages(site):
        for href in Links(page.read_text(encoding="utf-8")).downloads:
            path = target(site, page, href)
            assert path.is_file(), (page, href)
            name = path.name
            relative = path.relative_to(site.resolve()).as_posix()
            if relative.startswith(("unduh/tabel/", "unduh/grafik/")):
                assert not HASH.search(name), f"{relative}: a content hash in a download name"
                assert name.startswith(slug(site, page) + "-"), (page, relative)
            if name.endswith(".csv"):
                rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
                if relative.startswith("unduh/grafik/"):
                    assert rows and list(rows[0]) == TIDY, relative
                    assert all(r["nilai"] != "" and r["satuan"] and r["sumber"].startswith("LKjIP")
                               for r in rows if r["nilai"] != ""), relative
                    checked["chart-csv"] += 1
                checked["csv"] += 1
            elif name.endswith(".json"):
                json.loads(path.read_text(encoding="utf-8"))
                checked["json"] += 1
            elif name.endswith(".png"):
                assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", relative
                checked["png"] += 1
            elif name.endswith(".svg"):
                assert path.read_text(encoding="utf-8").lstrip().startswith("<svg"), relative
                checked["svg"] += 1
    assert min(checked.values()) >= 10, checked


def test_table_json_matches_its_csv(built):
    site = built / "site"
    tables = sorted((site / "unduh" / "tabel").rglob("*.csv"))
    assert len(tables) > 50
    for path in tables:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        records = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        assert len(records) == len(rows) - 1 and all(list(r) == rows[0] for r in records), path


def test_every_page_has_a_citation_og_tags_and_a_canonical_link(built):
    site = built / "site"
    listed = set(re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")))
    found = pages(site)
    assert len(found) > 40
    for page in found:
        links = Links(page.read_text(encoding="utf-8"))
        assert links.canonical and links.canonical.startswith("http"), page
        assert links.meta.get("og:url") == links.canonical, page
        assert links.meta.get("og:title") and links.meta.get("og:description"), page
        assert links.canonical in listed, (page, links.canonical)
        assert links.cite.startswith("Portal Kinerja Imigrasi NTT.") and links.canonical in links.cite, page
        assert "1970" not in links.cite
    satker_year = Links((site / "satker" / "kanim-kupang" / "2022" / "index.html").read_text(encoding="utf-8"))
    assert "LKjIP 2022 Kanim Kupang: " in satker_year.cite and "Tabel 3.1, hlm. 26" in satker_year.cite
    assert len(listed) == len(found)


def test_site_url_is_set_in_one_place(built, tmp_path):
    """PORTAL_SITE_URL (what CI sets to the Pages address) overrides mkdocs.yml's site_url."""
    exe = os.path.join(os.path.dirname(sys.executable), "portal")
    env = dict(os.environ, PORTAL_SITE_URL="https://contoh.github.io/portal-kinerja")
    done = subprocess.run([exe, "build", "--quiet", "--build-dir", str(built / "build"), "--site-dir", str(tmp_path / "site")],
                          cwd=ROOT, capture_output=True, text=True, timeout=1200, env=env)
    assert done.returncode == 0, done.stderr
    page = Links((tmp_path / "site" / "satker" / "kanim-kupang" / "2022" / "index.html").read_text(encoding="utf-8"))
    assert page.canonical == "https://contoh.github.io/portal-kinerja/satker/kanim-kupang/2022/"


def download_names(site) -> dict[str, list[str]]:
    return {str(page.relative_to(site)): sorted(Links(page.read_text(encoding="utf-8")).downloads)
            for page in pages(site) if "satker" in page.parts}


def test_download_names_survive_a_data_edit(built, tmp_path):
    """Edit one published value, rebuild: every satker page links the same download names,
    while the chart drawn from that value changed."""
    for folder in ("datapackages", "definitions", "laporan"):
        shutil.copytree(os.path.join(ROOT, folder), tmp_path / folder)
    path = tmp_path / "datapackages" / "2022" / "capaian_kinerja.csv"
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if ",ikm-wilayah,3. Indeks" in line)  # Tabel 3.1: the reference printing
    lines[at] = lines[at].replace(',3.91,"3,91",', ',3.95,"3,95",', 1)
    edited = "\n".join(lines)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    exe = os.path.join(os.path.dirname(sys.executable), "portal")
    done = subprocess.run([exe, "build", "--quiet", "--data", str(tmp_path / "datapackages"), "--definitions",
                           str(tmp_path / "definitions"), "--build-dir", str(tmp_path / "build"),
                           "--site-dir", str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    before, after = download_names(built / "site"), download_names(tmp_path / "site")
    assert before == after
    name = "unduh/grafik/satker/kanim-kupang/2022/kanim-kupang-2022-capaian-kinerja.csv"
    assert (built / "site" / name).read_text(encoding="utf-8") != (tmp_path / "site" / name).read_text(encoding="utf-8")
