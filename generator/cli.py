"""`portal`: the command-line front of the pipeline (load, validate, ...)."""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback

from .compute import checked_sums, load_all_definitions, run_compute
from .publish import ENGINES, EngineFailed
from .messages import DEFAULT, LANGUAGES, say, set_language, translate
from .diff import DiffError
from .load import shown
from .validate import sort_key, validate

DEFAULT_DATA = "datapackages"
DEFAULT_DEFINITIONS = "definitions"
DEFAULT_COMPUTED = os.path.join("build", "computed")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    lang, argv = language_option(argv)
    set_language(lang)
    localise_argparse()
    parser = argparse.ArgumentParser(prog="portal", description=say("help.portal"))
    parser.add_argument("--lang", choices=LANGUAGES, default=DEFAULT, metavar="id|en", help=say("help.lang"))
    parser.add_argument("--debug", action="store_true", help=say("help.debug"))
    commands = parser.add_subparsers(dest="command", required=True, metavar="{" + ",".join(COMMANDS) + "}")
    check = commands.add_parser("validate", help=say("help.validate"), description=say("help.validate"))
    common(check)
    check.add_argument("--format", choices=["text", "github"], default="text", help=say("help.validate_format"))
    check.add_argument("--summary", metavar="FILE", default=None, help=say("help.summary"))
    check.add_argument("--codequality", metavar="FILE", default=None, help=say("help.codequality"))
    check.add_argument("--dasar", metavar="REV", default=None, help=say("help.dasar"))
    calc = commands.add_parser("compute", help=say("help.compute"), description=say("help.compute"))
    common(calc)
    calc.add_argument("--out", default=DEFAULT_COMPUTED, help=say("help.out"))
    site = commands.add_parser("build", help=say("help.build"), description=say("help.build"))
    common(site)
    site.add_argument("--build-dir", default="build", help=say("help.build_dir"))
    site.add_argument("--site-dir", default="site", help=say("help.site_dir"))
    site.add_argument("--config", default="mkdocs.yml", help=say("help.config"))
    site.add_argument("--workers", type=int, default=None, help=say("help.workers"))
    site.add_argument("--timings", metavar="FILE", default=None, help=say("help.timings"))
    site.add_argument("--docs-only", action="store_true", help=say("help.docs_only"))
    site.add_argument("--engine", choices=ENGINES, default=ENGINES[0], help=say("help.engine"))
    changes = commands.add_parser("diff", help=say("help.diff"), description=say("help.diff"))
    changes.add_argument("rev", nargs="?", default="HEAD", help=say("help.rev"))
    changes.add_argument("rev2", nargs="?", default=None, help=say("help.rev2"))
    changes.add_argument("--data", default=DEFAULT_DATA, help=say("help.data"))
    changes.add_argument("--format", choices=["text", "markdown", "json", "github"], default="text",
                         help=say("help.diff_format"))
    preview = commands.add_parser("serve", help=say("help.serve"), description=say("help.serve"))
    common(preview)
    preview.add_argument("--build-dir", default="build", help=say("help.build_dir"))
    preview.add_argument("--config", default="mkdocs.yml", help=say("help.config"))
    preview.add_argument("--address", default="127.0.0.1:8000", help=say("help.address"))
    preview.add_argument("--engine", choices=ENGINES, default=ENGINES[0], help=say("help.engine"))
    tidy = commands.add_parser("rapikan", help=say("help.rapikan"), description=say("help.rapikan"))
    tidy.add_argument("files", nargs="*", metavar="FILE", help=say("help.rapikan_files"))
    tidy.add_argument("--data", default=DEFAULT_DATA, help=say("help.data"))
    tidy.add_argument("--periksa", action="store_true", help=say("help.periksa"))
    year = commands.add_parser("tahun-baru", help=say("help.tahun"), description=say("help.tahun"))
    year.add_argument("year", type=int, metavar="TAHUN", help=say("help.tahun_year"))
    year.add_argument("--dari", type=int, default=None, metavar="TAHUN", help=say("help.tahun_dari"))
    year.add_argument("--data", default=DEFAULT_DATA, help=say("help.data"))
    report = commands.add_parser("laporan-baru", help=say("help.laporan"), description=say("help.laporan"))
    report.add_argument("name", metavar="NAMA", help=say("help.laporan_nama"))
    report.add_argument("--judul", required=True, help=say("help.laporan_judul"))
    report.add_argument("--tahun", required=True, metavar="TAHUN", help=say("help.laporan_tahun"))
    report.add_argument("--satker", required=True, metavar="SATKER_ID", help=say("help.laporan_satker"))
    report.add_argument("--dari", default=None, metavar="BERKAS", help=say("help.laporan_dari"))
    report.add_argument("--tanggal", default="", metavar="TTTT-BB-HH", help=say("help.laporan_tanggal"))
    report.add_argument("--tanggal-tercetak", default="", metavar="TEKS", help=say("help.laporan_tanggal_tercetak"))
    report.add_argument("--penandatangan", default="", metavar="NAMA", help=say("help.laporan_penandatangan"))
    report.add_argument("--catatan", default="", help=say("help.catatan"))
    report.add_argument("--tabel", action="append", default=[], metavar="NOMOR,HALAMAN,AWAL,AKHIR[,JUDUL]",
                        help=say("help.laporan_tabel"))
    report.add_argument("--data", default=DEFAULT_DATA, help=say("help.data"))
    unit = commands.add_parser("satker-baru", help=say("help.satker"), description=say("help.satker"))
    unit.add_argument("satker_id", metavar="SATKER_ID", help=say("help.satker_id"))
    unit.add_argument("--nama", required=True, help=say("help.satker_nama"))
    unit.add_argument("--nama-singkat", required=True, help=say("help.satker_nama_singkat"))
    unit.add_argument("--jenis", required=True, help=say("help.satker_jenis"))
    unit.add_argument("--kelas", default="", help=say("help.satker_kelas"))
    unit.add_argument("--induk", default="", metavar="SATKER_ID", help=say("help.satker_induk"))
    unit.add_argument("--induk-sejak", default="", metavar="TAHUN", help=say("help.satker_induk_sejak"))
    unit.add_argument("--kode-satker", default="", help=say("help.satker_kode"))
    unit.add_argument("--provinsi", default="", help=say("help.satker_provinsi"))
    unit.add_argument("--aktif-sejak", default="", metavar="TAHUN", help=say("help.satker_aktif_sejak"))
    unit.add_argument("--catatan", default="", help=say("help.catatan"))
    sources(unit)
    unit.add_argument("--data", default=DEFAULT_DATA, help=say("help.data"))
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except Exception as exc:  # an internal error: one line unless --debug
        if args.debug:
            traceback.print_exc()
        print(say("cli.internal", error=str(exc)), file=sys.stderr)
        return 2


def language_option(argv: list[str]) -> tuple[str, list[str]]:
    """`--lang en` (or `--lang=en`) anywhere on the command line, before or after the
    command, taken out first so that even the help is in that language."""
    lang, rest, args = DEFAULT, [], iter(argv)
    for arg in args:
        if arg == "--lang":
            lang = next(args, DEFAULT)
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    if lang not in LANGUAGES:
        print(say("cli.lang", lang=lang, choices=", ".join(LANGUAGES)), file=sys.stderr)
        sys.exit(2)
    return lang, rest


def localise_argparse() -> None:
    """argparse's own words (usage, options, its error messages) from the catalogue."""
    import gettext

    def words(text: str) -> str:
        key = ARGPARSE.get(text)
        return say(key) if key else gettext.gettext(text)

    argparse._ = words


# argparse's messages (its gettext ids) and their keys in the catalogue
ARGPARSE = {"usage: ": "argparse.usage", "positional arguments": "argparse.positional", "options": "argparse.options",
            "show this help message and exit": "argparse.help",
            "the following arguments are required: %s": "argparse.required",
            "unrecognized arguments: %s": "argparse.unrecognized",
            "invalid choice: %(value)r (choose from %(choices)s)": "argparse.choice",
            "%(prog)s: error: %(message)s\n": "argparse.error", "expected one argument": "argparse.one",
            "invalid %(type)s value: %(value)r": "argparse.type"}


def common(command) -> None:
    command.add_argument("--data", default=DEFAULT_DATA, help=say("help.data"))
    command.add_argument("--definitions", default=DEFAULT_DEFINITIONS, help=say("help.definitions"))
    command.add_argument("--quiet", action="store_true", help=say("help.quiet"))


def sources(command) -> None:
    """Where the report names the new row: the four provenance columns."""
    command.add_argument("--sumber-file", required=True, metavar="BERKAS", help=say("help.sumber_file"))
    command.add_argument("--sumber-tabel", required=True, metavar="TABEL", help=say("help.sumber_tabel"))
    command.add_argument("--sumber-halaman", default="", metavar="HALAMAN", help=say("help.sumber_halaman"))
    command.add_argument("--sumber-baris", required=True, metavar="BARIS", help=say("help.sumber_baris"))


def reporter(args):
    return (lambda message: None) if args.quiet else (lambda message: print(message, file=sys.stderr))


def report(problems, data) -> int:
    for problem in problems:
        print(problem)
    print(say("cli.nothing_published", count=len(problems), data=os.path.normpath(data)), file=sys.stderr)
    return 1


def run_validate(args) -> int:
    from . import ci

    packages, problems = validate(args.data, reporter(args))
    if args.definitions != "none" and not problems:
        definitions, problems = load_all_definitions(args.definitions, packages)
        problems += [] if problems else checked_sums(packages, definitions)
    try:  # figures compared only in data that reads as intended: an unreadable file is one message, not "all removed"
        problems = sorted(problems + (published_figures(args, packages) if not problems else []), key=sort_key)
    except DiffError as exc:  # a revision asked for by name that is not there: CI must not pass unchecked
        print(f"portal validate: {translate(str(exc))}", file=sys.stderr)
        return 2
    for problem in problems:
        print(ci.annotation(problem, args.data) if args.format == "github" else problem)
    resources = sum(len(p.resources) for p in packages)
    rows = sum(len(r.table.rows) for p in packages for r in p.resources if r.table)
    verdict = (say("cli.nothing_published", count=len(problems), data=os.path.normpath(args.data)) if problems
               else say("cli.valid", packages=len(packages), resources=resources, rows=rows))
    warnings = [] if problems else stale_versions(args.data)
    for path, line, text in warnings:
        print(ci.command("warning", os.path.relpath(path), line, say("versi.title"), text) if args.format == "github"
              else f"{shown(path, args.data)}:{line} [version]: {text}")
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as fh:
            fh.write(ci.summary(problems, args.data,
                                say("ci.counts", packages=len(packages), resources=resources, rows=rows)))
            fh.write("".join(f"**{say('versi.title')}**: {ci.md(text, 1000)}\n\n" for _, _, text in warnings))
    if args.codequality:
        with open(args.codequality, "w", encoding="utf-8") as fh:
            fh.write(ci.codequality(problems, args.data))
    print(verdict, file=sys.stderr)
    return 1 if problems else 0


def stale_versions(data: str) -> list[tuple[str, int | None, str]]:
    """(descriptor, line of `version:`, warning) for each package whose data changed since
    its version was set (generator/history.py; nothing without the git history). Only a
    warning here, so that a preview or a fix is never held up; `make test` holds the
    repository to the rule (tests/test_history.py)."""
    from .history import stale_message, versions
    from .load import DESCRIPTOR

    return [(os.path.join(data, v.package, DESCRIPTOR), v.line, stale_message(v).render())
            for v in versions(data) if v.stale]


def published_figures(args, packages) -> list:
    """The rule on published figures blanked or removed, against --dasar (by default where
    the branch left origin/main, else HEAD; skipped with a note when there is no history)."""
    from .validate.published import check_published, default_baseline

    if args.dasar:
        rev, label = args.dasar, args.dasar
    else:
        try:
            rev, label = default_baseline(args.data)
        except DiffError as exc:
            print(say("published.skipped", reason=translate(str(exc))), file=sys.stderr)
            return []
    found = check_published(args.data, packages, rev, label)
    reporter(args)(say("published.compared", rev=label, count=len(found)))
    return found


def run_diff_command(args) -> int:
    from .diff import FORMATS, diff

    try:
        result = diff(args.data, args.rev, args.rev2)
    except DiffError as exc:
        print(f"portal diff: {translate(str(exc))}", file=sys.stderr)
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
    print(say("cli.computed", count=len(results["consistency"]), statuses=summary, out=args.out), file=sys.stderr)
    return 0


def run_build_command(args) -> int:
    from .build import run_build

    try:
        stats, problems = run_build(args.data, args.definitions, args.build_dir, args.site_dir, args.config,
                                    reporter(args), args.workers, publish=not args.docs_only, engine=args.engine)
    except EngineFailed as exc:  # the engine's own words, after ours: the last good site stays
        print(str(exc), file=sys.stderr)
        return 1
    if problems:
        return report(problems, args.data)
    print(say("cli.built", pages=stats["pages"], rendered=stats["pages_rendered"], charts=stats["charts"],
              charts_rendered=stats["charts_rendered"], downloads=stats["downloads"], files=stats["files_changed"],
              where=say("cli.built_docs") if args.docs_only else say("cli.built_site", site=args.site_dir)),
          file=sys.stderr)
    if args.timings:
        with open(args.timings, "w", encoding="utf-8") as fh:
            json.dump({k: v for k, v in stats.items() if k != "docs_changed"}, fh, indent=1)  # figures, not paths
    return 0


def run_serve_command(args) -> int:
    """The preview: our stages and the engine on every save (generator/serve.py)."""
    from .serve import serve, watched

    job = {"data_root": os.path.abspath(args.data), "definitions_dir": os.path.abspath(args.definitions),
           "build_dir": os.path.abspath(args.build_dir), "site_dir": "", "config": os.path.abspath(args.config)}
    return serve(job, args.address, args.engine, reporter(args), watched(job))


def run_tidy_command(args) -> int:
    from .tidy import run

    return run(args.files, args.data, args.periksa, sys.stdout, sys.stderr)


def run_new_year_command(args) -> int:
    """The new year's folder, validated at once (with everything else), then what to fill."""
    from .newyear import create, next_steps

    status = create(args.data, args.year, args.dari, sys.stdout)
    if status:
        return status
    return checked(args, say("tahun.valid", year=args.year), lambda: next_steps(args.data, args.year, sys.stdout))


def checked(args, ok: str, next_steps) -> int:
    """What a scaffold made, validated at once with everything else, then what to fill."""
    packages, problems = validate(args.data)
    for problem in problems:
        print(problem)
    if problems:
        print(say("cli.nothing_published", count=len(problems), data=os.path.normpath(args.data)), file=sys.stderr)
        return 1
    print(ok)
    next_steps()
    return 0


def run_new_report_command(args) -> int:
    from .newreport import create, next_steps

    record = {"judul": args.judul, "tahun_laporan": args.tahun, "satker_id": args.satker,
              "tanggal_tercetak": args.tanggal_tercetak, "tanggal": args.tanggal, "penandatangan": args.penandatangan,
              "catatan": args.catatan}
    status = create(args.data, args.name, record, args.tabel, args.dari, sys.stdout)
    if status:
        return status
    return checked(args, say("laporan.valid", name=args.name),
                   lambda: next_steps(args.data, args.name, args.tahun, bool(args.tabel), sys.stdout))


def run_new_unit_command(args) -> int:
    from .newunit import create, next_steps

    options = {"satker_id": args.satker_id, "kode_satker": args.kode_satker, "nama": args.nama,
               "nama_singkat": args.nama_singkat, "jenis": args.jenis, "kelas": args.kelas, "induk_id": args.induk,
               "provinsi": args.provinsi, "aktif_sejak": args.aktif_sejak, "catatan": args.catatan,
               "sumber_file": args.sumber_file, "sumber_tabel": args.sumber_tabel,
               "sumber_halaman": args.sumber_halaman, "sumber_baris": args.sumber_baris,
               "induk_sejak": args.induk_sejak}
    status = create(args.data, options, sys.stdout)
    if status:
        return status
    return checked(args, say("satker.valid", satker=args.satker_id),
                   lambda: next_steps(args.data, args.satker_id, bool(args.induk), sys.stdout))


COMMANDS = {"validate": run_validate, "compute": run_compute_command, "build": run_build_command,
            "serve": run_serve_command, "diff": run_diff_command, "rapikan": run_tidy_command,
            "tahun-baru": run_new_year_command, "laporan-baru": run_new_report_command,
            "satker-baru": run_new_unit_command}

if __name__ == "__main__":
    sys.exit(main())
