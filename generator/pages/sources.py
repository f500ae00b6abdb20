"""Where a figure is printed: report, table (or section) and page for readers; the line
of the report's text file too in the downloads, for whoever checks the transcription."""
from __future__ import annotations

from .sitedata import SiteData
from .tables import Cell

# The 2022 report prints some table numbers in English in its body ("Table 3.8") and in
# Indonesian in its own list of tables ("Tabel 3.8"): readers see the list's word (the
# downloads keep the table id as printed).
TABLE_WORDS = (("Table ", "Tabel "),)


def source_of(row: dict) -> tuple[str, str, object, object]:
    """(file, table, page, line) of a data row (sumber_*) or a computed row (source_*)."""
    if "sumber_file" in row:
        return row["sumber_file"], row.get("sumber_tabel", ""), row.get("sumber_halaman"), row.get("sumber_baris")
    return row["source_file"], row.get("source_table", ""), row.get("source_page"), row.get("source_line")


def table_words(table: str) -> str:
    for printed, shown in TABLE_WORDS:
        if table.startswith(printed):
            return shown + table[len(printed):]
    return table


def place_text(row: dict) -> str:
    """Table (or section) and page within the report: 'Tabel 3, hlm. 20'."""
    _, table, page, _ = source_of(row)
    page = f", hlm. {int(float(page))}" if page not in (None, "") else ""
    return f"{table_words(table)}{page}"


def source_text(site: SiteData, row: dict) -> str:
    """Where a figure is printed, for readers: report, table (or section) and page."""
    return f"{site.report_label(source_of(row)[0])}, {place_text(row)}"


def source_cell(site: SiteData, row: dict) -> Cell:
    """The source as readers see it; the table's CSV adds the line of the report's text
    file (laporan/) for whoever checks the transcription."""
    text = source_text(site, row)
    file, _, _, line = source_of(row)
    where = f"; baris {int(float(line))} berkas {file}" if line not in (None, "") else ""
    return Cell(text, text + where)
