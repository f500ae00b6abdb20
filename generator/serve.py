"""`portal serve`: a preview for whoever edits the data, with no hook in any engine.

Our own file watching (watchfiles) runs our stages on every save, then a dirty engine
build of the pages that changed and the placing of their tables and charts
(publish.py), into a preview folder served on this machine. While the data is invalid
the preview keeps the last good pages, with a banner that says why; each save prints
one line (and the problems, once). An open page reloads itself when the preview changes.
"""
from __future__ import annotations

import functools
import html
import http.server
import os
import shutil
import sys
import threading
import time
import urllib.parse

from . import publish
from .build import HAND_WRITTEN, build_config, build_stamp, manifest_path, run_build
from .history import read as read_history
from .messages import say
from .pages import paths
from .pages.sections import SECTIONS
from .workers import Pool

VERSION_PATH = "/.portal-versi"  # what an open page asks every second; never a file
# The page asks for its own version: it reloads when its page changed, or everything did.
RELOAD = ("<script>(function(){var v=null;setInterval(function(){fetch('" + VERSION_PATH + "?halaman='+"
          "encodeURIComponent(location.pathname)).then(function(r){return r.text()}).then(function(t)"
          "{if(v!==null&&t!==v){location.reload()}v=t}).catch(function(){})},1000)})()</script>")
OPEN_FOR = 5  # seconds: a page that asked for its version this recently is open in a browser


class Preview:
    """What the server shows: a version that changes with every rebuild, the version at
    which each page last changed, the pages open in a browser (they ask every second), and
    the banner of the last failed rebuild (empty when the data is valid)."""

    def __init__(self):
        self.version, self.banner, self.everything = 0, "", 0
        self.pages: dict[str, int] = {}  # page address -> the version that last changed it
        self.asked: dict[str, float] = {}  # page address -> when it last asked for its version
        self.unplaced: list[str] | None = []  # files of build/docs the preview lacks (None: any)
        self.manifest: int | None = None  # build/docs' manifest as this preview last left it
        self.lock = threading.Lock()  # the server's threads ask while a rebuild changes it

    def changed(self, banner: str = "", sources: list[str] | None = None) -> None:
        """A rebuild that changed these pages (their Markdown or blocks in build/docs), or
        every page (None: also when the banner comes or goes)."""
        with self.lock:
            if sources is None or banner != self.banner:
                self.everything = self.version + 1
            self.banner = banner  # before any page can see the new version
            for source in sources or ():
                if source.endswith(".md") or source.endswith(".md" + publish.BLOCKS):
                    self.pages[paths.page_url(source.removesuffix(publish.BLOCKS))] = self.version + 1
            self.version += 1

    def version_of(self, address: str | None) -> str:
        with self.lock:
            if address is None:
                return str(self.version)
            address = address.lstrip("/")
            self.asked[address] = time.time()
            return str(max(self.pages.get(address, 0), self.everything))

    def open_sources(self) -> set[str]:
        """The Markdown files in build/docs that the pages open now were made from."""
        now = time.time()
        with self.lock:
            asked = list(self.asked.items())
        return {source for address, when in asked if now - when < OPEN_FOR
                for source in ((address or "index").rstrip("/") + ".md", address + "index.md")}


def handler(folder: str, preview: Preview):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self):
            path, _, query = self.path.partition("?")
            if path == VERSION_PATH:
                address = urllib.parse.parse_qs(query).get("halaman", [None])[0]
                return self.reply(preview.version_of(address).encode(), "text/plain")
            path = self.translate_path(self.path)
            if os.path.isdir(path):
                path = os.path.join(path, "index.html")
            if path.endswith(".html") and os.path.isfile(path):
                with open(path, encoding="utf-8") as fh:
                    page = fh.read()
                return self.reply(page.replace("</body>", self.extra() + "</body>", 1).encode(), "text/html")
            return super().do_GET()

        def extra(self) -> str:
            """Added to the page as served, never to the built files."""
            banner = f'<p class="pk-preview-banner" role="alert">{html.escape(preview.banner)}</p>' \
                if preview.banner else ""
            return banner + RELOAD

        def reply(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind + "; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # one line per save is what the editor reads, not every request
            pass

    return functools.partial(Handler, directory=folder)


def serve(job: dict, address: str, engine: str, progress, watch: list[str]) -> int:
    """Build once, serve, then rebuild on every save until interrupted."""
    import watchfiles

    folder = os.path.join(job["build_dir"], "preview")
    preview = Preview()
    with Pool() as pool:  # kept warm between saves: a worker's first Frictionless check costs more than the check
        job = job | {"pool": pool}
        if not rebuild(job, folder, engine, progress, preview, full=True):
            return 1
        host, _, port = address.rpartition(":")
        server = http.server.ThreadingHTTPServer((host or "127.0.0.1", int(port)), handler(folder, preview))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(say("serve.ready", address=f"http://{host or '127.0.0.1'}:{port}/"), file=sys.stderr)
        try:
            for _ in watchfiles.watch(*[path for path in watch if os.path.exists(path)], debounce=300, step=50):
                rebuild(job, folder, engine, lambda message: None, preview)
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    return 0


def rebuild(job: dict, folder: str, engine: str, progress, preview: Preview, full: bool = False) -> bool:
    """Our stages, then the engine on the pages that changed; the last good pages stay
    when the data is invalid or the engine fails. One line per save.

    The pages open in a browser go first (a pass that makes only them and shows them),
    then everything else: at 170 satkers the open page shows an edit in about half the
    time the whole site takes (a development server's "fast render", as Hugo's)."""
    start, first = time.time(), None
    if manifest_of(job) != preview.manifest:
        preview.unplaced = None  # another build wrote build/docs meanwhile: every file is linked again
    opened = set() if full else preview.open_sources()
    for only in ([opened] if opened else []) + [None]:  # None: the whole site
        stats, problems = run_build(**job, progress=progress, publish=False, only=only)
        if problems:
            for problem in problems:
                print(problem, file=sys.stderr)
            preview.changed(say("serve.problems", count=len(problems)))
            print(say("serve.problems", count=len(problems)), file=sys.stderr)
            return not full
        preview.manifest = manifest_of(job)  # our own build's: unplaced tracks what is not shown yet
        if only and not stats["docs_changed"]:
            continue  # the open pages read nothing that changed
        placed = show(job, folder, engine, preview, stats, full)
        if placed is None:  # the banner says so; the rest of build/docs follows with the next save (unplaced)
            return False
        if only:
            first = time.time() - start
    seconds = f"{time.time() - start:.1f}"
    print(say("serve.rebuilt", pages=placed, files=stats["files_changed"], seconds=seconds) if first is None else
          say("serve.rebuilt_open", first=f"{first:.1f}", pages=placed, files=stats["files_changed"], seconds=seconds),
          file=sys.stderr)
    return True


def show(job: dict, folder: str, engine: str, preview: Preview, stats: dict, full: bool) -> int | None:
    """The engine on the files of build/docs the build changed (all of them when `full`),
    their blocks placed: how many pages, or None when the engine failed."""
    start, docs, stamp = time.time(), os.path.join(job["build_dir"], "docs"), build_stamp(job["data_root"])
    config = build_config(job["config"], docs, definitions=job["definitions_dir"], stamp=stamp,
                          history=read_history(job["data_root"], None, 0, versions_too=False))  # "Terakhir diperbarui"
    if full:
        shutil.rmtree(folder, ignore_errors=True)
    changed = None if full or None in (stats["docs_changed"], preview.unplaced) \
        else sorted(set(preview.unplaced) | set(stats["docs_changed"]))
    preview.unplaced = changed  # until the engine and the placing are done: a failed save's files come next time
    try:
        pages = publish.run_engine(engine, config, folder, stamp, dirty=not full, changed=changed)
    except publish.EngineFailed as exc:
        print(str(exc), file=sys.stderr)
        preview.changed(say("serve.engine_failed", engine=engine))
        return None
    placed = publish.place_blocks(docs, folder, since=None if full else start, pages=pages)
    preview.unplaced = []
    preview.changed(sources=changed)
    return placed


def manifest_of(job: dict) -> int | None:
    """When build/docs' manifest was last written (None: there is none)."""
    try:
        return os.stat(manifest_path(os.path.join(job["build_dir"], "docs"))).st_mtime_ns
    except FileNotFoundError:
        return None


def watched(job: dict) -> list[str]:
    """The folders and files whose changes start a rebuild."""
    base = os.path.dirname(job["config"])
    return [job["data_root"], job["definitions_dir"], HAND_WRITTEN, os.path.join(base, "theme"), job["config"],
            os.path.join(os.path.dirname(job["data_root"]), "laporan"), SECTIONS]
