"""Where pages and files live in the built site, and relative links between them.

Links are always relative, so the site works at any sub-path (project pages). MkDocs
rewrites links only in Markdown, not in the HTML blocks our pages are made of, so the
generator computes them itself, for `use_directory_urls: true`.
"""
from __future__ import annotations

from functools import lru_cache


def page_url(source: str) -> str:
    """'satker/kanim-kupang/2025.md' -> 'satker/kanim-kupang/2025/'; 'index.md' -> ''."""
    stem = source[:-3]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


@lru_cache(maxsize=65536)  # pages link to the same targets again and again
def relative(from_source: str, target: str) -> str:
    """Link from the page built from `from_source` to a page (.md) or a static file."""
    base = page_url(from_source)
    goal = page_url(target) if target.endswith(".md") else target
    link = relpath(goal, base)
    if target.endswith(".md") and not link.endswith("/"):
        link = "./" if link == "." else link + "/"
    return link


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
