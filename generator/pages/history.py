"""Riwayat perubahan data: a page listing the last data commits, newest first (when,
the committer's message as git prints it, and every value added, changed or removed,
by satker, year, table, indicator or series and source), and its Atom feed.

What changed comes from generator/history.py (which reuses generator/diff.py); here it
is only put into words. A commit message is text from git: it is escaped (the template
engine, ElementTree for the feed) and shown as written, in <pre>, never interpreted.
"""
from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

from markupsafe import escape

from .. import fmt
from ..diff import TITLES, number, where
from ..history import LEVELS, Entry, History, Version, text
from ..load import SCHEMAS
from ..messages import t
from . import paths
from .models import Page, indicator_name
from .sitedata import SiteData
from .sources import source_text
from .tables import Cell, Column, Table

PATH = "riwayat/index.md"
FEED = "riwayat.xml"
ATOM = "http://www.w3.org/2005/Atom"
FOLD_ROWS = 10  # a commit's table longer than this waits behind one tap
WORDS = {"changed": "diubah", "added": "ditambah", "removed": "dihapus"}


def count_words(count: dict[str, int]) -> str:
    """'50 angka diubah, 2 ditambah dan 2 dihapus; 3 teks diubah'; 'tidak ada nilai yang berubah'."""
    parts = [f"{fmt.number(count[k])} {WORDS[k]}" for k in ("changed", "added", "removed") if count.get(k)]
    if parts:
        parts[0] = parts[0].replace(" ", " angka ", 1)
    said = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} dan {parts[-1]}" if parts else ""
    if count.get("text"):
        said += ("; " if said else "") + f"{fmt.number(count['text'])} teks diubah"
    return said or "tidak ada nilai yang berubah"


def figures(entry: Entry) -> list:
    """The changes the table and the feed list: figures and rows, not text cells."""
    return [c for c in entry.changes if not text(c)]


def texts_words(site: SiteData, entry: Entry) -> str:
    """Which text cells changed, by column and table ('Catatan di Katalog indikator kinerja
    (13 baris)'): their old and new text is not quoted (it may be in any language)."""
    groups: dict[tuple[str, str], int] = {}
    for change in entry.changes:
        if text(change):
            key = (site.field_title(change.resource, change.column), site.resource_titles.get(change.resource, change.resource))
            groups[key] = groups.get(key, 0) + 1
    return "; ".join(f"{column} di {table} ({fmt.number(n)} baris)" for (column, table), n in groups.items())


def short_name(site: SiteData, satker_id: str) -> str:
    return site.satker[satker_id]["nama_singkat"] if satker_id in site.satker else satker_id


def package_words(package: str) -> str:
    return "skema bersama" if package == SCHEMAS else package


def summary(site: SiteData, entry: Entry, limit: int = 4) -> str:
    """Where the figures changed: each table with its year and satkers, the largest first."""
    if not entry.changes:
        packages = ", ".join(package_words(p) for p in entry.commit.packages)
        return f"Hanya keterangan paket data yang diubah (misalnya judul, deskripsi, versi atau skema), bukan nilainya: paket {packages}."
    if not figures(entry):
        return "Tidak ada angka yang berubah."
    groups: dict[tuple[str, str], dict] = {}
    for change in figures(entry):
        group = groups.setdefault((change.resource, change.year or "(paket referensi)"), {"count": 0, "satker": []})
        group["count"] += 1
        name = short_name(site, change.satker) if change.satker else ""
        if name and name not in group["satker"]:
            group["satker"].append(name)
    ordered = sorted(groups.items(), key=lambda item: -item[1]["count"])
    words = [f"{site.resource_titles.get(resource, resource)} {year}"
             + (f" ({', '.join(group['satker'])})" if group["satker"] else "") for (resource, year), group in ordered[:limit]]
    more = f"; dan {len(ordered) - limit} tabel lain" if len(ordered) > limit else ""
    return f"Angka yang berubah ada di {'; '.join(words)}{more}."


def value_text(site: SiteData, change, text: str | None) -> str:
    """A cell as a reader reads it: a number (a number field when the commit was made) as
    written, in Indonesian notation with its unit; a code by its label; other text as written."""
    if change.column is None or text in (None, ""):
        return "–"
    if change.figure and number(text) is not None:
        return fmt.written(text, site.fields.get(change.resource, {}).get(change.column, {}).get("unit"))
    codes = site.codes(change.resource, change.column)
    return codes.get(text, text) if codes else text


def detail_text(site: SiteData, change) -> str:
    """The indicator, or the parts of the row's key that tell it from its neighbours, by their labels."""
    if change.indicator:
        return indicator_name(site, change.indicator)
    parts = []
    for column, value in change.parts.items():
        codes = site.codes(change.resource, column)
        parts.append(codes.get(value, value) if codes else value)
    return ", ".join(parts) or "–"


def where_text(site: SiteData, change) -> str:
    """'Penerbitan paspor: Paspor biasa 48 halaman': the table, and the indicator or row."""
    detail = detail_text(site, change)
    return site.resource_titles.get(change.resource, change.resource) + (f": {detail}" if detail != "–" else "")


def source_words(site: SiteData, change) -> str:
    """Report, table and page, as every table cites them; an old row whose page is not a
    number (the data of an earlier commit passed other rules) as the diff writes it."""
    if not change.source.get("sumber_file"):
        return "–"
    try:
        return source_text(site, change.source)
    except ValueError:
        return where(change)


def changes_table(site: SiteData, entry: Entry, rows: int) -> Table | None:
    chosen = figures(entry)
    if not chosen:
        return None
    table = Table(f"perubahan-{entry.commit.short}", f"Angka yang berubah pada {fmt.date(entry.commit.date.isoformat())}", [
        Column("perubahan", "Perubahan"), Column("satker", "Satker"), Column("tahun", "Tahun", "year"),
        Column("tabel", "Tabel"), Column("kolom", "Kolom"),
        Column("lama", "Angka lama"), Column("baru", "Angka baru"), Column("sumber", "Sumber")])
    for change in chosen[:rows]:
        old, new = (value_text(site, change, v) for v in (change.old, change.new))
        column = site.field_title(change.resource, change.column) if change.column else ""
        link = ""
        if change.satker in site.satker and change.year.isdigit() and int(change.year) in site.satker_years(change.satker):
            link = paths.link(paths.satker_year_page(change.satker, int(change.year)))
        source = source_words(site, change)
        kind = TITLES[change.kind] + ("" if change.column else " (baris tanpa angka)")
        table.add({"perubahan": kind, "tahun": change.year or None},
                  links={"satker": link},
                  extra={"satker": Cell(short_name(site, change.satker) if change.satker else "–", change.satker),
                         "tabel": Cell(where_text(site, change), where_text(site, change), code="terms"),
                         "kolom": Cell(column or "–", change.column or "", code="terms"),
                         "lama": Cell(old if change.kind != "added" else "–", change.old or ""),
                         "baru": Cell(new if change.kind != "removed" else "–", change.new or ""),
                         "sumber": Cell(source, source)})
    table.sources = [f"git: perubahan {entry.commit.short} dibandingkan dengan sebelumnya"]
    if len(table.rows) > FOLD_ROWS:
        more = f" dari {fmt.number(len(chosen))}" if len(chosen) > len(table.rows) else ""
        table.folded = f"Tampilkan {fmt.number(len(table.rows))}{more} perubahan angka"
    return table


def versions_table(versions: list[Version]) -> Table | None:
    if not versions:
        return None
    table = Table("versi", "Versi paket data dan perubahan sejak versi itu ditetapkan", [
        Column("paket", "Paket data"), Column("versi", "Versi"), Column("sejak", "Ditetapkan"),
        Column("perubahan", "Perubahan sejak itu"), Column("status", "Keterangan")])
    for v in versions:
        if v.stale:
            level = t(LEVELS[v.level]).render("id")
            status = (f"naikkan menjadi {v.suggested} ({level})" if v.suggested
                      else f"naikkan versinya ({level}); versi ini tidak berbentuk mayor.minor.patch")
        else:
            status = "sesuai aturan" if v.since else "belum pernah di-commit"
        table.add({"paket": package_words(v.package).capitalize(), "versi": v.version or "–",
                   "sejak": fmt.date(v.since.date.isoformat()) if v.since else "–",
                   "perubahan": count_words(v.count) if v.stale else "tidak ada nilai yang berubah",
                   "status": status})
    return table


def history_page(site: SiteData, history: History, rows: int) -> Page:
    """The page; `rows` caps the rows shown per commit."""
    entries, tables = [], []
    for entry in history.entries:
        table = changes_table(site, entry, rows)
        total = sum(entry.count.values()) - entry.count.get("text", 0)
        entries.append({"anchor": anchor(entry), "date": fmt.date(entry.commit.date.isoformat()),
                        "iso": entry.commit.when, "title": count_words(entry.count), "summary": summary(site, entry),
                        "message": entry.commit.message, "texts": texts_words(site, entry), "commit": entry.commit.short,
                        "parent": entry.commit.parent[:10] if entry.commit.parent else "",
                        "table": table, "hidden": total - (len(table.rows) if table else 0), "total": total,
                        "notes": entry.notes})
        tables += [table] if table else []
    versions = versions_table(history.versions)
    return Page(PATH, "Riwayat perubahan data", "Setiap perubahan data portal: kapan, pesannya, dan nilai yang berubah",
                "history.md.j2",
                {"available": history.available, "reason": history.reason.render("id") if history.reason else "",
                 "entries": entries, "total": history.total, "versions": versions, "feed": FEED},
                tables + ([versions] if versions else []), [])


def anchor(entry: Entry) -> str:
    return f"perubahan-{entry.commit.short}"


# --- the feed -------------------------------------------------------------------------------

# Characters XML 1.0 cannot hold (a commit message may have any): shown as U+FFFD.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return NOT_XML.sub("\ufffd", text)


def feed(site: SiteData, history: History, site_url: str, stamp: datetime.datetime, rows: int = 20) -> bytes:
    """The Atom 1.0 feed of the page's entries, with absolute links from the site's address."""
    ET.register_namespace("", ATOM)
    page = site_url + paths.page_url(PATH)

    def add(parent, tag: str, text: str | None = None, **attributes) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = xml_text(text)
        return element

    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "id"})
    add(root, "title", "Riwayat perubahan data: Portal Kinerja Imigrasi NTT")
    add(root, "subtitle", "Setiap perubahan data portal: kapan, pesannya, dan nilai yang ditambah, diubah atau dihapus.")
    add(root, "id", site_url + FEED)
    add(root, "link", rel="self", type="application/atom+xml", href=site_url + FEED)
    add(root, "link", rel="alternate", type="text/html", href=page)
    newest = history.entries[0].commit.when if history.entries else stamp.replace(microsecond=0).isoformat() + "Z"
    add(root, "updated", newest)
    author = add(root, "author")
    add(author, "name", "Portal Kinerja Imigrasi NTT")
    add(author, "uri", site_url)
    for entry in history.entries:
        item = add(root, "entry")
        link = f"{page}#{anchor(entry)}"
        add(item, "title", f"{fmt.date(entry.commit.date.isoformat())}: {count_words(entry.count)}")
        add(item, "id", link)
        add(item, "link", rel="alternate", type="text/html", href=link)
        add(item, "updated", entry.commit.when)
        add(item, "summary", summary(site, entry))
        add(item, "content", entry_html(site, entry, rows), type="html")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"


def entry_html(site: SiteData, entry: Entry, rows: int) -> str:
    """An entry's content for feed readers: summary, message and the first changes."""
    lines = [f"<p>{escape(summary(site, entry))}</p>",
             f"<p>Pesan perubahan:</p><pre>{escape(entry.commit.message)}</pre>"]
    items = []
    for change in figures(entry)[:rows]:
        old, new = (value_text(site, change, v) for v in (change.old, change.new))
        what = " · ".join(p for p in (short_name(site, change.satker) if change.satker else "", change.year,
                                      where_text(site, change),
                                      site.field_title(change.resource, change.column) if change.column else "") if p)
        shown = {"added": f"baru {new}", "removed": f"lama {old}", "changed": f"{old} → {new}"}[change.kind]
        items.append(f"<li>{escape(TITLES[change.kind])}: {escape(what)}: {escape(shown)}</li>")
    if items:
        lines.append("<ul>" + "".join(items) + "</ul>")
    total = sum(entry.count.values()) - entry.count.get("text", 0)
    if total > len(items):
        lines.append(f"<p>… dan {fmt.number(total - len(items))} perubahan angka lain di halaman riwayat.</p>")
    if texts_words(site, entry):
        lines.append(f"<p>Teks yang diubah: {escape(texts_words(site, entry))}.</p>")
    return "".join(lines)


__all__ = ["history_page", "feed", "PATH", "FEED"]
