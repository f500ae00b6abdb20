"""The change log (Riwayat perubahan data), its Atom feed, "Terakhir diperbarui" on every
page and the data packages' version rule, on real git repositories in tmp_path holding a
copy of the real data: one commit of it, then test commits with known dates and edits.
The site builds start from the session build's caches, so they take seconds."""
import datetime
import os
import pickle
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT, csv_rows, git, write_csv_rows
from generator import fmt, history
from generator.pages import Glossary, PageRenderer, gather
from generator.pages.history import history_page
from htmlpage import read, visible_text

ATOM = "{http://www.w3.org/2005/Atom}"
IKPA = "datapackages/2025/ikpa_komponen.csv"
SITE_URL = "https://contoh.example/portal-kinerja/"
WHEN = "2027-03-04T10:00:00+08:00"  # the test commit's date: what the 2025 pages must print
MESSAGE = ('Koreksi nilai <b>revisi DIPA</b> & "IKPA" <script>alert(1)</script>\n\n'
           "Baris kedua: sesuai Tabel 21. {{ 7*7 }} **tebal** [tautan](https://contoh.example) <!--pk-block:0-->")


@pytest.fixture
def repo(real_repo):
    """A git repository whose one commit holds copies of the real data, report texts and definitions."""
    return real_repo




def set_cell(path, line: int, column: str, value: str) -> str:
    """Write `value` into `column` of CSV line `line` (2 = the first row); return the old value."""
    table = csv_rows(path)
    at = table[0].index(column)
    old, table[line - 1][at] = table[line - 1][at], value
    write_csv_rows(path, table)
    return old


def commit(repo, message: str, when: str = WHEN) -> str:
    git(repo, "commit", "-qam", message, env={"GIT_COMMITTER_DATE": when, "GIT_AUTHOR_DATE": when})
    return git(repo, "rev-parse", "HEAD").strip()


def build(base, data, built):
    """`portal build` of `data` into base/site, from a copy of the session build's caches."""
    shutil.copytree(built / "build", base / "build")
    exe = os.path.join(os.path.dirname(sys.executable), "portal")
    done = subprocess.run([exe, "build", "--data", str(data), "--build-dir", str(base / "build"),
                           "--site-dir", str(base / "site")], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, PORTAL_SITE_URL=SITE_URL))
    assert done.returncode == 0, done.stdout + done.stderr
    return base / "site", done.stderr


def pages(site):
    """Every page of the site (the theme's 404 page is no page of the data)."""
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts and p.name != "404.html")


def updated(path) -> str:
    found = re.search(r'Terakhir diperbarui: (?:<time datetime="([0-9-]+)">|(tidak diketahui))',
                      path.read_text(encoding="utf-8"))
    assert found, f"{path}: no 'Terakhir diperbarui'"
    return found.group(1) or found.group(2)


# --- the whole loop: a commit, the page, the feed, the dates --------------------------------

def test_a_commit_shows_on_the_change_log_the_feed_and_the_dates(repo, built, tmp_path):
    first_date = git(repo, "log", "-1", "--format=%cI").strip()[:10]
    old = set_cell(repo / IKPA, 2, "nilai", "99.5")
    assert old == "100.0"
    commit_id = commit(repo, MESSAGE)
    site, log = build(tmp_path, repo / "datapackages", built)
    assert "riwayat perubahan data tidak tersedia" not in log

    # the page: the commit first, its message escaped as written, the figure old -> new with its place
    html = (site / "riwayat" / "index.html").read_text(encoding="utf-8")
    entries = re.findall(r'<h2 id="perubahan-([0-9a-f]{10})">', html)
    assert entries[0] == commit_id[:10] and len(entries) == 2  # newest first: the test commit, then the data
    assert "4 Maret 2027: 1 angka diubah" in html
    assert "&lt;b&gt;revisi DIPA&lt;/b&gt; &amp; &#34;IKPA&#34; &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html and "<b>revisi DIPA" not in html
    assert ("Baris kedua: sesuai Tabel 21. {{ 7*7 }} **tebal** [tautan](https://contoh.example) "
            "&lt;!--pk-block:0--&gt;") in html  # as written: no template, no Markdown, no placeholder
    table = read(site / "riwayat" / "index.html").tables[f"tabel-perubahan-{commit_id[:10]}"]
    header = table["header"]
    assert header == ["Perubahan", "Satker", "Tahun", "Tabel", "Kolom", "Angka lama", "Angka baru", "Sumber"]
    [row] = table["rows"]
    shown = dict(zip(header, row))
    satker = {r[0]: r for r in csv_rows(repo / "datapackages" / "referensi" / "satker.csv")}
    names = csv_rows(repo / "datapackages" / "referensi" / "satker.csv")[0]
    short = satker["kanwil-ditjenim-ntt"][names.index("nama_singkat")]
    line = dict(zip(csv_rows(repo / IKPA)[0], csv_rows(repo / IKPA)[1]))
    assert shown["Perubahan"] == "Diubah" and shown["Satker"] == short and shown["Tahun"] == "2025"
    assert shown["Tabel"].startswith("Komponen IKPA: ") and shown["Angka lama"] == "100,0" and shown["Angka baru"] == "99,5"
    assert shown["Sumber"].endswith(f"Tabel 21, hlm. {line['sumber_halaman']}")
    # the first commit brought every figure: folded, and capped at the configured rows
    folded = re.search(r'<details class="pk-fold-table"><summary>Tampilkan 100 dari ([0-9.]+) perubahan angka</summary>',
                       html)
    assert folded and int(folded.group(1).replace(".", "")) > 1000
    assert f"{int(folded.group(1).replace('.', '')) - 100} perubahan lain tidak ditampilkan di sini" in html

    # the feed: Atom 1.0, absolute links from the site address, the same entries
    feed = ET.parse(site / "riwayat.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == SITE_URL + "riwayat.xml"
    items = feed.findall(f"{ATOM}entry")
    assert len(items) == 2
    for item in items:
        for tag in ("id", "title", "updated", "summary", "content"):
            assert item.find(f"{ATOM}{tag}") is not None, tag
        datetime.datetime.fromisoformat(item.find(f"{ATOM}updated").text)  # RFC 3339
        assert item.find(f"{ATOM}link").get("href").startswith(SITE_URL + "riwayat/#perubahan-")
    assert items[0].find(f"{ATOM}updated").text == WHEN
    assert feed.find(f"{ATOM}updated").text == WHEN
    content = items[0].find(f"{ATOM}content").text
    assert "100,0 → 99,5" in content and "&lt;script&gt;" in content
    head = (site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml" title="Riwayat perubahan data" href="./riwayat.xml">' in head

    # Terakhir diperbarui: a 2025 page, the commit's date; a 2022 page, the first commit's; others, the latest
    assert updated(site / "satker" / "kanwil-ditjenim-ntt" / "2025" / "index.html") == "2027-03-04"
    assert updated(site / "tahun" / "2025" / "index.html") == "2027-03-04"
    assert updated(site / "data" / "2025" / "index.html") == "2027-03-04"
    assert updated(site / "satker" / "kanim-kupang" / "2022" / "index.html") == first_date
    assert updated(site / "data" / "referensi" / "index.html") == first_date
    assert updated(site / "index.html") == updated(site / "tentang" / "index.html") == "2027-03-04"
    assert "Terakhir diperbarui: <time datetime=\"2027-03-04\">4 Maret 2027</time>" in head
    assert f"Data versi 4 Maret 2027 ({commit_id[:10]})" in head  # the citation names the data's last commit
    assert all(updated(p) for p in pages(site))

    # the version rule: 2025's data changed since its version was set, values only: a patch
    major, minor, patch = current_version(repo).split(".")
    assert f"naikkan menjadi {major}.{minor}.{int(patch) + 1} (patch: hanya nilai yang diubah)" in visible_text(html)


def test_without_git_the_build_says_the_history_is_not_available(built, tmp_path):
    for folder in ("datapackages", "laporan"):
        shutil.copytree(os.path.join(ROOT, folder), tmp_path / "data" / folder)
    site, log = build(tmp_path, tmp_path / "data" / "datapackages", built)
    assert "riwayat perubahan data tidak tersedia: folder data `datapackages` tidak berada di dalam repositori git" in log
    html = (site / "riwayat" / "index.html").read_text(encoding="utf-8")
    assert ("Riwayat perubahan data tidak tersedia di salinan situs ini: folder data <code>datapackages</code> tidak "
            "berada di dalam repositori git.") in html
    assert all(updated(p) == "tidak diketahui" for p in pages(site))
    # the citation's date: the newest data file's, never 1 January 1970 (no commit to ask)
    newest = max(p.stat().st_mtime for p in (tmp_path / "data" / "datapackages").rglob("*") if p.is_file())
    when = fmt.date(datetime.datetime.fromtimestamp(int(newest), tz=datetime.timezone.utc).date().isoformat())
    head = (site / "index.html").read_text(encoding="utf-8")
    assert f"Data versi {when}" in head and "1970" not in head
    feed = ET.parse(site / "riwayat.xml").getroot()
    assert feed.tag == f"{ATOM}feed" and feed.findall(f"{ATOM}entry") == []


def test_without_the_git_command_the_history_is_not_available(repo, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a computer without git
    found = history.read(str(repo / "datapackages"), None, 30)
    assert not found.available and found.reason.render("id") == "perintah `git` tidak tersedia di komputer ini"
    assert history.versions(str(repo / "datapackages")) == []


def test_a_shallow_clone_has_no_history_and_the_page_says_why(repo, tmp_path, real_data):
    set_cell(repo / IKPA, 2, "nilai", "99.5")
    commit(repo, "kedua")
    shallow = tmp_path / "dangkal"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    found = history.read(str(shallow / "datapackages"), None, 30)
    assert not found.available and found.entries == [] and found.last == {}
    assert "salinan repositori ini dangkal" in found.reason.render("id")
    assert history.versions(str(shallow / "datapackages")) == []
    packages, definitions = real_data
    site = gather(packages, definitions, [])
    page = PageRenderer(None, Glossary(None))(history_page(site, found, 100))["riwayat/index.md"].decode("utf-8")
    assert "Riwayat perubahan data tidak tersedia di salinan situs ini: salinan repositori ini dangkal" in page
    assert "<code>fetch-depth: 0</code>" in page


# --- what a commit changed, cached ----------------------------------------------------------

def test_entries_newest_first_with_their_figures_and_the_cache_is_by_commit(repo, tmp_path):
    old = set_cell(repo / IKPA, 3, "nilai", "90.0")
    second = commit(repo, "kedua", "2027-01-01T08:00:00+08:00")
    (repo / "datapackages" / "CONTRIBUTING.md").write_text("bukan data\n", encoding="utf-8")
    git(repo, "add", "datapackages")
    commit(repo, "panduan saja", "2027-01-02T08:00:00+08:00")  # no data file: no entry
    cache = tmp_path / "cache"
    found = history.read(str(repo / "datapackages"), str(cache), 30)
    assert found.available and found.total == 2
    assert [e.commit.id for e in found.entries][0] == second
    first = found.entries[0]
    assert first.commit.message == "kedua" and first.commit.packages == ["2025"]
    assert first.count == {"added": 0, "changed": 1, "removed": 0, "text": 0}
    [change] = first.changes
    assert (change.satker, change.year, change.resource, change.column, change.old, change.new) == \
        ("kanwil-ditjenim-ntt", "2025", "ikpa_komponen", "nilai", old, "90.0")
    assert found.last["2025"].id == second and found.last["2022"].id != second
    assert found.changed("2022").id == found.changed("referensi").id  # a 2022 page: its package or the reference
    assert found.changed().id == second
    # a commit's changes are kept under the ids of the commit and its parent: what is there is used
    key = history.digest_of(history.CODE, first.commit.parent, second)
    path = cache / f"{key}.pickle"
    count, changes, notes = pickle.loads(path.read_bytes())
    path.write_bytes(pickle.dumps((dict(count, changed=7), changes, notes)))
    assert history.read(str(repo / "datapackages"), str(cache), 30).entries[0].count["changed"] == 7
    assert len(history.read(str(repo / "datapackages"), str(cache), 1).entries) == 1  # the limit


# --- the version rule -----------------------------------------------------------------------

def version(repo, package="2025"):
    return next(v for v in history.versions(str(repo / "datapackages")) if v.package == package)


DESCRIPTOR_2025 = "datapackages/2025/datapackage.yaml"


def current_version(repo) -> str:
    return re.search(r"^version: (.+)$", (repo / DESCRIPTOR_2025).read_text(encoding="utf-8"), re.M).group(1)


def set_version(repo, value: str) -> None:
    path = repo / DESCRIPTOR_2025
    path.write_text(path.read_text(encoding="utf-8").replace(f"version: {current_version(repo)}\n", f"version: {value}\n", 1),
                    encoding="utf-8")


def test_version_rule_patch_minor_major_and_raised(repo):
    set_version(repo, "2.3.4")
    assert not version(repo).stale  # raised, not committed yet: up to date
    set_id = commit(repo, "versi 2.3.4")
    assert not version(repo).stale  # nothing changed since 2.3.4 was set
    set_cell(repo / IKPA, 2, "nilai", "99.5")
    found = version(repo)
    assert (found.version, found.level, found.suggested, found.count["changed"]) == ("2.3.4", "patch", "2.3.5", 1)
    assert found.line == 7 and found.since.id == set_id
    commit(repo, "koreksi tanpa menaikkan versi")
    assert version(repo).suggested == "2.3.5"  # committed: still changed since 2.3.4 was set

    table = csv_rows(repo / IKPA)
    write_csv_rows(repo / IKPA, table + [table[1][:-1] + ["9999"]])  # a row more (its key differs by the source line)
    assert (version(repo).level, version(repo).suggested) == ("minor", "2.4.0")

    set_version(repo, "2.4.0")
    commit(repo, "versi 2.4.0")
    assert not version(repo).stale

    table = csv_rows(repo / IKPA)  # a column removed from the CSV and from the shared schema: major
    at = table[0].index("catatan")
    write_csv_rows(repo / IKPA, [r[:at] + r[at + 1:] for r in table])
    import yaml
    schema_path = repo / "datapackages" / "skema" / "ikpa_komponen.yaml"
    schema = yaml.safe_load(schema_path.read_text(encoding="utf-8"))
    schema["fields"] = [f for f in schema["fields"] if f["name"] != "catatan"]
    schema_path.write_text(yaml.safe_dump(schema, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found = version(repo)
    assert (found.level, found.suggested) == ("major", "3.0.0")
    assert version(repo, "2022").level == "major"  # 2022's ikpa_komponen shares the schema
    assert version(repo, "2021").stale is False  # no ikpa_komponen that year
    set_version(repo, "versi-baru")
    commit(repo, "bukan semver")
    set_cell(repo / IKPA, 2, "nilai", "98.0")
    found = version(repo)
    assert found.level == "patch" and found.suggested == ""  # not MAJOR.MINOR.PATCH: says so, suggests none
    assert "`MAYOR.MINOR.PATCH`" in history.stale_message(found).render("id")


def test_version_levels_follow_the_data_package_version_recipe():
    from generator.diff import Change, Table

    def table(**fields):
        return {("2025", "pnbp"): Table("pnbp.csv", fields, ["satker_id"], {})}

    old = table(satker_id="string", jumlah="integer")
    changed = [Change("changed", "2025", "pnbp", "kanim-kupang", "2025", "", "pnbp", "jumlah", "1", "2", figure=True)]
    added = [Change("added", "2025", "pnbp", "kanim-kupang", "2025", "", "pnbp", "jumlah", None, "2", figure=True)]
    assert history.level(old, old, []) == ""
    assert history.level(old, old, changed) == "patch"
    assert history.level(old, old, added) == "minor"
    assert history.level(old, old | {("2025", "pegawai"): old[("2025", "pnbp")]}, []) == "minor"  # a table added
    assert history.level(old, table(satker_id="string", jumlah="number"), []) == "major"  # retyped
    assert history.level(old, table(satker_id="string", jumlah="integer", catatan="string"), []) == "major"  # added
    assert history.level(old, table(jumlah="integer", satker_id="string"), []) == "major"  # reordered
    assert history.level(old, {}, []) == "major"  # the table removed
    assert [history.bump("1.2.3", level) for level in ("patch", "minor", "major")] == ["1.2.4", "1.3.0", "2.0.0"]
    assert history.bump("v1", "patch") == ""


def test_validate_warns_of_a_version_not_raised_and_still_passes(repo, run_portal):
    set_version(repo, "1.0.0")
    commit(repo, "versi 1.0.0")
    set_cell(repo / IKPA, 2, "nilai", "99.5")
    code, out, err = run_portal("validate", "--data", str(repo / "datapackages"), "--definitions", "none",
                                "--quiet", cwd=repo)
    assert code == 0, out + err
    assert out.startswith("datapackages/2025/datapackage.yaml:7 [version]: data paket 2025 berubah sejak versi 1.0.0 "
                          "ditetapkan (")
    assert "1 nilai diubah, 0 ditambah, 0 dihapus; naikkan `version` menjadi 1.0.1 (patch: hanya nilai yang diubah;" in out
    code, out, _ = run_portal("validate", "--data", str(repo / "datapackages"), "--definitions", "none", "--quiet",
                              "--format", "github", cwd=repo)
    assert out.startswith("::warning file=datapackages/2025/datapackage.yaml,line=7,title=Versi paket data belum "
                          "dinaikkan::")


def test_the_real_packages_follow_the_rule():
    """Every package of this repository has its version raised after its data changed
    (when the history is here: a shallow clone cannot tell). This is what stops a pull
    request that forgot: `portal validate` only warns, so that a preview is never held up."""
    stale = [history.stale_message(v).render("id") for v in history.versions(os.path.join(ROOT, "datapackages"))
             if v.stale]
    assert stale == [], "\n".join(stale)


def test_written_numbers_keep_every_decimal():
    assert fmt.written("8844706000", "IDR") == "Rp 8.844.706.000"
    assert fmt.written("23.2547") == "23,2547" and fmt.written("100.0", "percent") == "100,0 %"


# --- every page of the real build -----------------------------------------------------------

def test_every_built_page_shows_terakhir_diperbarui_and_links_the_feed(built):
    site = built / "site"
    checked = 0
    for path in pages(site):
        assert updated(path)
        assert 'type="application/atom+xml"' in path.read_text(encoding="utf-8")
        checked += 1
    assert checked > 50
    feed = ET.parse(site / "riwayat.xml").getroot()
    assert feed.tag == f"{ATOM}feed"


def test_the_guide_quotes_the_warning_validation_prints():
    """PANDUAN.md's example warning says what the catalogue says (a reworded message fails here)."""
    from generator.messages import translate

    with open(os.path.join(ROOT, "PANDUAN.md"), encoding="utf-8") as fh:
        guide = fh.read()
    line = re.search(r"^datapackages/2025/datapackage\.yaml:7 \[version\]: (.*)$", guide, re.M).group(1)
    assert translate(line, "en") == (
        "the data of package 2025 changed since version 2.0.0 was set (2026-11-30, commit 1a2b3c4d5e): 1 value(s) "
        "changed, 0 added, 0 removed; raise `version` to 2.0.1 (patch: values changed only; the version rule: "
        "README.md, section \"Data package versions\")")
