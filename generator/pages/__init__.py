"""Pages: page models rendered by Jinja2 templates into Markdown (HTML blocks inside).

Templates autoescape every value; Markdown-level text (headings) goes through
`fmt.markdown_text`; titles and descriptions are plain text (`fmt.plain_title`).
"""
from __future__ import annotations

import json
import os

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import fmt
from . import paths
from .catalogue import build_downloads, catalogue_pages
from .models import Page, satker_page, satker_year_page
from .overview import home_page, index_pages, indicator_page, methodology_page, quality_pages, year_page
from .sitedata import SiteData, gather
from .tables import csv_text

BLOCKS = ".blocks.json"  # read back by generator/mkdocs_hook.py

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=False)
    env.filters["md"] = lambda text: Markup(fmt.markdown_text(text))
    env.filters["yaml"] = lambda text: Markup(json.dumps(str(text), ensure_ascii=False))
    return env


def all_pages(site: SiteData, entries: list[dict], files: dict, stamp) -> list[Page]:
    pages = [home_page(site), methodology_page(site)] + quality_pages(site) + index_pages(site)
    for satker_id in site.satker:
        pages.append(satker_page(site, satker_id))
        pages += [satker_year_page(site, satker_id, year) for year in site.satker_years(satker_id)]
    pages += [year_page(site, year) for year in site.years]
    pages += [indicator_page(site, indicator_id) for indicator_id in site.indicators]
    pages += catalogue_pages(site, entries, files, stamp)
    return pages


def table_csv_path(page: Page, table_id: str) -> str:
    return f"unduh/tabel/{page.path[:-3]}/{table_id}.csv"


def render(pages: list[Page]) -> dict[str, bytes]:
    """Site path -> bytes for every page and every table's CSV."""
    env = environment()
    out = {}
    for page in pages:
        for table in page.tables:
            table.csv_path = table_csv_path(page, table.id)
            out[table.csv_path] = csv_text(table).encode("utf-8")
        template = env.get_template(page.template)
        link = lambda target, _page=page.path: paths.relative(_page, target)
        blocks: list[str] = []
        text = template.render(page=page, link=link, tables=page.tables, charts=page.charts, stash=stasher(blocks),
                               **page.context)
        out[page.path] = text.encode("utf-8")
        out[page.path + BLOCKS] = json.dumps(blocks, ensure_ascii=False).encode("utf-8")
    return out


def stasher(blocks: list[str]):
    """Keep a rendered HTML block aside; leave its placeholder in the Markdown."""
    def stash(html) -> Markup:
        blocks.append(str(html))
        return Markup(f"\n\n<!--pk-block:{len(blocks) - 1}-->\n\n")
    return stash


__all__ = ["gather", "all_pages", "render", "build_downloads", "Page"]
