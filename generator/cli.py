"""`portal`: the command-line front of the pipeline (load, validate, ...)."""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback

from .compute import load_all_definitions, run_compute
from .validate import validate

DEFAULT_DATA = "datapackages"
DEFAULT_DEFINITIONS = "definitions"
DEFAULT_COMPUTED = os.path.join("build", "computed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="portal", description="Portal Kinerja: LKjIP data to a public site.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check every data package and definition; exit 1 on any error")
    common(check)
    check.add_argument("--format", choices=["text", "github"], default="text",
                       help="text: one line per problem; github: one annotation per problem, on its file and line "
                            "(default: %(default)s)")
    check.add_argument("--summary", metavar="FILE", default=None,
                       help="also append a Markdown report to FILE (a CI job summary: $GITHUB_STEP_SUMMARY)")
    check.add_argument("--codequality", metavar="FILE", default=None,
                       help="also write the problems as a GitLab Code Quality report (JSON) to FILE")
    calc = commands.add_parser("compute", help="validate, recompute every derived figure, write build/computed/")
    common(calc)
    calc.add_argument("--out", default=DEFAULT_COMPUTED, help="output folder (default: %(default)s)")
    site = commands.add_parser("build", help="validate, compute, write the pages and charts, build the site into site/")
    common(site)
    site.add_argument("--build-dir", default="build", help="working folder (default: %(default)s)")
    site.add_argument("--site-dir", default="site", help="output folder (default: %(default)s)")
    site.add_argument("--config", default="mkdocs.yml", help="MkDocs configuration (default: %(default)s)")
    site.add_argument("--workers", type=int, default=None, help="worker processes for Frictionless, charts and spreadsheets (default: one per core)")
    site.add_argument("--timings", default=None, help="also write the build's figures to this JSON file")
    site.add_argument("--docs-only", action="store_true",
                      help="stop once build/docs is up to date, before MkDocs (what `portal serve` runs)")
    changes = commands.add_parser(
        "diff", help="published figures added, changed and removed between a git revision and the working tree "
                     "(or two revisions)")
    changes.add_argument("rev", nargs="?", default="HEAD", help="old revision (default: %(default)s)")
    changes.add_argument("rev2", nargs="?", default=None, help="new revision (default: the working tree)")
    changes.add_argument("--data", default=DEFAULT_DATA, help="folder holding the data packages (default: %(default)s)")
    changes.add_argument("--format", choices=["text", "markdown", "json", "github"], default="text",
                         help="text (Indonesian), markdown (a CI job summary), json, or github (a notice on "
                              "the CSV line of each row changed) (default: %(default)s)")
    preview = commands.add_parser("serve", help="preview: build the pages, serve them, rebuild what an edit changes")
    common(preview)
    preview.add_argument("--build-dir", default="build", help="working folder (default: %(default)s)")
    preview.add_argument("--config", default="mkdocs.yml", help="MkDocs configuration (default: %(default)s)")
    preview.add_argument("--address", default="127.0.0.1:8000", help="where to serve (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except Exception as exc:  # an internal error: one line unless --debug
        if args.debug:
            traceback.print_exc()
        print(f"portal: internal error: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return 2


def common(command) -> None:
    command.add_argument("--data", default=DEFAULT_DATA, help="folder holding the data packages (default: %(default)s)")
    command.add_argument("--definitions", default=DEFAULT_DEFINITIONS,
                         help="folder holding the indicator definitions (default: %(default)s; 'none' to skip)")
    command.add_argument("--quiet", action="store_true", help="no progress lines")


def reporter(args):
    return (lambda message: None) if args.quiet else (lambda message: print(message, file=sys.stderr))


def report(problems, data) -> int:
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s) in {os.path.normpath(data)}: nothing was published", file=sys.stderr)
    return 1


def run_validate(args) -> int:
    from . import ci

    packages, problems = validate(args.data, reporter(args))
    if args.definitions != "none" and not problems:
        problems += load_all_definitions(args.definitions, packages)[1]
    for problem in problems:
        print(ci.annotation(problem, args.data) if args.format == "github" else problem)
    resources = sum(len(p.resources) for p in packages)
    rows = sum(len(r.table.rows) for p in packages for r in p.resources if r.table)
    verdict = (f"{len(problems)} problem(s) in {os.path.normpath(args.data)}: nothing was published" if problems
               else f"ok: {len(packages)} packages, {resources} resources, {rows} rows valid")
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as fh:
            fh.write(ci.summary(problems, args.data, f"{len(packages)} paket, {resources} sumber daya, "
                                                     f"{rows} baris: semuanya valid."))
    if args.codequality:
        with open(args.codequality, "w", encoding="utf-8") as fh:
            fh.write(ci.codequality(problems, args.data))
    print(verdict, file=sys.stderr)
    return 1 if problems else 0


def run_diff_command(args) -> int:
    from .diff import FORMATS, DiffError, diff

    try:
        result = diff(args.data, args.rev, args.rev2)
    except DiffError as exc:
        print(f"portal diff: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(FORMATS[args.format](result))
    return 0


def run_compute_command(args) -> int:
    computed, problems = run_compute(args.data, args.definitions, args.out, reporter(args))
    if problems:
        return report(problems, args.data)
    results = computed.results
    statuses = {}
    for row in results["consistency"]:
        statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    print(f"ok: {len(results['consistency'])} published derived figures checked ({summary}); "
          f"wrote {args.out}", file=sys.stderr)
    return 0


def run_build_command(args) -> int:
    from .build import run_build

    stats, problems = run_build(args.data, args.definitions, args.build_dir, args.site_dir, args.config,
                                reporter(args), args.workers, publish=not args.docs_only)
    if problems:
        return report(problems, args.data)
    print(f"ok: {stats['pages']} pages ({stats['pages_rendered']} rendered, the rest cached), {stats['charts']} charts "
          f"({stats['charts_rendered']} rendered), {stats['downloads']} downloads, {stats['files_changed']} files "
          "changed; " + ("pages in build/docs" if args.docs_only else f"site in {args.site_dir}"), file=sys.stderr)
    if args.timings:
        with open(args.timings, "w", encoding="utf-8") as fh:
            json.dump(stats, fh, indent=1)
    return 0


def run_serve_command(args) -> int:
    """Our stages once, then `mkdocs serve --dirty`; the MkDocs hook runs our stages again
    (from the caches) before each rebuild, when data, definitions or pages change."""
    import subprocess

    from .build import HAND_WRITTEN, bin_path, build_config, run_build

    job = {"data_root": os.path.abspath(args.data), "definitions_dir": os.path.abspath(args.definitions),
           "build_dir": os.path.abspath(args.build_dir), "site_dir": "", "config": os.path.abspath(args.config)}
    stats, problems = run_build(**job, progress=reporter(args), publish=False)
    if problems:
        return report(problems, args.data)
    config = build_config(args.config, os.path.join(args.build_dir, "docs"),
                          watch=[args.data, args.definitions, HAND_WRITTEN], definitions=args.definitions)
    env = dict(os.environ, PORTAL_SERVE=json.dumps(job), PATH=bin_path(), NO_MKDOCS_2_WARNING="1")
    return subprocess.call(["mkdocs", "serve", "--dirty", "--config-file", config, "--dev-addr", args.address], env=env)


COMMANDS = {"validate": run_validate, "compute": run_compute_command, "build": run_build_command,
            "serve": run_serve_command, "diff": run_diff_command}

if __name__ == "__main__":
    sys.exit(main())
