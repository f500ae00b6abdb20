"""Benchmark: the whole portal on synthetic national-scale data (see synth.py).

    python benchmarks/run.py [--sizes 10,40,170] [--years 10] [--smoke]

Prints, per size, the time of each stage, peak memory, pages, charts, page and site
sizes; then, at the largest size, a rebuild after changing one value in one CSV and a
rebuild with nothing changed; then plain MkDocs on the same pages. Each figure is printed
beside its target. Everything is generated in a temporary folder and removed.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.dirname(sys.executable)
MB = 1024 * 1024


def build(work: str, label: str, *extra: str, env: dict | None = None, fatal: bool = True) -> dict | None:
    """`portal build` as a separate process; its figures, wall time and peak memory (None
    when it failed and `fatal` is False). The disks are flushed first (sync), so a build
    is not timed while the previous one's gigabytes of site are still being written out."""
    os.sync()
    timings = os.path.join(work, f"timings-{label}.json")
    start = time.perf_counter()
    done = subprocess.run([os.path.join(BIN, "portal"), "build", "--quiet", "--data", os.path.join(work, "datapackages"),
                           "--definitions", os.path.join(work, "definitions"), "--build-dir", os.path.join(work, "build"),
                           "--site-dir", os.path.join(work, "site"), "--timings", timings, *extra], cwd=ROOT,
                          capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        if not fatal:
            print(f"  build failed ({label}) after {wall:.0f} s: {done.stderr.strip().splitlines()[-1][:300]}")
            return None
        sys.exit(f"build failed ({label}):\n{done.stdout[-4000:]}{done.stderr[-4000:]}")
    stats = json.load(open(timings))
    stats["wall"] = wall
    stats["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    return stats


def site_sizes(site: str) -> dict:
    pages = [os.path.getsize(os.path.join(r, n)) for r, _, names in os.walk(site) for n in names if n == "index.html"]
    year_pages = [os.path.getsize(os.path.join(r, "index.html")) for r, _, names in os.walk(os.path.join(site, "satker"))
                  if os.path.basename(r).isdigit() and "index.html" in names]
    total = sum(os.path.getsize(os.path.join(r, n)) for r, _, names in os.walk(site) for n in names)
    return {"median_page_kb": statistics.median(year_pages or pages) / 1024, "largest_page_kb": max(pages) / 1024,
            "largest_year_page_kb": max(year_pages or [0]) / 1024,
            "search_mb": os.path.getsize(os.path.join(site, "search", "search_index.json")) / MB, "site_mb": total / MB}


def prepare(base: str, satkers: int, years: int) -> str:
    work = os.path.join(base, f"n{satkers}")
    info = synth.generate(os.path.join(ROOT, "datapackages"), os.path.join(work, "datapackages"), satkers, years)
    synth.definitions_for(os.path.join(ROOT, "definitions"), os.path.join(work, "definitions"),
                          info["first_year"], years, info["kanwils"])
    return work


def change_one_value(work: str) -> str:
    """Raise one realisation in one CSV of the latest year by one rupiah (again on each call)."""
    latest = max(d for d in os.listdir(os.path.join(work, "datapackages")) if d.isdigit())
    path = os.path.join(work, "datapackages", latest, "anggaran_kegiatan.csv")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0]["realisasi_rp"] = str(int(rows[0]["realisasi_rp"]) + 1)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return f"{latest}/anggaran_kegiatan.csv line 2 realisasi_rp"


def live_preview(work: str) -> tuple[float, float, str] | None:
    """`portal serve` as an editor runs it: once it serves, with the page of the satker
    about to be edited open (asking for its version, as the page's script does), change
    one value and time how long until that page's version changes, then until the whole
    preview is rebuilt (its line in the server's output). None when it did not get there
    within 10 minutes."""
    import socket
    import urllib.request

    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{probe.getsockname()[1]}"
    log_path = os.path.join(work, "serve.log")
    log = open(log_path, "w+")
    server = subprocess.Popen([os.path.join(BIN, "portal"), "serve", "--data", os.path.join(work, "datapackages"),
                               "--definitions", os.path.join(work, "definitions"), "--build-dir",
                               os.path.join(work, "build"), "--address", address], cwd=ROOT, stdout=log, stderr=log)
    latest = max(d for d in os.listdir(os.path.join(work, "datapackages")) if d.isdigit())
    with open(os.path.join(work, "datapackages", latest, "anggaran_kegiatan.csv"), encoding="utf-8") as fh:
        page = f"/satker/{next(csv.DictReader(fh))['satker_id']}/{latest}/"  # the row change_one_value edits

    def version(halaman: str = "") -> str | None:
        try:
            return urllib.request.urlopen(f"http://{address}/.portal-versi{halaman}", timeout=2).read().decode()
        except OSError:
            return None

    def rebuilt() -> int:
        with open(log_path, encoding="utf-8") as fh:
            return fh.read().count("pratinjau diperbarui")

    try:
        deadline = time.time() + 600
        while version() is None and time.time() < deadline and server.poll() is None:
            time.sleep(0.5)
        before, done = version(f"?halaman={page}"), rebuilt()
        if before is None:
            return None
        changed = change_one_value(work)
        start = time.perf_counter()
        while version(f"?halaman={page}") == before and time.time() < deadline:
            time.sleep(0.05)
        shown = time.perf_counter() - start
        while rebuilt() == done and time.time() < deadline:
            time.sleep(0.05)
        return (shown, time.perf_counter() - start, changed) if rebuilt() > done else None
    finally:
        server.terminate()
        server.wait(timeout=30)


def plain_mkdocs(work: str) -> float:
    start = time.perf_counter()
    out = os.path.join(work, "plain-site")
    subprocess.run([os.path.join(BIN, "mkdocs"), "build", "--quiet", "--config-file",
                    os.path.join(work, "build", "mkdocs.yml"), "--site-dir", out], cwd=ROOT, check=True,
                   capture_output=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    return time.perf_counter() - start


ZENSICAL_LIMIT = 300  # seconds: an engine that hangs (Zensical 0.0.73 did, on many files) is reported, not waited for
ENGINE_STAGES = ("mkdocs build", "zensical build")  # the engine, and our placing of blocks after it


def ours(stats: dict) -> float:
    return sum(v for k, v in stats["stages"].items() if k not in ENGINE_STAGES)


def row(label: str, value: str, target: str = "") -> None:
    print(f"  {label:<66} {value:>12}   {target}")


def report(satkers: int, years: int, stats: dict, sizes: dict) -> None:
    print(f"\n{satkers} satkers x {years} years: {stats['pages']} pages, {stats['charts']} charts")
    for stage, seconds in stats["stages"].items():
        row(f"time: {stage}", f"{seconds:.1f} s")
    row("time: whole build (wall)", f"{stats['wall']:.1f} s", "target <= 300 s at 170 satkers")
    row("peak memory (largest process)", f"{stats['peak_mb']:.0f} MB", "target < 2048 MB")
    row("median satker-year page (HTML)", f"{sizes['median_page_kb']:.0f} KB", "target <= 150 KB")
    row("largest satker-year page (HTML)", f"{sizes['largest_year_page_kb']:.0f} KB")
    row("largest page of any kind (HTML)", f"{sizes['largest_page_kb']:.0f} KB")
    row("search index", f"{sizes['search_mb']:.2f} MB", "target <= 5 MB")
    row("whole site", f"{sizes['site_mb']:.0f} MB")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10,40,170")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--smoke", action="store_true", help="3 satkers x 2 years, once (used by the tests)")
    args = parser.parse_args(argv)
    sizes, years = ([3], 2) if args.smoke else ([int(s) for s in args.sizes.split(",")], args.years)
    base = tempfile.mkdtemp(prefix="portal-bench-")
    print(f"Portal Kinerja benchmark: {os.cpu_count()} cores; synthetic data in {base}")
    try:
        scaling = []
        for satkers in sizes:
            work = prepare(base, satkers, years)
            stats = build(work, "full")
            report(satkers, years, stats, site_sizes(os.path.join(work, "site")))
            scaling.append((satkers, stats["wall"], stats["pages"], stats["charts"]))
        print(f"\nThe same {satkers} satkers with Zensical (our stages from their caches; engine stopped after "
              f"{ZENSICAL_LIMIT} s):")
        other = build(work, "zensical", "--engine", "zensical", "--site-dir", os.path.join(work, "site-zensical"),
                      env=dict(os.environ, PORTAL_ENGINE_TIMEOUT=str(ZENSICAL_LIMIT)), fatal=False)
        if other:
            row("zensical build + blocks placed", f"{other['stages']['zensical build']:.1f} s",
                f"mkdocs: {stats['stages']['mkdocs build']:.1f} s")
            row("whole build with Zensical, if our stages ran in full (estimate)",
                f"{ours(stats) + other['stages']['zensical build']:.1f} s", "target <= 300 s at 170 satkers")
        print("\nGrowth with size (whole build):")
        for satkers, wall, pages, charts in scaling:
            row(f"{satkers} satkers: {pages} pages, {charts} charts", f"{wall:.1f} s",
                f"{wall / pages * 1000:.0f} ms a page")
        changed = change_one_value(work)
        one = build(work, "one-change")
        print(f"\nRebuild after changing one value ({changed}):")
        row("our stages (validate .. pages written)", f"{ours(one):.1f} s", "target <= 10 s")
        for stage, seconds in one["stages"].items():
            if stage not in ENGINE_STAGES:
                row(f"  of which {stage}", f"{seconds:.1f} s")
        row("page models made again (the others kept: their reads unchanged)", f"{one['pages_made']}")
        row("pages rendered / charts rendered", f"{one['pages_rendered']} / {one['charts_rendered']}",
            f"of {one['pages']} / {one['charts']}")
        row("files changed in build/docs", f"{one['files_changed']}")
        row("then MkDocs (full, into a fresh folder)", f"{one['stages']['mkdocs build']:.1f} s")
        none = build(work, "no-change")
        print("\nRebuild with nothing changed:")
        row("our stages", f"{ours(none):.1f} s", "target: no chart work")
        row("pages rendered / charts rendered", f"{none['pages_rendered']} / {none['charts_rendered']}", "target 0 charts")
        row("then MkDocs", f"{none['stages']['mkdocs build']:.1f} s")
        live = live_preview(work)
        if live:
            print(f"\n`portal serve` running, after changing one value ({live[2]}):")
            row("a saved edit in the open preview (until the open page's version changes)", f"{live[0]:.1f} s",
                "target <= 5 s")
            row("the whole preview rebuilt (the other pages, downloads)", f"{live[1]:.1f} s")
        else:
            print("\n`portal serve`: no preview within 10 minutes (see serve.log)")
        plain = plain_mkdocs(work)
        print("\nReference: plain MkDocs on the same pages (no generator stages):")
        row("mkdocs build", f"{plain:.1f} s")
        row("whole portal build / plain MkDocs", f"{scaling[-1][1] / plain:.1f} x")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
