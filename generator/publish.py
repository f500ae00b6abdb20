"""Site stage: a static-site engine turns build/docs into HTML, then our own step puts
each page's tables and charts in place.

The generator writes a page as short Markdown (headings, prose) with a placeholder
comment for each table or chart, and the blocks themselves beside it in
`<page>.md.blocks.json`. Placing them in the finished HTML keeps large HTML out of the
engine's Markdown and out of its search index (table cells are not searched), and
needs nothing from the engine but to leave an HTML comment alone: no hook, no plugin.
So the same pages build with MkDocs + Material (the default) or with Zensical, which
reads mkdocs.yml but runs no hooks.

A full build goes into a temporary folder that replaces site/ only when the engine and
the placing both succeeded, so a failed build leaves the last good site published.
"""
from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

from .messages import say
from .pages import paths

ENGINES = ("mkdocs", "zensical")
# An engine that has not finished by then is stopped and the build fails (the last good
# site stays): Zensical 0.0.73 hangs, idle, on a docs folder of many files (run_zensical).
TIMEOUT = int(os.environ.get("PORTAL_ENGINE_TIMEOUT", "1800"))
PLACEHOLDER = re.compile(r"<!--pk-block:(\d+)-->")
BLOCKS = ".blocks.json"  # written by generator/pages beside each page


class EngineFailed(RuntimeError):
    """The engine refused the pages (its own output says why)."""


def publish(config: str, docs: str, site_dir: str, stamp: datetime.datetime, engine: str = "mkdocs") -> int:
    """Build the site with `engine` into a temporary folder, place the blocks, swap it in.
    Returns how many pages got their blocks."""
    parent = os.path.dirname(os.path.abspath(site_dir))
    staging = tempfile.mkdtemp(prefix=".site-", dir=parent)
    try:
        placed = place_blocks(docs, staging, pages=run_engine(engine, config, staging, stamp))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap(staging, site_dir)
    return placed


def run_engine(engine: str, config: str, site_dir: str, stamp: datetime.datetime, dirty: bool = False,
               changed: list[str] | None = None) -> str:
    """`mkdocs build --strict` or `zensical build --strict` of `config` into `site_dir`;
    `dirty` (the preview): only the pages whose Markdown changed, and with `changed` (the
    paths of build/docs the last build wrote or removed) only those files linked.

    Either engine is given only the Markdown pages (engine_docs); the other files, nearly
    all downloads (168,000 at 170 satkers), are linked into the site by us (copy_files),
    as MkDocs would copy them. Pages link to them through `pk:` links, which place_blocks
    resolves, so the engine never needs to see them, and a dirty MkDocs build of one page
    takes 0.7 s instead of 5.2 s spent listing and comparing every download.

    SOURCE_DATE_EPOCH fixes the dates the engine writes (sitemap, gzip headers). MkDocs
    runs without --quiet: it counts strict-mode warnings only when it logs them. Returns
    the folder of pages the engine was given."""
    epoch = str(int(stamp.replace(tzinfo=datetime.timezone.utc).timestamp()))
    env = dict(os.environ, PATH=bin_path(), SOURCE_DATE_EPOCH=epoch, NO_MKDOCS_2_WARNING="1")
    docs, base = docs_dir(config), os.path.dirname(os.path.abspath(config))
    pages = engine_docs(docs, os.path.join(base, "engine-docs"), changed if dirty else None)
    if engine == "mkdocs":
        command = ["mkdocs", "build", "--config-file", engine_config(config, pages, "mkdocs-pages.yml"),
                   "--site-dir", site_dir]
        check(engine, command + (["--dirty"] if dirty else ["--strict"]), env)  # a dirty build always warns that it is one
        copy_files(docs, site_dir, changed if dirty else None)
    elif engine == "zensical":
        run_zensical(config, pages, site_dir, env, dirty)
    else:
        raise ValueError(engine)
    return pages


def run_zensical(config: str, pages: str, site_dir: str, env: dict, dirty: bool) -> None:
    """Zensical writes only inside the configuration's folder: elsewhere it builds there
    first, and the result is moved (so every file is linked again, dirty or not).

    Zensical 0.0.73 also hangs, idle, when its docs folder holds more than about 62,000
    files (one page and 64,000 small CSVs are enough): one more reason it gets only the
    pages."""
    base = os.path.dirname(os.path.abspath(config))
    inside = os.path.commonpath([base, os.path.abspath(site_dir)]) == base
    out = site_dir if inside else os.path.join(base, ".zensical-site")
    if not inside:
        shutil.rmtree(out, ignore_errors=True)
    command = ["zensical", "build", "--strict", "--config-file", engine_config(config, pages, "zensical.yml", out)]
    check("zensical", command + ([] if dirty else ["--clean"]), env)  # a full build: no cache of its own
    copy_files(docs_dir(config), out)
    if not inside:
        shutil.rmtree(site_dir, ignore_errors=True)
        shutil.move(out, site_dir)


def docs_dir(config: str) -> str:
    """The configuration's docs folder, absolute."""
    with open(config, encoding="utf-8") as fh:
        given = yaml.safe_load(fh)["docs_dir"]
    return os.path.join(os.path.dirname(os.path.abspath(config)), given)


def engine_docs(docs: str, folder: str, changed: list[str] | None = None) -> str:
    """`folder` made to hold the Markdown pages of `docs` and nothing else, as hard links
    (copies where the file system has none). With `changed`, only the pages among those
    paths are linked again or removed, and a page whose blocks alone changed is touched,
    so that a dirty engine build makes it again (its placeholders were replaced in the
    site: placing the new blocks needs the engine's page afresh)."""
    touch = changed is not None and os.path.isdir(folder)
    if not touch:
        shutil.rmtree(folder, ignore_errors=True)
        changed = list(files_under(docs))
    for page in sorted({path.removesuffix(BLOCKS) for path in changed if path.endswith((".md", ".md" + BLOCKS))}):
        source, target = os.path.join(docs, page), os.path.join(folder, page)
        if os.path.exists(source):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            link_or_copy(source, target)
            if touch:
                os.utime(target)
        elif os.path.lexists(target):
            os.remove(target)
    return folder


def link_or_copy(source: str, target: str) -> None:
    """`source` at `target` as a hard link (a copy where the file system has none),
    replacing it in one step: a reader sees the old file or the new one."""
    if os.path.exists(target) and os.path.samefile(source, target):
        return  # already that file (and renaming a link onto itself would leave the .tmp behind)
    if os.path.lexists(target + ".tmp"):
        os.remove(target + ".tmp")
    try:
        os.link(source, target + ".tmp")
    except OSError:
        shutil.copyfile(source, target + ".tmp")
    os.replace(target + ".tmp", target)


def files_under(folder: str, prefix: str = ""):
    """Relative paths of every file under a folder (scandir: no per-file path arithmetic)."""
    try:
        entries = list(os.scandir(os.path.join(folder, prefix) if prefix else folder))
    except FileNotFoundError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from files_under(folder, prefix + entry.name + "/")
        else:
            yield prefix + entry.name


def copy_files(docs: str, site_dir: str, changed: list[str] | None = None) -> int:
    """Put every file of `docs` that is not a page into `site_dir`, at the same path, as
    MkDocs copies them: without the blocks (mkdocs.yml's exclude_docs) and hidden files
    (its default). With `changed`, only those paths: linked again, or removed from the
    site when gone from `docs` (the page of a removed Markdown file too). Hard links where
    the file system allows (build/docs replaces a changed file by a new one, never writes
    into it, so the site keeps what it was built with). Returns how many were linked."""
    if changed is None:
        changed = list(files_under(docs))
    copied = 0
    for path in changed:
        if path.endswith(BLOCKS) or any(part.startswith(".") for part in path.split("/")):
            continue
        source = os.path.join(docs, path)
        target = os.path.join(site_dir, paths.page_url(path) + "index.html" if path.endswith(".md") else path)
        if not os.path.exists(source):
            if os.path.lexists(target):
                os.remove(target)  # gone from build/docs: gone from the site (a removed page too)
            continue
        if path.endswith(".md"):
            continue  # the engine makes its page
        os.makedirs(os.path.dirname(target), exist_ok=True)
        link_or_copy(source, target)
        copied += 1
    return copied


def check(engine: str, command: list[str], env: dict) -> None:
    """Run the engine; its failure, or its not finishing within TIMEOUT, is EngineFailed."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise EngineFailed(say("publish.engine_timeout", engine=engine, seconds=TIMEOUT)) from None
    if done.returncode != 0:
        raise EngineFailed(say("publish.engine_failed", engine=engine, output=(done.stdout + done.stderr)[-4000:]))


def engine_config(config: str, docs: str, name: str, site_dir: str | None = None) -> str:
    """A copy of the configuration, saved as `name` beside it, that reads the pages in
    `docs` (and writes `site_dir`: Zensical takes no --site-dir option). Folders are given
    relative to the configuration's folder (absolute ones make Zensical panic)."""
    with open(config, encoding="utf-8") as fh:
        settings = yaml.safe_load(fh)
    base = os.path.dirname(os.path.abspath(config))
    settings["docs_dir"] = os.path.relpath(os.path.abspath(docs), base)
    if site_dir:
        settings["site_dir"] = os.path.relpath(os.path.abspath(site_dir), base)
    path = os.path.join(base, name)
    with open(path, "w", encoding="utf-8") as fh:
        yaml.safe_dump(settings, fh, allow_unicode=True)
    return path


def place_blocks(docs: str, site_dir: str, since: float | None = None, pages: str | None = None) -> int:
    """Replace each placeholder in the built pages by its block, and make the page's
    links to the site relative (paths.resolve). With `since` (a dirty build), only the
    pages the engine wrote since then: whatever made it write them (a changed page, or a
    page another build touched), a page it wrote still holds placeholders. `pages`: the
    folder of Markdown pages the engine was given (run_engine), listed instead of `docs`,
    which also holds every download (168,000 files at 170 satkers)."""
    placed = 0
    for source in files_under(pages or docs):
        if not source.endswith(".md"):
            continue
        blocks_path = os.path.join(docs, source + BLOCKS)
        target = os.path.join(site_dir, paths.page_url(source) + "index.html")  # directory URLs
        if not os.path.exists(blocks_path) or since is not None and (
                not os.path.exists(target) or os.stat(target).st_mtime < since):
            continue
        with open(blocks_path, encoding="utf-8") as fh:
            blocks = json.load(fh)
        with open(target, encoding="utf-8") as fh:
            page = fh.read()
        with open(target + ".tmp", "w", encoding="utf-8") as fh:
            fh.write(paths.resolve(PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], page), source))
        os.replace(target + ".tmp", target)
        placed += 1
    return placed


def swap(new: str, target: str) -> None:
    """Replace `target` by the folder `new` (on the same file system)."""
    old = None
    if os.path.exists(target):
        old = target + ".old"
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
    os.replace(new, target)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def bin_path() -> str:
    """The virtual environment's bin folder first, where mkdocs and zensical are."""
    return os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
