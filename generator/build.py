"""Build stage: compute, then pages, charts, downloads and MkDocs, each step timed.

build/docs (MkDocs' input) is updated in place, only where a file changed; pages and
charts come from caches keyed by a hash of their inputs. publish.py then builds site/
with the engine (in a temporary folder swapped in only on success, so a build that
fails part-way leaves the previous site/ untouched).
"""
from __future__ import annotations

import datetime
import os
import pickle
import subprocess
import time
from contextlib import nullcontext
from itertools import chain

import yaml

from . import charts as chartlib
from . import fmt
from . import history as changes
from . import publish as sitelib
from .compute import run_compute
from .digests import PickleCache, checksum, digest_of
from .messages import say, translate
from .pages.compare import budget_years
from .pages import (Downloads, Glossary, PageRenderer, catalogue_pages, chart_downloads, gather, shared_pages,
                    year_pages)
from .pages.history import FEED, feed, history_page
from .strict_yaml import load_yaml
from .workers import Pool

HAND_WRITTEN = "site_src"


class Timer:
    def __init__(self, progress):
        self.stages, self.progress, self.start = {}, progress, time.perf_counter()

    def done(self, stage: str) -> None:
        now = time.perf_counter()
        self.stages[stage] = now - self.start
        self.progress(f"{translate(stage)}: {self.stages[stage]:.1f} s")
        self.start = now


def build_stamp(data_root: str | None = None) -> datetime.datetime:
    """The date builds print: SOURCE_DATE_EPOCH, else the last commit of the repository
    holding the data, else (no git, or the data outside a repository) the time the newest
    data file was last changed: never 1 January 1970. Rebuilds of one state are identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or last_commit_time(data_root or ".")
    if not epoch:
        epoch = newest_change(data_root) if data_root else int(time.time())
    return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.timezone.utc).replace(tzinfo=None)


def last_commit_time(folder: str) -> str:
    """Seconds since 1970 of the last commit of the repository `folder` is in ("" when none)."""
    try:
        return subprocess.run(["git", "-C", folder, "log", "-1", "--format=%ct"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def newest_change(folder: str) -> int:
    """When the newest file under `folder` was last changed (now, for an empty folder)."""
    times = [os.stat(os.path.join(root, name)).st_mtime for root, _, names in os.walk(folder) for name in names]
    return int(max(times, default=time.time()))


def run_build(data_root: str, definitions_dir: str, build_dir: str, site_dir: str, config: str,
              progress=lambda m: None, workers: int | None = None, publish: bool = True, engine: str = "mkdocs",
              pool: Pool | None = None, only: set[str] | None = None):
    """Every stage; with `publish` False, stop once build/docs is up to date. `pool`: the
    worker processes to use (`portal serve` keeps its own warm between saves), else new ones.
    `only` (the preview's first pass): just the pages written last time as these files
    (the pages open in the browser), with their charts; nothing else is written or removed."""
    timer = Timer(progress)
    computed_dir = os.path.join(build_dir, "computed")
    stamp = build_stamp(data_root)
    settings = history_settings(config)
    with nullcontext(pool) if pool else Pool(workers) as pool:  # Frictionless, charts and spreadsheets on the other cores beside the main work
        computed, problems = run_compute(data_root, definitions_dir, computed_dir, progress, pool, lazy=True,
                                         package=only is None)
        if problems:
            return None, problems
        timer.done("validate + compute")
        history = changes.read(data_root, os.path.join(build_dir, "cache", "history"), settings["perubahan"])
        if not history.available:
            progress(say("history.unavailable", reason=history.reason))
        timer.done("history of the data")
        docs = DocsWriter(os.path.join(build_dir, "docs"))
        glossary = Glossary(computed.definitions.get("istilah"))
        stats = write_generated(computed, computed_dir, os.path.join(build_dir, "cache"), docs, pool, stamp, timer,
                                glossary, history, settings | {"site_url": site_url(config)}, only)
    timer.done("charts (rest)")
    for path, data in hand_written().items() if only is None else ():
        if path.endswith(".md"):  # the first use of each acronym marked, as on the generated pages
            data = glossary.page(data.decode("utf-8"), [])[0].encode("utf-8")
        docs.put(path, data)
    stats["files_changed"] = docs.finish(partial=only is not None)
    stats["docs_changed"] = docs.changed  # what a dirty preview build needs to link and place again
    timer.done("build/docs synced")
    if publish:
        stats["pages_placed"] = sitelib.publish(build_config(config, docs.folder, definitions=definitions_dir,
                                                             stamp=stamp, history=history),
                                                docs.folder, site_dir, stamp, engine)
        timer.done(f"{engine} build")
    return stats | {"stages": timer.stages}, []


def write_generated(computed, computed_dir: str, cache_dir: str, docs: "DocsWriter", pool, stamp, timer,
                    glossary: Glossary, history: changes.History, settings: dict, only: set[str] | None = None) -> dict:
    """Pages, charts and downloads into `docs`; a page is kept (or taken from the cache)
    when what it read last time reads the same now (write_made), a catalogue page when the
    checksums it shows are unchanged (write_keyed). With `only`: just the pages whose
    files last time included one of these paths (run_build)."""
    site = gather(computed.packages, computed.definitions, computed.years, PickleCache(os.path.join(cache_dir, "yearly")))
    renderer = PageRenderer(os.path.join(cache_dir, "pages"), glossary)
    charts = chartlib.ChartRenderer(os.path.join(cache_dir, "charts"), pool)
    sets = PickleCache(os.path.join(cache_dir, "page-sets"))
    schemas = [p.files.get(name, "") for p in computed.packages for name in p.descriptor_files()]
    context = digest_of(computed.inputs, repr(sorted(site.years_of.items())), repr(site.years), *schemas,
                        repr(computed.definitions["sections"]),  # as read now: `portal serve` rereads it on a save
                        repr(budget_years(site)))  # which pages there are
    if only is not None:
        makers = chain(shared_pages(site), *(year_pages(site, year) for year in site.years))
        pages = write_made(written_as(makers, only, context, sets), context, sets, site, renderer, docs, charts)
        return {"pages": pages, "pages_made": site.pages_made, "pages_rendered": renderer.rendered} | charts_written(
            charts, cache_dir, docs)
    downloads = Downloads(site, computed_dir, docs, os.path.join(cache_dir, "downloads"), pool)
    pages = write_made(shared_pages(site), context, sets, site, renderer, docs, charts)
    pages += write_pages([history_page(site, history, settings["baris"])], renderer, docs, charts)
    docs.put(FEED, feed(site, history, settings["site_url"], stamp))
    for year in site.years:
        pages += write_made(year_pages(site, year), context, sets, site, renderer, docs, charts)
        site.unload_year(year)  # its rows are not needed again: memory stays flat
    timer.done("page models + pages written (charts, spreadsheets in workers)")
    digests, entries = downloads.finish()
    pages += write_keyed(catalogue_pages(site, entries, digests, stamp), context, sets, renderer, docs, charts)
    timer.done("downloads + catalogue")
    return {"pages": pages, "pages_made": site.pages_made, "pages_rendered": renderer.rendered,
            "downloads": len(digests)} | charts_written(charts, cache_dir, docs)


def charts_written(charts, cache_dir: str, docs: "DocsWriter") -> dict:
    """The pages' charts, once drawn, into `docs`: their files and their named downloads."""
    done = charts.finish()
    chartlib.write_files(list(charts.charts.values()), charts.cache_dir, docs)
    chartlib.write_named(charts.named, charts.cache_dir, docs, PickleCache(os.path.join(cache_dir, "named-charts")))
    return {"charts": done["charts"], "charts_rendered": done["rendered"]}


def written_as(makers, files: set[str], context: str, cache: PickleCache):
    """The pages (identity, how to make it) whose record from the last build lists one of
    `files` (a page unknown to it is left for the full build)."""
    for identity, make in makers:
        record = cache.get(digest_of(context, repr(identity)))
        if record and not files.isdisjoint(record["files"]):
            yield identity, make


def write_made(makers, context: str, cache: PickleCache, site, renderer, docs: "DocsWriter", charts) -> int:
    """Pages given as (identity, how to make it). A page is kept (or taken from the page
    cache) when each read it made last time gets the same answer now (SiteData.unchanged);
    else it is made, its reads noted with it, and rendered unless its model was seen before."""
    count = 0
    for identity, make in makers:
        key = digest_of(context, repr(identity))
        record = cache.get(key)
        if not (record and site.unchanged(record["reads"], record["years"]) and kept(record, renderer, docs, charts)):
            page, reads = site.reads_of(make)
            site.pages_made += 1
            record = rendered([page], renderer, docs, charts) | {"reads": list(dict.fromkeys(reads)),
                                                                 "years": dict(site.year_keys)}
            cache.put(key, record)
        count += 1
    return count


def write_keyed(pages, context: str, cache: PickleCache, renderer, docs: "DocsWriter", charts) -> int:
    """Pages given as (hash of all one shows beyond the context, how to make it)."""
    count = 0
    for inputs, make in pages:
        key = digest_of(context, inputs)
        record = cache.get(key)
        if not (record and kept(record, renderer, docs, charts)):
            record = rendered([make()], renderer, docs, charts)
            cache.put(key, record)
        count += 1
    return count


def write_pages(models, renderer, docs: "DocsWriter", charts) -> int:
    """Render (or take from the cache) each page as it comes; hand its charts to the pool."""
    count = 0
    for page in models:
        charts.add(page.charts)
        charts.add_named(chart_downloads(page))
        for path, data in renderer(page).items():
            docs.put(path, data)
        count += 1
    return count


def kept(record: dict, renderer, docs: "DocsWriter", charts) -> bool:
    """Put the recorded page's files (kept when unchanged in build/docs, else from the
    page cache) and hand its charts on; False when its files are gone from both."""
    if not (docs.keep_all(record["files"]) or put_cached(record["pages"], renderer, docs)):
        return False
    charts.add(record["charts"])
    charts.add_named(record["named"])
    return True


def rendered(models, renderer, docs: "DocsWriter", charts) -> dict:
    """Render the pages (or take each from the page cache, by the hash of its model) and
    record their files, page keys and charts."""
    record = {"files": {}, "pages": [], "charts": [], "named": []}
    for page in models:
        page_key, files = renderer.render(page)
        for path, data in files.items():
            record["files"][path] = docs.put(path, data)
        record["pages"].append(page_key)
        record["charts"] += page.charts
        record["named"] += chart_downloads(page)
        charts.add(page.charts)
        charts.add_named(chart_downloads(page))
    return record


def put_cached(page_keys: list[str], renderer, docs: "DocsWriter") -> bool:
    for page_key in page_keys:
        files = renderer.cached(page_key)
        if files is None:
            return False
        for path, data in files.items():
            docs.put(path, data)
    return True


def hand_written() -> dict[str, bytes]:
    files = {}
    for folder, _, names in os.walk(HAND_WRITTEN):
        for name in names:
            path = os.path.join(folder, name)
            files[os.path.relpath(path, HAND_WRITTEN)] = open(path, "rb").read()
    return files


class DocsWriter:
    """Makes a folder hold exactly the files put into it, touching only those that changed
    (MkDocs and a reader's cache then see unchanged files as unchanged). Files are written
    as they come, so a build never holds all of them in memory.

    A manifest beside the folder records each file's SHA-256 as the last finished build
    left it: an unchanged file is recognised without being read, and `keep` accepts a file
    by its hash alone. The manifest is removed when a build starts and written when it
    finishes, so a build that stops half-way leaves none, and the next one checks every
    file. (build/docs is the generator's own output: nothing else writes there.)"""

    def __init__(self, folder: str):
        self.folder, self.written = folder, 0
        self.manifest = manifest_path(folder)
        try:
            with open(self.manifest, "rb") as fh:
                self.old: dict[str, str] | None = pickle.load(fh)
            os.remove(self.manifest)
        except (OSError, pickle.UnpicklingError, EOFError):
            self.old = None  # unknown state: finish() then looks at every file in the folder
        self.new: dict[str, str] = {}
        self.changed: list[str] | None = None

    def keep(self, path: str, sha: str | None = None) -> bool:
        """True when the file is already there with this hash (any hash when None)."""
        found = (self.old or {}).get(path)
        if found is None or (sha is not None and found != sha):
            return False
        self.new[path] = found
        return True

    def keep_all(self, files: dict[str, str]) -> bool:
        old = self.old or {}
        if any(old.get(path) != sha for path, sha in files.items()):
            return False
        self.new.update(files)
        return True

    def put(self, path: str, data: bytes) -> str:
        sha = checksum(data)
        if self.keep(path, sha):
            return sha
        target = os.path.join(self.folder, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target + ".tmp", "wb") as fh:
            fh.write(data)
        os.replace(target + ".tmp", target)
        self.new[path] = sha
        self.written += 1
        return sha

    def link(self, path: str, source: str, sha: str) -> str:
        """`source`, whose SHA-256 is `sha`, put at `path` as a hard link (a copy where the
        file system has none): a large file is never read to be put."""
        if not self.keep(path, sha):
            target = os.path.join(self.folder, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            sitelib.link_or_copy(source, target)
            self.new[path] = sha
            self.written += 1
        return sha

    def finish(self, partial: bool = False) -> int:
        """Remove what was not put or kept; save the manifest; return how many files were
        written. `changed` then lists the paths written or removed (None when the folder's
        last state was unknown: any file may have changed). `partial`: only some files were
        put (the preview's first pass): nothing is removed, the others stay as recorded."""
        if partial:
            self.changed = sorted(path for path, sha in self.new.items() if (self.old or {}).get(path) != sha)
            if self.old is not None:  # else no manifest: the next build checks every file
                self.save(self.old | self.new)
            return self.written
        there = set(self.old) if self.old is not None else set(sitelib.files_under(self.folder))
        gone = there - set(self.new)
        self.changed = None if self.old is None else sorted(
            gone | {path for path, sha in self.new.items() if self.old.get(path) != sha})
        for path in gone:
            try:
                os.remove(os.path.join(self.folder, path))
            except FileNotFoundError:
                pass
        self.save(self.new)
        return self.written

    def save(self, manifest: dict[str, str]) -> None:
        with open(self.manifest + ".tmp", "wb") as fh:
            pickle.dump(manifest, fh, protocol=5)
        os.replace(self.manifest + ".tmp", self.manifest)


def manifest_path(folder: str) -> str:
    """Where DocsWriter keeps the manifest of `folder` (beside it)."""
    return folder.rstrip("/") + ".manifest.pickle"


def data_version(stamp: datetime.datetime, history: changes.History | None) -> dict:
    """What a citation names as the data's version: the date and id of the last commit
    that changed the data; and the date every page prints as "Terakhir diperbarui", by
    the package it shows (Page.package; "" for a page across packages): see
    History.changed. Without the history, the build's date and no dates per page."""
    last = history.changed() if history and history.available else None
    if last is None:
        return {"tanggal": fmt.date(stamp.date().isoformat()), "versi": "", "diperbarui": {}}
    dated = {package: history.changed(package or None) for package in history.last}
    return {"tanggal": fmt.date(last.date.isoformat()), "versi": last.short,
            "diperbarui": {package: {"tanggal": fmt.date(c.date.isoformat()), "iso": c.date.isoformat()}
                           for package, c in dated.items() if c}}


def site_url(config: str) -> str:
    """The public address of the site, ending in '/': PORTAL_SITE_URL when set (CI sets it
    to the Pages address), else mkdocs.yml's `site_url` ('' when neither)."""
    if os.environ.get("PORTAL_SITE_URL"):
        return os.environ["PORTAL_SITE_URL"].rstrip("/") + "/"
    with open(config, encoding="utf-8") as fh:
        url = (yaml.safe_load(fh) or {}).get("site_url") or ""
    return url.rstrip("/") + "/" if url else ""


def history_settings(config: str) -> dict:
    """How much of the history the change log shows (mkdocs.yml, `extra.riwayat`): the
    last `perubahan` data commits, at most `baris` rows of changes each."""
    with open(config, encoding="utf-8") as fh:
        given = ((yaml.safe_load(fh) or {}).get("extra") or {}).get("riwayat") or {}
    return {"perubahan": int(given.get("perubahan", 30)), "baris": int(given.get("baris", 100))}


def build_config(config: str, docs: str, definitions: str | None = None,
                 stamp: datetime.datetime | None = None, history: changes.History | None = None) -> str:
    """mkdocs.yml with docs_dir pointed at this build's pages (paths made absolute); the
    public address from PORTAL_SITE_URL when set (CI sets it to the Pages address), else
    mkdocs.yml's `site_url`; the data version citations print and each page's "Terakhir
    diperbarui" date (data_version); and the glossary's acronyms
    (definitions/istilah.yaml) for the theme's own text (`extra.istilah`)."""
    base = os.path.dirname(os.path.abspath(config))
    with open(config, encoding="utf-8") as fh:
        custom_dir = (yaml.safe_load(fh).get("theme") or {}).get("custom_dir")
    child = {"INHERIT": os.path.abspath(config), "docs_dir": os.path.abspath(docs)}
    if custom_dir:
        child["theme"] = {"name": "material", "custom_dir": os.path.join(base, custom_dir)}
    if os.environ.get("PORTAL_SITE_URL"):
        child["site_url"] = site_url(config)
    child["extra"] = {"kutipan": data_version(stamp or build_stamp(), history)}
    if definitions:
        child["extra"]["istilah"] = (Glossary(load_yaml(os.path.join(definitions, "istilah.yaml"), "istilah.yaml")[0]).titles)
    path = os.path.join(os.path.dirname(os.path.abspath(docs)), "mkdocs.yml")
    with open(path, "w", encoding="utf-8") as fh:
        yaml.safe_dump(child, fh)
    return path
