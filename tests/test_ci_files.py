"""The CI files are linted, offline: actionlint (with shellcheck on every `run:` step) and
zizmor (workflow security) for .github/workflows/, GitLab's schema for .gitlab-ci.yml
(check-jsonschema's bundled copy; the workflow also against its schema). Each linter must
name the file it checked and pass on it, and must fail on a broken copy: a linter that
checks nothing cannot pass here. The commented per-province matrix (README, "At 10x") is
linted uncommented too, so it is ready to switch on."""
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

BIN = os.path.dirname(sys.executable)
WORKFLOW = ".github/workflows/portal.yml"
GITLAB = ".gitlab-ci.yml"


def tool(name, *args, cwd=ROOT):
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""), NO_COLOR="1")
    for secret in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN"):  # zizmor stays offline
        env.pop(secret, None)
    done = subprocess.run([os.path.join(BIN, name), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env)
    return done.returncode, done.stdout + done.stderr


def actionlint(path, cwd=ROOT):
    return tool("actionlint", "-verbose", "-no-color", "-shellcheck", os.path.join(BIN, "shellcheck"), path, cwd=cwd)


def zizmor(path, cwd=ROOT):
    return tool("zizmor", "--offline", "--strict-collection", "--no-progress", path, cwd=cwd)


def gitlab_schema(path, cwd=ROOT):
    return tool("check-jsonschema", "-vv", "--builtin-schema", "vendor.gitlab-ci", path, cwd=cwd)


def workflow_schema(path, cwd=ROOT):
    return tool("check-jsonschema", "-vv", "--builtin-schema", "vendor.github-workflows", path, cwd=cwd)


def checked(output, path):
    """Each linter's own word that it read this file."""
    return (f"Linting {path}" in output or f"completed {path}" in output
            or re.search(rf"files were checked:\s+{re.escape(path)}\b", output) is not None)


LINTERS = {"actionlint": (actionlint, WORKFLOW), "zizmor": (zizmor, WORKFLOW),
           "gitlab-schema": (gitlab_schema, GITLAB), "workflow-schema": (workflow_schema, WORKFLOW)}


@pytest.mark.parametrize("name", LINTERS)
def test_ci_file_passes(name):
    lint, path = LINTERS[name]
    code, output = lint(path)
    assert code == 0, output
    assert checked(output, path), f"{name} did not say it checked {path}:\n{output}"
    if name == "actionlint":
        assert 'Rule "shellcheck" was disabled' not in output and "Found total 0 errors" in output


# (linter, file, text in the file, replacement, what the linter must say)
BREAKS = [
    ("actionlint", WORKFLOW, "    needs: periksa\n", "    needs: periksa-typo\n", "periksa-typo"),
    ("actionlint", WORKFLOW, "run: make setup", "run: cd $HOME && make setup", "SC2086"),  # shellcheck ran
    ("actionlint", WORKFLOW, "${{ github.event_name != 'pull_request' }}",
     "${{ github.event_nam != 'pull_request' }}", "event_nam"),
    ("zizmor", WORKFLOW, "          persist-credentials: false\n", "", "artipacked"),
    ("zizmor", WORKFLOW, "run: make setup", 'run: echo "${{ github.event.pull_request.title }}"',
     "template-injection"),
    ("zizmor", WORKFLOW, "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1", "actions/checkout@v7",
     "unpinned-uses"),
    ("zizmor", WORKFLOW, "    permissions:\n      contents: read  # checkout\n", "    permissions: write-all\n",
     "excessive-permissions"),
    ("gitlab-schema", GITLAB, "  script:\n    - .venv/bin/portal diff", "  scripts:\n    - .venv/bin/portal diff",
     "'scripts' was unexpected"),
    ("gitlab-schema", GITLAB, "    when: always\n", "    when: sometimes\n", "'sometimes' is not one of"),
    ("workflow-schema", WORKFLOW, "    runs-on: ubuntu-24.04\n    timeout-minutes: 15\n",
     "    runs_on: ubuntu-24.04\n    timeout-minutes: 15\n", "runs_on"),
]


def broken_copy(tmp_path, path, old, new):
    text = open(os.path.join(ROOT, path), encoding="utf-8").read()
    assert old in text, f"{old!r} is no longer in {path}: update this test"
    target = tmp_path / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    for helper in (".ci/run", ".ci/system-packages"):  # what the workflow runs, for a faithful copy
        (tmp_path / helper).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(os.path.join(ROOT, helper), tmp_path / helper)


@pytest.mark.parametrize("name,path,old,new,said", BREAKS, ids=[f"{b[0]}-{b[4]}" for b in BREAKS])
def test_ci_file_linter_fails_on_a_broken_copy(tmp_path, name, path, old, new, said):
    broken_copy(tmp_path, path, old, new)
    code, output = LINTERS[name][0](path, cwd=tmp_path)
    assert code != 0, f"{name} passed a broken {path}:\n{output}"
    assert said in output, output


def uncomment(text, keys):
    """Switch on the commented blocks that start with `# <key>:` (and their deeper lines)."""
    out, indent = [], None
    for line in text.splitlines(keepends=True):
        start = re.match(r"^(\s*)# (" + "|".join(keys) + r"):\s*$", line)
        if start:
            indent = start.group(1)
            out.append(indent + line[len(indent) + 2:])
        elif indent is not None and line.startswith(indent + "#   "):
            out.append(indent + line[len(indent) + 2:])
        else:
            indent = None
            out.append(line)
    return "".join(out)


@pytest.mark.parametrize("name,path,keys,expect", [
    ("actionlint", WORKFLOW, ("strategy", "env"), "matrix.provinsi"),
    ("zizmor", WORKFLOW, ("strategy", "env"), "matrix.provinsi"),
    ("gitlab-schema", GITLAB, ("parallel",), "PROVINSI"),
])
def test_per_province_matrix_is_ready(tmp_path, name, path, keys, expect):
    text = open(os.path.join(ROOT, path), encoding="utf-8").read()
    switched = uncomment(text, keys)
    assert switched != text and expect in re.sub(r"(?m)^\s*#.*$", "", switched)
    broken_copy(tmp_path, path, text, switched)
    code, output = LINTERS[name][0](path, cwd=tmp_path)
    assert code == 0 and checked(output, path), output
