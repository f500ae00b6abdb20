"""`portal`: the command-line front of the pipeline (load, validate, ...)."""
from __future__ import annotations

import argparse
import os
import sys
import traceback

from .validate import validate

DEFAULT_DATA = "datapackages"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="portal", description="Portal Kinerja: LKjIP data to a public site.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check every data package; exit 1 on any error")
    check.add_argument("--data", default=DEFAULT_DATA, help="folder holding the data packages (default: %(default)s)")
    check.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except Exception as exc:  # an internal error: one line unless --debug
        if args.debug:
            traceback.print_exc()
        print(f"portal: internal error: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return 2


def run_validate(args) -> int:
    progress = (lambda message: None) if args.quiet else (lambda message: print(message, file=sys.stderr))
    packages, problems = validate(args.data, progress)
    for problem in problems:
        print(problem)
    resources = sum(len(p.resources) for p in packages)
    rows = sum(len(r.table.rows) for p in packages for r in p.resources if r.table)
    if problems:
        print(f"{len(problems)} problem(s) in {os.path.normpath(args.data)}: nothing was published",
              file=sys.stderr)
        return 1
    print(f"ok: {len(packages)} packages, {resources} resources, {rows} rows valid", file=sys.stderr)
    return 0


COMMANDS = {"validate": run_validate}

if __name__ == "__main__":
    sys.exit(main())
