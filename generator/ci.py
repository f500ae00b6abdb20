"""What CI shows of `portal validate`: GitHub annotations on the CSV lines, a Markdown
job summary, and GitLab's Code Quality report (shown in the merge request).

Problem text comes from the data (a found value is quoted, but may hold anything), so
every form here escapes it for where it goes: workflow-command escapes for annotations
(no second command can start on the same line), Markdown escapes and no HTML for the
summary, JSON for GitLab.
"""
from __future__ import annotations

import hashlib
import html
import json
import os

from .messages import say
from .problems import Problem

SUMMARY_ROWS = 500  # GitHub refuses a job summary over 1 MiB; the log has every problem


def repo_path(problem: Problem, data: str) -> str:
    """The problem's file relative to the working directory (CI runs at the repository
    root), which is what annotations and Code Quality reports point at."""
    path = os.path.join(os.path.dirname(os.path.abspath(data)), problem.file)
    if not os.path.exists(path) and os.path.exists(problem.file):
        path = problem.file
    return os.path.relpath(path).replace(os.sep, "/")


def location(problem: Problem) -> str:
    return problem.location()


def message(problem: Problem) -> str:
    """The problem without its location (an annotation or a table row already shows it)."""
    return problem.message()


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, file: str, line: int | None, title: str, text: str) -> str:
    """A GitHub workflow command such as `::error file=...,line=...,title=...::message`:
    GitHub shows it on that line of the pull request's files and in the run's summary."""
    props = [f"file={_property(file)}"] + ([f"line={line}"] if line is not None else [])
    return f"::{level} {','.join(props + ['title=' + _property(title)])}::{_data(text)}"


def annotation(problem: Problem, data: str) -> str:
    title = say("ci.title_field", field=problem.field) if problem.field else say("ci.title")
    return command("error", repo_path(problem, data), problem.row, title, str(problem))


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|~"})


def md(text: str, limit: int = 300) -> str:
    """Text for one Markdown table cell that stays text: on one line, HTML as entities,
    every Markdown special escaped (a pipe cannot end the cell)."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[:limit - 1] + "…"
    return html.escape(text, quote=False).translate(_MARKDOWN)


def summary(problems: list[Problem], data: str, counts: str) -> str:
    """Markdown for a job summary: the verdict, then every problem (up to SUMMARY_ROWS)."""
    if not problems:
        return f"## {say('ci.passed')}\n\n{md(counts)}\n\n"
    lines = [f"## {say('ci.failed', count=len(problems))}", "", say("ci.nothing_published"), "",
             say("ci.columns"), "| --- | --- | --- | --- |"]
    for problem in problems[:SUMMARY_ROWS]:
        lines.append(f"| {md(repo_path(problem, data))} | {problem.row or ''} | {md(problem.field or '')} | "
                     f"{md(message(problem))} |")
    if len(problems) > SUMMARY_ROWS:
        lines.append("\n" + say("ci.more", count=len(problems) - SUMMARY_ROWS))
    return "\n".join(lines) + "\n\n"


def codequality(problems: list[Problem], data: str) -> str:
    """GitLab Code Quality report (Code Climate subset): one issue per problem."""
    issues = []
    for problem in problems:
        text = str(problem)
        issues.append({"description": text, "check_name": "portal-validate",
                       "fingerprint": hashlib.sha256(text.encode()).hexdigest(), "severity": "major",
                       "location": {"path": repo_path(problem, data), "lines": {"begin": problem.row or 1}}})
    return json.dumps(issues, ensure_ascii=False, indent=1) + "\n"
