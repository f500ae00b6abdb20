"""`portal tahun-baru`: the package folder of a new year, ready to be filled.

Copies the descriptor of the latest year (or `--dari`), with the package's name, title
and description written for the new year and its version back to 1.0.0 (a new package;
README, "Data package versions"); the rest stays byte for byte, each resource's
`schema: ../skema/<resource>.yaml` included: every year shares its resources' schemas.
Writes each resource's CSV with its header only. Then validates everything and says
what to fill next.
"""
from __future__ import annotations

import os
import re

import yaml

from .load import DESCRIPTOR, discover, read_package, shown
from .messages import say


def top_level_blocks(lines: list[str]) -> list[tuple[str | None, int, int]]:
    """(key, first line, end) of each top-level entry of a YAML text; comments and blank
    lines before the first key are a block of their own (key None)."""
    blocks, start, key = [], 0, None
    for index, line in enumerate(lines):
        found = re.match(r"([A-Za-z_][\w-]*):", line)
        if found:
            if index > start or key is not None:
                blocks.append((key, start, index))
            start, key = index, found[1]
    blocks.append((key, start, len(lines)))
    return blocks


def renamed(text: str, source: int, year: int) -> str:
    """The descriptor's text with name, title and description about `year` instead of
    `source`; every other line as it was."""
    lines = text.split("\n")
    data = yaml.safe_load(text)
    values = {"name": re.sub(rf"\b{source}\b", str(year), str(data.get("name", ""))) or f"portal-kinerja-{year}",
              "title": re.sub(rf"\b{source}\b", str(year), str(data.get("title", ""))),
              "description": re.sub(rf"\b{source}\b", str(year), str(data.get("description", ""))),
              "version": "1.0.0"}
    if str(year) not in values["name"]:
        values["name"] = f"portal-kinerja-{year}"
    if str(year) not in values["title"]:
        values["title"] = f"{values['title']} {year}".strip()
    out = []
    for key, start, end in top_level_blocks(lines):
        if key in values:
            out += yaml.safe_dump({key: values[key]}, allow_unicode=True, width=110, sort_keys=False).rstrip("\n").split("\n")
        else:
            out += lines[start:end]
    return "\n".join(out)


def create(data_root: str, year: int, source: int | None, out) -> int:
    years = sorted(int(name) for name in discover(data_root) if name.isdigit())
    if not 2000 <= year <= 2100:
        print(say("tahun.range", year=year), file=out)
        return 2
    folder = os.path.join(data_root, str(year))
    if os.path.exists(folder):
        print(say("tahun.exists", folder=shown(folder, data_root)), file=out)
        return 1
    if source is None:
        if not years:
            print(say("tahun.no_source", data=data_root), file=out)
            return 1
        source = max(years)
    if source not in years:
        print(say("tahun.unknown_source", year=source, years=", ".join(map(str, years))), file=out)
        return 1
    package, problems = read_package(data_root, str(source))
    if problems or package.descriptor is None:
        for problem in problems:
            print(problem, file=out)
        return 1
    with open(os.path.join(package.folder, DESCRIPTOR), encoding="utf-8") as fh:
        text = renamed(fh.read(), source, year)
    os.makedirs(folder)
    with open(os.path.join(folder, DESCRIPTOR), "w", encoding="utf-8") as fh:
        fh.write(text)
    print(say("tahun.made", file=shown(os.path.join(folder, DESCRIPTOR), data_root), source=source,
              name=yaml.safe_load(text).get("name"), title=yaml.safe_load(text).get("title")), file=out)
    for resource in package.resources:
        names = [f.get("name") for f in resource.fields]
        with open(os.path.join(folder, resource.path), "w", encoding="utf-8", newline="") as fh:
            fh.write(",".join(names) + "\n")
        print(say("tahun.csv", file=shown(os.path.join(folder, resource.path), data_root), columns=", ".join(names)),
              file=out)
    return 0


def next_steps(data_root: str, year: int, out) -> None:
    folder = shown(os.path.join(data_root, str(year)), data_root)
    for number, key in enumerate(("tahun.step_rows", "tahun.step_report", "tahun.step_sources", "tahun.step_metadata",
                                  "tahun.step_check", "tahun.step_publish"), start=1):
        print(f"  {number}. " + say(key, year=year, folder=folder,
                                    descriptor=f"{folder}/{DESCRIPTOR}"), file=out)
