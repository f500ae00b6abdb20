"""Pages: page models rendered by Jinja2 templates into Markdown (HTML blocks inside).

Templates autoescape every value; Markdown-level text (headings) goes through
`fmt.markdown_text`; titles and descriptions are plain text (`fmt.plain_title`).
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import fmt
from . import paths
from .catalogue import Downloads, catalogue_pages
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


def data_pages(site: SiteData):
    """Every page model but the catalogue's, one at a time: a build never holds them all."""
    yield from [home_page(site), methodology_page(site)] + quality_pages(site) + index_pages(site)
    for satker_id in site.satker:
        yield satker_page(site, satker_id)
        for year in site.satker_years(satker_id):
            yield satker_year_page(site, satker_id, year)
    for year in site.years:
        yield year_page(site, year)
    for indicator_id in site.indicators:
        yield indicator_page(site, indicator_id)


def table_csv_path(page: Page, table_id: str) -> str:
    return f"unduh/tabel/{page.path[:-3]}/{table_id}.csv"


def templates_digest() -> str:
    digest = hashlib.sha256()
    for name in sorted(os.listdir(TEMPLATES)):
        digest.update(name.encode() + open(os.path.join(TEMPLATES, name), "rb").read())
    return digest.hexdigest()


def page_key(page: Page, templates: str) -> str:
    """A hash of everything a page shows (its model) and of the templates: its cache key.
    (pickle: ~10x faster than JSON here; equal bytes can only come from equal models.)"""
    model = pickle.dumps((page.path, page.title, page.description, page.template, page.context, page.tables,
                          [c.key for c in page.charts]), protocol=5)
    return hashlib.sha256(templates.encode() + model).hexdigest()


class Renderer:
    """Renders pages (Markdown, blocks and table CSVs), or takes them from the cache, keyed
    by page_key: an unchanged page is never rendered again."""

    def __init__(self, cache_dir: str | None = None):
        self.env, self.templates, self.cache_dir, self.rendered = environment(), templates_digest(), cache_dir, 0
        if cache_dir:
            os.makedirs(cache_dir, exist_ok=True)

    def __call__(self, page: Page) -> dict[str, bytes]:
        for table in page.tables:
            table.csv_path = table_csv_path(page, table.id)
        cached = os.path.join(self.cache_dir, page_key(page, self.templates) + ".json") if self.cache_dir else None
        if cached and os.path.exists(cached):
            with open(cached, encoding="utf-8") as fh:
                files = json.load(fh)
        else:
            files = render_page(self.env, page)
            self.rendered += 1
            if cached:
                with open(cached + ".tmp", "w", encoding="utf-8") as fh:
                    json.dump(files, fh, ensure_ascii=False)
                os.replace(cached + ".tmp", cached)
        return {path: text.encode("utf-8") for path, text in files.items()}


def render_page(env: Environment, page: Page) -> dict[str, str]:
    files = {table.csv_path: csv_text(table) for table in page.tables}
    template = env.get_template(page.template)
    link = lambda target, _page=page.path: paths.relative(_page, target)
    blocks: list[str] = []
    text = template.render(page=page, link=link, tables=page.tables, charts=page.charts, stash=stasher(blocks),
                           **page.context)
    files[page.path] = text
    files[page.path + BLOCKS] = json.dumps(blocks, ensure_ascii=False)
    return files


def stasher(blocks: list[str]):
    """Keep a rendered HTML block aside; leave its placeholder in the Markdown."""
    def stash(html) -> Markup:
        blocks.append(str(html))
        return Markup(f"\n\n<!--pk-block:{len(blocks) - 1}-->\n\n")
    return stash


__all__ = ["gather", "data_pages", "catalogue_pages", "Renderer", "Downloads", "Page"]
