"""Every built page speaks plain Indonesian: no English outside elements marked lang="en",
no codes (snake_case names, ids of the registry, file names and paths) in what a reader
sees or hears, and every acronym of the portal's own text in the glossary, spelt out at
its first use.

The checks read the visible text of each page (tests/htmlpage.py: text and alt, title,
aria-label and placeholder attributes, outside <code>, <kbd>, <pre>, scripts, drawings,
formulas and lang="en"). The first tests prove that each check fails on what it must
catch; the last ones run them over the whole site.
"""
import csv
import os
import re
from html.parser import HTMLParser

import pytest
import yaml

from conftest import ROOT
from htmlpage import visible_text

DATA = os.path.join(ROOT, "datapackages")

# Common English words that are no Indonesian words and that the real printed texts shown
# on the pages do not contain. Chosen against laporan/*.txt: the reports quote a few English
# words ("Subject Of Interest", "in-house training", "time line", "Batal by system"), so
# "of", "in", "by", "line" and "to" are not in the list. A word written in capitals only is
# an acronym and is not read as English (CC BY); IDR, the English code of the rupiah, is.
ENGLISH_WORDS = """
the and is are was were not from with this that these those which where when whose has have had been should would
cannot could instead only each every than then there their they into about because while without within
printed table tables row rows value values sum weights resource resources description file files figure figures
report reports percent source sources page pages download downloads found made applicable recompute recomputed
truncates truncated rounding expected unknown indicator scale programme level
""".split()
ENGLISH_PHRASES = ("as printed", "not applicable", "made with")
ENGLISH = re.compile(r"(?<![\w-])(" + "|".join(ENGLISH_WORDS) + r")(?![\w-])", re.I)
ENGLISH_CODES = re.compile(r"\bIDR\b")
SNAKE = re.compile(r"(?<![\w/.-])[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+(?![\w/-])")
PATH = re.compile(r"(?<![\w/.-])(?:[\w-]+/)*[\w-]+\.(?:csv|ya?ml|txt|json|xlsx|zip|py|j2|md)(?![\w/-])"
                  r"|(?<![\w/.-])(?:datapackages|definitions|referensi|laporan|generator|build|site_src)/", re.I)


def rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def registry_ids() -> set[str]:
    """Codes a page must show by their names or labels: the ids of the registry (satker and
    indicators) and every code of definitions/label.yaml written with - or _."""
    ids = {r["satker_id"] for r in rows(os.path.join(DATA, "referensi", "satker.csv"))}
    ids |= {r["indikator_id"] for r in rows(os.path.join(DATA, "referensi", "indikator.csv"))}
    with open(os.path.join(ROOT, "definitions", "label.yaml"), encoding="utf-8") as fh:
        labels = yaml.safe_load(fh)
    return ids | {str(code) for codes in labels.values() for code in codes if re.search(r"[-_]", str(code))}


def english(text: str) -> list[str]:
    found = [m.group(1) for m in ENGLISH.finditer(text) if not m.group(1).isupper()]
    found += [m.group(0) for m in ENGLISH_CODES.finditer(text)]
    return found + [p for p in ENGLISH_PHRASES if p in text.lower()]


def codes(text: str, ids: set[str]) -> list[str]:
    found = SNAKE.findall(text) + PATH.findall(text)
    return found + [i for i in ids if re.search(r"(?<![\w/.-])" + re.escape(i) + r"(?![\w/-])", text)]


def problems(html: str, ids: set[str]) -> list[str]:
    text = visible_text(html)
    return [f"English: {w!r}" for w in english(text)] + [f"code: {c!r}" for c in codes(text, ids)]


# -- the checks catch what they must (and only that) ------------------------------------

PAGE = '<html lang="id"><body><h1>Kinerja</h1><p>{}</p></body></html>'


@pytest.mark.parametrize("bad", [
    "Programme-level indicator; scale 1-4.",
    "As the report computes it (23.382 / 24.677).",
    "Satuan: IDR",
    "Description",
    "Penjelasan: the report truncates to 0 decimals instead of rounding",
    "Kelompok: izin_tinggal",
    "Tingkat: sasaran_strategis",
    "Lihat definitions/ikpa.yaml",
    "Unduh consistency.csv",
    "Indikator ikm-wilayah",
])
def test_the_check_catches_english_and_codes(bad):
    assert problems(PAGE.format(bad), {"ikm-wilayah", "kanim-kupang"}), bad


@pytest.mark.parametrize("good", [
    "Laporan mencetak 122 %, padahal hitung ulang menghasilkan 114,74 %: lebih tinggi 7,26 poin.",
    "Lisensi CC BY 4.0. Sumber: LKjIP 2022 Kanim Kupang, Tabel 3.1, hlm. 26",
    'Kolom <code>sasaran_kegiatan</code> dalam <code>referensi/satker.csv</code>',
    '<span lang="en">Creative Commons Attribution 4.0 International</span>',
    'Inovasi: <a href="../unduh/2025/inovasi.csv" download>CSV</a>',
    "Melaksanakan in-house training; Subject Of Interest; Pembatalan by Sistem; time line",
    "Rata-rata capaian; indikator kinerja; Kantor Imigrasi Kelas I TPI Kupang",
])
def test_the_check_lets_indonesian_and_marked_english_pass(good):
    assert not problems(PAGE.format(good), {"ikm-wilayah", "kanim-kupang"}), good


# -- every page ---------------------------------------------------------------------------

def pages(site):
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def test_every_page_is_indonesian_without_codes(built):
    site, ids, found = built / "site", registry_ids(), []
    checked = 0
    for path in pages(site):
        found += [f"{path.relative_to(site)}: {p}" for p in problems(path.read_text(encoding="utf-8"), ids)]
        checked += 1
    assert checked > 50
    assert not found, "\n".join(found[:40])


def glossary():
    with open(os.path.join(ROOT, "definitions", "istilah.yaml"), encoding="utf-8") as fh:
        return yaml.safe_load(fh)["istilah"]


ROMAN = re.compile(r"^(?:I|II|III|IV|V|VI|VII|VIII|IX|X)$")
ACRONYM = re.compile(r"(?<![\w-])[A-Za-z][\w-]*(?![\w-])")


def acronyms(text: str, terms: list[str]) -> set[str]:
    """Words mostly in capitals (LKjIP, TPI, DJPb; not LibreOffice, K1, Timor-Leste),
    outside runs of words in capitals (headings printed in capitals: KEPALA KANTOR IMIGRASI)
    and outside the glossary's terms of several words (SMART DJA, CC BY 4.0)."""
    for term in sorted(terms, key=len, reverse=True):
        if " " in term:
            text = text.replace(term, " ")
    found = set()
    # The words of every piece in reading order: a heading printed in capitals stays one run
    # even where the glossary's <abbr> splits it into pieces (KELAS I <abbr>TPI</abbr> KUPANG).
    for line in [" ".join(text.splitlines())]:
        words = ACRONYM.findall(line)
        for at, word in enumerate(words):
            letters = [c for c in word if c.isalpha()]
            capitals = sum(c.isupper() for c in letters)
            if any(c.isdigit() for c in word) or ROMAN.match(word) or capitals < 2 or capitals * 2 < len(letters):
                continue
            if any(part[1:].islower() for part in word.split("-") if part):
                continue  # Pra-Penyidikan, Masing-Masing: words, not acronyms
            neighbours = words[max(at - 1, 0):at] + words[at + 1:at + 2]
            if word.isupper() and any(n.isupper() and len(n) > 1 for n in neighbours):
                continue  # part of a heading printed in capitals
            found.add(word)
    return found


def test_every_acronym_of_the_portals_own_text_is_in_the_glossary(built):
    """The portal's own text (everything but the table cells copied from the reports) uses
    no acronym the glossary does not explain."""
    terms = [str(e["istilah"]) for e in glossary()]
    known = set(terms) | {w for t in terms for w in re.split(r"[ /]", t)}
    missing: dict[str, str] = {}
    for path in pages(built / "site"):
        text = visible_text(path.read_text(encoding="utf-8"), cells=False)
        for word in acronyms(text, terms) - known:
            missing.setdefault(word, str(path.relative_to(built / "site")))
    assert not missing, missing


class FirstUses(HTMLParser):
    """The first use of each term in the page's article, outside table cells, code and
    formulas: whether it stands inside <abbr> and with which title."""

    def __init__(self, terms: list[str]):
        super().__init__(convert_charrefs=True)
        self.pattern = re.compile(r"(?<![\w./-])(" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
                                  + r")(?![\w/-])")
        self.stack: list[tuple[str, dict]] = []
        self.first: dict[str, str | None] = {}  # term -> title of its <abbr>, None when bare
        self.article = False

    def handle_starttag(self, tag, attrs):
        self.article |= tag == "article"
        if tag not in ("br", "img", "hr", "input", "meta", "link", "wbr"):
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        for at in range(len(self.stack) - 1, -1, -1):
            if self.stack[at][0] == tag:
                del self.stack[at:]
                break
        self.article &= tag != "article"

    def handle_data(self, data):
        tags = [t for t, _ in self.stack]
        # <pre>: text quoted as printed (a commit message on the change log), which the
        # generator's glossary leaves alone and visible_text does not read either
        if not self.article or {"td", "code", "pre", "math", "svg", "script", "style"} & set(tags):
            return
        for found in self.pattern.finditer(data):
            term = found.group(1)
            term = term if term in self.known else term[:1].lower() + term[1:]
            if term not in self.first:
                inside = self.stack[-1][1].get("title") if tags[-1] == "abbr" else None
                self.first[term] = inside


def test_first_use_of_each_acronym_is_spelt_out(built):
    """On every page, the first use of each acronym in the portal's own text (outside
    table cells) is inside <abbr title="..."> with what the glossary says it stands for."""
    titles = {str(e["istilah"]): " ".join(str(e["kepanjangan"]).split()) for e in glossary() if e.get("kepanjangan")}
    forms = sorted(set(titles) | {t[:1].upper() + t[1:] for t in titles})
    bare, checked = [], 0
    for path in pages(built / "site"):
        if path.parts[-2:] == ("istilah", "index.html") or path.name == "404.html":
            continue  # the glossary itself; the page of broken links is the theme's
        reader = FirstUses(forms)
        reader.known = set(titles)
        reader.feed(path.read_text(encoding="utf-8"))
        for term, title in reader.first.items():
            checked += 1
            if title != titles[term]:
                bare.append(f"{path.relative_to(built / 'site')}: {term} ({title!r})")
    assert checked > 100
    assert not bare, bare[:20]
    glossary_page = (built / "site" / "istilah" / "index.html").read_text(encoding="utf-8")
    for term in ("LKjIP", "SAKIP", "satker", "PNBP", "ITAS", "capaian", "pagu efektif", "polaritas"):
        assert f">{term}<" in glossary_page, term
