"""The supply chain: every Python dependency in requirements.lock is pinned with the hashes
of its files and `make setup` installs them with --require-hashes, so a tampered or
unpinned package fails the install, not the site; every npm package of the browser tests
carries its integrity hash and is installed with `npm ci`. The install tests run the very
command `make setup` runs (read with `make -n`), as a dry run into nothing; they need the
package index (PyPI or a local mirror) and are skipped, saying so, when it cannot be reached."""
import json
import os
import re
import shlex
import subprocess

import pytest

from conftest import ROOT

LOCK = os.path.join(ROOT, "requirements.lock")
NPM_LOCK = os.path.join(ROOT, "tests", "browser", "package-lock.json")
SMALL = "mergedeep"  # a small pure-Python package of the lock: its one wheel is 6 kB
MISMATCH = "DO NOT MATCH THE HASHES"


def lock_entries(text):
    """{name: (requirement, [sha256 hashes])} of a pip-compile lock, continuation lines joined."""
    logical = re.sub(r"\\\n", " ", re.sub(r"(?m)^\s*#.*\n", "", text))
    entries = {}
    for line in logical.splitlines():
        if not line.strip():
            continue
        requirement = line.split()[0]
        name = re.split(r"[=<>!~\[;]", requirement, maxsplit=1)[0].lower()
        entries[name] = (requirement, re.findall(r"--hash=sha256:([0-9a-f]{64})\b", line))
    return entries


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def block(text, name):
    """The lines of one package in the lock: its pin, its hashes and its `# via` comments."""
    found = re.search(rf"(?ms)^{re.escape(name)}==.*?(?=^\S|\Z)", text)
    assert found, f"{name} is no longer in requirements.lock: pick another small package for this test"
    return found.group(0)


def test_every_requirement_is_pinned_with_hashes():
    entries = lock_entries(open(LOCK, encoding="utf-8").read())
    assert len(entries) > 50, "requirements.lock was not read"
    for name, (requirement, hashes) in entries.items():
        assert re.fullmatch(r"[A-Za-z0-9._-]+==[A-Za-z0-9.+!-]+", requirement), f"{name} is not pinned: {requirement}"
        assert hashes, f"{requirement} has no --hash in requirements.lock: run `make lock`"


def test_lock_reader_sees_a_missing_hash():
    """The check above could fail: a pin without its hashes is seen."""
    text = open(LOCK, encoding="utf-8").read()
    stripped = text.replace(block(text, SMALL), f"{SMALL}==1.3.4\n    # via mkdocs\n")
    assert lock_entries(stripped)[SMALL][1] == []
    assert lock_entries(text)[SMALL][1]


def setup_install_command():
    """The command `make setup` installs requirements.lock with (make -n prints it, runs nothing)."""
    done = subprocess.run(["make", "-n", "-B", ".venv/.installed"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    lines = [shlex.split(line) for line in done.stdout.splitlines() if "requirements.lock" in shlex.split(line)]
    assert len(lines) == 1, f"`make setup` should install requirements.lock in one command:\n{done.stdout}"
    return lines[0]


def dry_install(tmp_path, lock_text, extra=("--no-deps",)):
    """`make setup`'s install of a lock with this text, as a dry run: nothing is installed,
    but every file pip picks is fetched and its hash checked. Returns (exit code, output)."""
    path = tmp_path / "requirements.lock"
    path.write_text(lock_text, encoding="utf-8")
    command = [str(path) if word == "requirements.lock" else word for word in setup_install_command()]
    command = [word for word in command if word != "--quiet"]  # pip's own words, for the messages
    done = subprocess.run([*command, "--dry-run", "--ignore-installed", *extra], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    return done.returncode, done.stdout + done.stderr


# what pip says when it cannot reach the index (a pin the index lacks names the versions it has)
OFFLINE = ("(from versions: none)", "NewConnectionError", "Could not fetch URL", "Max retries exceeded")


def reachable_or_skip(code, output):
    if code != 0 and any(words in output for words in OFFLINE):
        pytest.skip(f"the package index cannot be reached (pip: {output.strip().splitlines()[-1]})")


def test_the_lock_installs_with_its_hashes(tmp_path):
    """The control for the tampered cases below: the lock's own lines pass."""
    code, output = dry_install(tmp_path, block(open(LOCK, encoding="utf-8").read(), SMALL))
    reachable_or_skip(code, output)
    assert code == 0 and f"Would install {SMALL}" in output, output


def test_a_tampered_hash_fails_the_install(tmp_path):
    text = block(open(LOCK, encoding="utf-8").read(), SMALL)
    tampered = re.sub(r"sha256:[0-9a-f]{64}", "sha256:" + "f" * 64, text)
    code, output = dry_install(tmp_path, tampered)
    reachable_or_skip(code, output)
    assert code != 0 and MISMATCH in output and SMALL in output, output


def test_a_lock_without_hashes_fails_the_install(tmp_path):
    """--require-hashes at work: without it, pip would install a lock that lists no hash at all."""
    text = re.sub(r" \\\n\s*--hash=sha256:[0-9a-f]{64}", "", block(open(LOCK, encoding="utf-8").read(), SMALL))
    assert "--hash" not in text
    code, output = dry_install(tmp_path, text)
    reachable_or_skip(code, output)
    assert code != 0 and "Hashes are required in --require-hashes mode" in output, output


@pytest.mark.slow
def test_every_package_has_a_file_for_this_platform_with_a_listed_hash(tmp_path):
    """The whole lock resolves here, with its dependencies, every file checked against its hashes
    (about 10 s with pip's cache warm)."""
    code, output = dry_install(tmp_path, open(LOCK, encoding="utf-8").read(), extra=())
    reachable_or_skip(code, output)
    assert code == 0, output
    wanted = set(lock_entries(open(LOCK, encoding="utf-8").read()))
    would = re.search(r"^Would install (.*)$", output, re.M)
    assert would, output
    installed = {canonical(word.rsplit("-", 1)[0]) for word in would.group(1).split()}
    assert installed == {canonical(name) for name in wanted}, output


def test_npm_lock_has_an_integrity_hash_for_every_package_and_make_uses_npm_ci():
    packages = json.load(open(NPM_LOCK, encoding="utf-8"))["packages"]
    fetched = {path: entry for path, entry in packages.items() if path and not entry.get("link")}
    assert len(fetched) > 10
    for path, entry in fetched.items():
        assert re.fullmatch(r"sha512-[A-Za-z0-9+/]+=*", entry.get("integrity", "")), f"{path} has no sha512 integrity"
    done = subprocess.run(["make", "-n", "-B", "tests/browser/node_modules/.installed"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and re.search(r"^npm ci\b", done.stdout, re.M), done.stdout + done.stderr
