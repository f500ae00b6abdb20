"""The history of the data, from git: the commits that changed the data packages and the
figures each changed (generator/diff.py), when each package last changed, and whether
each package's `version` was raised after its data changed.

A data commit is one that changes a package's data files (its CSV files or its
datapackage.yaml; not CONTRIBUTING.md). Merges are left out: each commit a branch brought
in is listed itself, compared with its parent. A commit's changes never change, so they
are cached under the ids of the commit and its parent (and the diff code). Nothing is
checked out.

Outside a git repository, without git, or in a shallow clone (CI's default fetch-depth 1
cuts the history), `read` answers a History that is not available, with the reason: the
pages then say so instead of guessing.
"""
from __future__ import annotations

import datetime
import os
import re
import shutil
from dataclasses import dataclass, field

import yaml

from . import diff as differ
from .digests import PickleCache, digest_of
from .load import DESCRIPTOR, SCHEMAS, discover
from .messages import Text, t

# The rows of one commit's changes kept (the page shows fewer; counts are of all of them).
KEPT_CHANGES = 5000
CODE = digest_of(*(open(os.path.join(os.path.dirname(__file__), name), "rb").read() for name in ("diff.py", "load.py", "history.py")))


@dataclass
class Commit:
    id: str
    parent: str | None  # first parent; None for the repository's first commit
    when: str  # committer date, ISO 8601 with the committer's offset
    packages: list[str]  # package folders whose data files the commit changed
    message: str = ""  # as git prints it

    @property
    def short(self) -> str:
        return self.id[:10]

    @property
    def date(self) -> datetime.date:
        return datetime.datetime.fromisoformat(self.when).date()


@dataclass
class Entry:
    """One data commit and what it changed."""

    commit: Commit
    changes: list[differ.Change]  # at most KEPT_CHANGES
    count: dict[str, int]  # how many changes, all of them: figures and rows added, changed, removed; and
    # "text": text cells changed (a note, a name), which the change log counts but does not quote
    notes: list[str]  # files that could not be read (diff.py)


@dataclass
class Version:
    """A package's version against the changes to its data since that version was set."""

    package: str
    version: str  # in the working tree
    line: int | None  # of `version:` in the descriptor
    since: Commit | None  # the last commit that set the version; None when never committed
    count: dict[str, int] = field(default_factory=dict)  # changes since, by kind
    level: str = ""  # what the changes call for: major, minor, patch; "" when none
    suggested: str = ""  # the version the rule gives ("" when up to date or not MAJOR.MINOR.PATCH)

    @property
    def stale(self) -> bool:
        return bool(self.level)


@dataclass
class History:
    available: bool
    reason: Text | None = None  # why not, when not available
    entries: list[Entry] = field(default_factory=list)  # newest first, at most the limit
    total: int = 0  # data commits in all
    last: dict[str, Commit] = field(default_factory=dict)  # package -> its last data commit; "" -> the last of all
    versions: list[Version] = field(default_factory=list)

    def changed(self, package: str | None = None) -> Commit | None:
        """The last commit that changed what a page about `package` shows: that package,
        the shared schemas its descriptor names or the reference package (names,
        indicators, sources), whichever is latest; for any other page (package None), the
        last commit that changed any of them."""
        if package is None:
            return self.last.get("")
        found = [c for c in (self.last.get(package), self.last.get(SCHEMAS), self.last.get("referensi")) if c]
        return max(found, key=lambda c: datetime.datetime.fromisoformat(c.when), default=None)


class Unavailable(Exception):
    def __init__(self, reason: Text):
        super().__init__(str(reason))
        self.reason = reason


# --- reading git ----------------------------------------------------------------------------

def git(top: str, *args: str) -> str:
    try:
        return differ.git(top, *args).decode("utf-8", "replace")
    except OSError:
        raise Unavailable(t("history.no_git")) from None


def locate(data_root: str) -> tuple[str, str]:
    """(top of the repository, data folder relative to it), or Unavailable with the reason."""
    folder = os.path.basename(os.path.abspath(data_root))
    if shutil.which("git") is None:
        raise Unavailable(t("history.no_git"))
    try:
        top, rel = differ.repository(data_root)
    except differ.DiffError:
        raise Unavailable(t("history.not_repository", folder=folder)) from None
    if git(top, "rev-parse", "--is-shallow-repository").strip() == "true":
        raise Unavailable(t("history.shallow"))
    try:
        git(top, "rev-parse", "--verify", "--quiet", "HEAD")
    except differ.DiffError:
        raise Unavailable(t("history.no_commits", folder=folder)) from None
    return top, rel


def prefix(rel: str) -> str:
    return "" if rel in ("", ".") else rel + "/"


def data_files(rel: str) -> list[str]:
    """Pathspecs of the packages' data files: their CSV files and descriptors, and the
    shared schemas (skema/) the descriptors name."""
    return [f":(glob){prefix(rel)}*/*.csv", f":(glob){prefix(rel)}*/{DESCRIPTOR}", f":(glob){prefix(rel)}{SCHEMAS}/*"]


def commits(top: str, rel: str) -> list[Commit]:
    """Every data commit, newest first, with the packages it changed."""
    out = git(top, "-c", "core.quotePath=false", "log", "--no-merges", "--no-renames",
              "--format=%x1e%H%x1f%P%x1f%cI", "--name-only", "--", *data_files(rel))
    found = []
    for record in filter(None, out.split("\x1e")):
        head, _, names = record.partition("\n")
        commit_id, parents, when = head.split("\x1f")
        packages = sorted({name[len(prefix(rel)):].split("/")[0] for name in names.split("\n") if name.strip()})
        found.append(Commit(commit_id, parents.split()[0] if parents.split() else None, when, packages))
    return found


def messages(top: str, chosen: list[Commit]) -> None:
    """Each commit's message, as git prints it (one git call for all)."""
    if not chosen:
        return
    out = git(top, "log", "-z", "--no-walk=unsorted", "--format=%H%x1f%B", *[c.id for c in chosen])
    texts = dict(record.split("\x1f", 1) for record in out.split("\0") if "\x1f" in record)
    for commit in chosen:
        commit.message = texts.get(commit.id, "").strip("\n")


# --- what a commit changed ------------------------------------------------------------------

def entry(top: str, rel: str, commit: Commit, cache: PickleCache) -> Entry:
    """The changes of one commit against its parent, from the cache when known: a commit's
    changes never change."""
    key = digest_of(CODE, commit.parent or "", commit.id)
    found = cache.get(key)
    if found is None:
        notes: list[str] = []
        packages = None if SCHEMAS in commit.packages else set(commit.packages)  # a shared schema: every package
        before = differ.state(top, rel, commit.parent, notes, commit.parent[:10], packages) if commit.parent else {}
        after = differ.state(top, rel, commit.id, notes, commit.short, packages)
        changes = differ.compare(before, after)
        count = {k: sum(c.kind == k and not text(c) for c in changes) for k in differ.KINDS}
        found = (count | {"text": sum(map(text, changes))}, changes[:KEPT_CHANGES], notes)
        cache.put(key, found)
    count, changes, notes = found
    return Entry(commit, changes, count, notes)


def text(change: differ.Change) -> bool:
    """A text cell changed (rows added or removed count as figures, whatever they hold)."""
    return change.kind == "changed" and not change.figure


# --- versions -------------------------------------------------------------------------------

SEMVER = re.compile(r"(\d+)\.(\d+)\.(\d+)")
LEVELS = {"major": "versi.major", "minor": "versi.minor", "patch": "versi.patch"}  # what each calls for, in words


def level(before: dict, after: dict, changes: list[differ.Change]) -> str:
    """What the changes call for, by the Data Package Version recipe of the Data Package
    standard (README, "Data package versions"): a table removed or renamed, or its columns
    changed (added, removed, renamed, reordered or retyped) is major: whoever reads it
    breaks; a table or rows added, or rows removed, is minor; values changed only is a
    patch; nothing changed, nothing."""
    if any(key not in after or list(table.fields.items()) != list(after[key].fields.items())
           for key, table in before.items()):
        return "major"
    if any(key not in before for key in after) or any(c.kind != "changed" for c in changes):
        return "minor"
    return "patch" if changes else ""


def bump(version: str, how: str) -> str:
    found = SEMVER.fullmatch(version)
    if not found or not how:
        return ""
    major, minor, patch = map(int, found.groups())
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}[how]


def descriptor_version(text: str) -> tuple[str, int | None]:
    """The descriptor's version and its line ('' when it has none). Only the top-level
    `version:` line is read: the whole descriptor is thousands of lines of YAML."""
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("version:"):
            try:
                value = yaml.safe_load(line[len("version:"):])
            except yaml.YAMLError:
                value = line[len("version:"):].strip()
            return ("" if value is None else str(value)), number
    return "", None


def version_of(top: str, rel: str, data_root: str, package: str) -> Version | None:
    path = os.path.join(data_root, package, DESCRIPTOR)
    try:
        with open(path, encoding="utf-8-sig") as fh:
            version, line = descriptor_version(fh.read())
    except (OSError, UnicodeDecodeError):
        return None
    descriptor = f"{prefix(rel)}{package}/{DESCRIPTOR}"
    head = git(top, "log", "-1", "--format=%H%x1f%P%x1f%cI", "-G^version:", "--", descriptor).strip()
    if not head:
        return Version(package, version, line, None)  # never committed: nothing to compare with
    commit_id, parents, when = head.split("\x1f")
    since = Commit(commit_id, parents.split()[0] if parents.split() else None, when, [package])
    then, _ = descriptor_version(git(top, "show", f"{commit_id}:{descriptor}"))
    if then != version:  # raised since (not committed yet): up to date
        return Version(package, version, line, since)
    try:
        git(top, "diff", "--quiet", commit_id, "--", f"{prefix(rel)}{package}", f"{prefix(rel)}{SCHEMAS}")
        return Version(package, version, line, since)  # no file of the package changed
    except differ.DiffError:
        pass
    notes: list[str] = []
    before = differ.state(top, rel, commit_id, notes, since.short, {package})
    after = differ.state(top, rel, differ.WORKTREE, notes, "pohon kerja", {package})
    changes = differ.compare(before, after)
    how = level(before, after, changes)
    return Version(package, version, line, since, {k: sum(c.kind == k for c in changes) for k in differ.KINDS},
                   how, bump(version, how))


def stale_message(version: Version) -> Text:
    """What validation says of a package whose data changed since its version was set."""
    counts = t("versi.counts", **{k: version.count.get(k, 0) for k in differ.KINDS})
    said = dict(package=version.package, version=version.version, date=version.since.date.isoformat(),
                commit=version.since.short, counts=counts, level=t(LEVELS[version.level]))
    return t("versi.stale", suggested=version.suggested, **said) if version.suggested else t("versi.not_semver", **said)


def versions(data_root: str) -> list[Version]:
    """Every package's version against its changes since it was set; [] without history."""
    try:
        top, rel = locate(data_root)
        return [v for v in (version_of(top, rel, data_root, p) for p in discover(data_root)) if v]
    except (Unavailable, differ.DiffError):  # no history, or git cannot read it: nothing to say
        return []


# --- everything -----------------------------------------------------------------------------

def read(data_root: str, cache_dir: str | None, limit: int, versions_too: bool = True) -> History:
    """The last `limit` data commits with their changes, when each package last changed,
    and (unless `versions_too` is False) the packages' versions; or why the history is
    not available."""
    try:
        top, rel = locate(data_root)
        found = commits(top, rel)
        chosen = found[:max(limit, 0)]
        messages(top, chosen)
        cache = PickleCache(cache_dir)
        entries = [entry(top, rel, c, cache) for c in chosen]
    except Unavailable as exc:
        return History(False, exc.reason)
    except differ.DiffError as exc:  # git failed part-way (a damaged repository): say so, do not stop the build
        return History(False, t("history.git_failed", error=str(exc)))
    last: dict[str, Commit] = {}
    for commit in found:  # newest first: the first commit naming a package is its last change
        for package in commit.packages + [""]:
            last.setdefault(package, commit)
    return History(True, None, entries, len(found), last, versions(data_root) if versions_too else [])
