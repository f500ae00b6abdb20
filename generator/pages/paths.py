"""Where pages and files live in the built site, and relative links between them.

Links are always relative, so the site works at any sub-path (project pages). Engines
treat links in raw HTML differently (MkDocs leaves them, Zensical resolves them from the
Markdown file's folder), so the generator never leaves a relative link to an engine: it
writes each as `pk:` and the site path of its target (`link`), and publish.py makes it
relative to the built page (`resolve`), for `use_directory_urls: true`. A link is then
the same whichever page it is on, and whichever engine built the page.
"""
from __future__ import annotations

import re
from functools import lru_cache

SITE = "pk:"  # a link to a page or file of this site, before publish.py makes it relative
_SITE_LINK = re.compile(r'(href|src)="pk:([^"#?]*)')


def page_url(source: str) -> str:
    """'satker/kanim-kupang/2025.md' -> 'satker/kanim-kupang/2025/'; 'index.md' -> ''."""
    stem = source[:-3]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


def link(target: str) -> str:
    """A link to a page (.md) or a static file, wherever it is written."""
    return SITE + (page_url(target) if target.endswith(".md") else target)


def resolve(html: str, page: str) -> str:
    """Every `pk:` link in a built page made relative to the page's own address."""
    base = page_url(page)
    return _SITE_LINK.sub(lambda m: f'{m.group(1)}="{relative(base, m.group(2))}', html)


@lru_cache(maxsize=65536)  # pages link to the same targets again and again
def relative(base: str, goal: str) -> str:
    """Link from the page at address `base` to the site path `goal` ('a/b/' is a page)."""
    found = relpath(goal, base)
    if goal.endswith("/") or not goal:
        found = "./" if found == "." else found if found.endswith("/") else found + "/"
    return found


def relpath(goal: str, base: str) -> str:
    """posixpath.relpath for the site's own paths (relative, no '.' or '..' parts), without
    its normalising: a large page makes thousands of links."""
    goal_parts, base_parts = [p for p in goal.split("/") if p], [p for p in base.split("/") if p]
    common = 0
    while common < min(len(goal_parts), len(base_parts)) and goal_parts[common] == base_parts[common]:
        common += 1
    return "/".join([".."] * (len(base_parts) - common) + goal_parts[common:]) or "."


def satker_page(satker_id: str) -> str:
    return f"satker/{satker_id}/index.md"


def satker_year_page(satker_id: str, year: int) -> str:
    return f"satker/{satker_id}/{year}.md"


def year_page(year: int) -> str:
    return f"tahun/{year}.md"


def indicator_page(indicator_id: str) -> str:
    return f"indikator/{indicator_id}.md"


def package_page(name: str) -> str:
    return f"data/{name}.md"


def compare_indicator_path(indicator_id: str) -> str:
    return f"banding/indikator/{indicator_id}.md"


def compare_series_path(series_id: str) -> str:
    return f"banding/seri/{series_id}.md"


def compare_budget_path(year: int) -> str:
    """The year's budget-and-performance overview: one row per satker."""
    return f"banding/anggaran-kinerja/{year}/index.md"
