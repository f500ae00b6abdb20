"""Pages: page models rendered by Jinja2 templates into Markdown (HTML blocks inside).

Templates autoescape every value; Markdown-level text (headings) goes through
`fmt.markdown_text`; titles and descriptions are HTML-escaped in the front matter (`fmt.front_matter_text`).
"""
from __future__ import annotations

import json
import os
import re

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from .. import fmt
from ..digests import GENERATOR_CODE, digest_of, stable_digest
from . import paths
from .catalogue import Downloads, catalogue_pages
from .glossary import Glossary
from .compare import budget_pages, compare_pages
from .models import Page, satker_page, satker_year_page
from .overview import (INDEX_PAGES, glossary_page, home_page, index_page, indicator_page, methodology_page, quality_page, quality_year_page,
                       quality_years, year_page)
from .sitedata import SiteData, gather
from .tables import code_terms, csv_text, json_text, rows_html

BLOCKS = ".blocks.json"  # read back by generator/publish.py

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=False)
    env.globals["rows_html"] = rows_html
    env.filters["md"] = lambda text: Markup(fmt.markdown_text(text))
    env.filters["yaml"] = lambda text: Markup(json.dumps(str(text), ensure_ascii=False))
    env.filters["front"] = fmt.front_matter_text
    env.filters["kode"] = lambda text: Markup(code_terms(str(escape(text))))  # names of columns and files as code
    env.filters["backticks"] = lambda text: Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))  # `x` of a message
    return env


def shared_pages(site: SiteData):
    """(identity, how to make it) for every page that looks across years: home, methods,
    data quality, glossary, the lists, the compare pages, and a page per satker and per
    indicator. Each is made only when what it read last time reads differently now."""
    for name, make in (("beranda", home_page), ("metodologi", methodology_page), ("kualitas-data", quality_page),
                       ("istilah", glossary_page)):
        yield (name,), lambda make=make: make(site)
    for which in INDEX_PAGES:
        yield ("daftar", which), lambda which=which: index_page(site, which)
    yield from compare_pages(site)
    for satker_id in site.satker:
        yield ("satker", satker_id), lambda s=satker_id: satker_page(site, s)
    for indicator_id in site.indicators:
        yield ("indikator", indicator_id), lambda i=indicator_id: indicator_page(site, i)


def year_pages(site: SiteData, year: int):
    """(identity, how to make it) for the pages of one year package: the year, its data
    quality, its budget pages and a page per satker."""
    yield ("tahun", year), lambda: year_page(site, year)
    if year in quality_years(site):
        yield ("kualitas-data", year), lambda: quality_year_page(site, year)
    yield from budget_pages(site, year)
    for satker_id in site.satker:
        if year in site.satker_years(satker_id):
            yield ("satker", satker_id, year), lambda s=satker_id: satker_year_page(site, s, year)


def page_slug(page_path: str) -> str:
    """'satker/kanim-kupang/2022.md' -> 'kanim-kupang-2022'; 'tahun/2025.md' -> 'tahun-2025':
    the stable part of a download's name (never a content hash, so links survive data edits)."""
    parts = [p for p in page_path[:-3].split("/") if p not in ("index", "satker")]
    return "-".join(parts) or "beranda"


def table_csv_path(page: Page, table_id: str) -> str:
    """A table's CSV, named by page and table (its JSON sits beside it)."""
    return f"unduh/tabel/{page_folder(page.path)}/{page_slug(page.path)}-{table_id}.csv"


def page_folder(page_path: str) -> str:
    """'satker/kanim-kupang/index.md' -> 'satker/kanim-kupang': where a page's downloads go."""
    return page_path[:-3].removesuffix("/index")


def chart_downloads(page: Page) -> list[tuple[str, str, dict]]:
    """(stable download name, chart key, what the page says of the chart) for each chart:
    'unduh/grafik/satker/kanim-kupang/2022/kanim-kupang-2022-capaian-kinerja' — the page and
    the chart's title, never a hash."""
    from markdown.extensions.toc import slugify

    slug = page_slug(page.path)
    satker = page.context.get("satker")
    about = {"satker": satker.get("nama", "") if isinstance(satker, dict) else "", "tahun": page.context.get("year", "")}
    beside = {chart.key: section["tables"] for section in page.context.get("sections", []) if isinstance(section, dict)
              for chart in section.get("charts", [])}  # a chart's sources: the tables of its section
    out, seen = [], set()
    for chart in page.charts:
        words = [w for w in slugify(chart.title, "-").split("-") if w not in slug.split("-")]
        name = f"unduh/grafik/{page_folder(page.path)}/{slug}-{'-'.join(words) or 'grafik'}"
        sources = "; ".join(cited_sources(page, beside.get(chart.key)))
        while name in seen:
            name += "-2"
        seen.add(name)
        inputs = json.loads(chart.inputs_json)
        label_is = "satker" if "satker" in (inputs.get("category"), inputs.get("series")) else ""
        out.append((name, chart.key, dict(about, what=chart.title, label_is=label_is, sumber=sources)))
    return out


def page_key(page: Page, code: str) -> str:
    """A hash of everything a page shows (its model) and of the code: its cache key."""
    return stable_digest(code, page.path, page.title, page.description, page.template, page.context, page.tables,
                         [c.key for c in page.charts], page.abbreviations, page.package)


class PageRenderer:
    """Renders pages (Markdown, blocks and table CSVs), or takes them from the cache, keyed
    by page_key: an unchanged page is never rendered again."""

    def __init__(self, cache_dir: str | None = None, glossary: Glossary | None = None):
        # the code (templates and the Python that renders them) and the glossary (which
        # marks the acronyms of every page) are inputs of every page
        self.glossary = glossary or Glossary(None)
        self.env, self.cache_dir, self.rendered = environment(), cache_dir, 0
        self.code = digest_of(GENERATOR_CODE, self.glossary.digest)
        if cache_dir:
            os.makedirs(cache_dir, exist_ok=True)

    def key(self, page: Page) -> str:
        return page_key(page, self.code)

    def cached(self, key: str) -> dict[str, bytes] | None:
        path = os.path.join(self.cache_dir, key + ".json") if self.cache_dir else None
        if not path or not os.path.exists(path):
            return None
        with open(path, encoding="utf-8") as fh:
            return {name: text.encode("utf-8") for name, text in json.load(fh).items()}

    def __call__(self, page: Page) -> dict[str, bytes]:
        return self.render(page)[1]

    def render(self, page: Page, key: str = "") -> tuple[str, dict[str, bytes]]:
        """The page's files, under `key` (by default the hash of its model and the code),
        from the cache when they were rendered before."""
        for table in page.tables:
            table.csv_path = table_csv_path(page, table.id)
        key = key or self.key(page)
        files = self.cached(key)
        if files is None:
            text = render_page(self.env, page, self.glossary)
            self.rendered += 1
            if self.cache_dir:
                path = os.path.join(self.cache_dir, key + ".json")
                with open(path + ".tmp", "w", encoding="utf-8") as fh:
                    json.dump(text, fh, ensure_ascii=False)
                os.replace(path + ".tmp", path)
            files = {name: value.encode("utf-8") for name, value in text.items()}
        return key, files


def render_page(env: Environment, page: Page, glossary: Glossary | None = None) -> dict[str, str]:
    files = {table.csv_path: csv_text(table) for table in page.tables}
    files.update({table.csv_path[:-4] + ".json": json_text(table) for table in page.tables})
    template = env.get_template(page.template)
    blocks: list[str] = []
    sources = cited_sources(page)
    chart_files = {key: name for name, key, _ in chart_downloads(page)}
    text = template.render(page=page, link=paths.link, tables=page.tables, charts=page.charts, stash=stasher(blocks),
                           sources=sources, chart_files=chart_files, **page.context)
    if glossary is not None and page.abbreviations:
        text, blocks = glossary.page(text, blocks)
    files[page.path + BLOCKS] = json.dumps(blocks, ensure_ascii=False)
    # the blocks' hash in the front matter: a page whose tables change changes too, so
    # a dirty engine build (which looks at the Markdown file only) renders it again
    files[page.path] = text.replace("---\n", f"---\nblocks: {stable_digest(files[page.path + BLOCKS])[:16]}\n", 1)
    return files


def cited_sources(page: Page, tables: list | None = None) -> list[str]:
    """What "Kutip halaman ini" cites: each report with the tables and pages the page (or
    the given tables) show ('LKjIP 2022 Kanim Kupang: Tabel 3.1, hlm. 26; Table 3.8, hlm. 32')."""
    by_report: dict[str, set[str]] = {}
    for table in page.tables if tables is None else tables:
        for source in table.sources:
            report, _, where = source.partition(", ")
            if report.startswith("LKjIP") and where:
                by_report.setdefault(report, set()).add(where)
    return [f"{report}: {'; '.join(sorted(places))}" for report, places in sorted(by_report.items())]


def stasher(blocks: list[str]):
    """Keep a rendered HTML block aside; leave its placeholder in the Markdown."""
    def stash(html) -> Markup:
        blocks.append(str(html))
        return Markup(f"\n\n<!--pk-block:{len(blocks) - 1}-->\n\n")
    return stash


__all__ = ["Glossary", "chart_downloads", "gather", "shared_pages", "year_pages",
           "catalogue_pages", "PageRenderer", "Downloads", "Page"]
