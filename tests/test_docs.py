"""README, CI and CLI help stay in step."""
import os
import re

from conftest import ROOT


def read(path):
    return open(os.path.join(ROOT, path), encoding="utf-8").read()


def test_readme_gives_exactly_two_commands():
    blocks = re.findall(r"```sh\n(.*?)```", read("README.md"), re.S)
    commands = [line.split("#")[0].strip() for line in blocks[0].splitlines() if line.strip()]
    assert commands == ["make site", "make test"]


def test_ci_runs_the_readme_test_command():
    assert "make test" in read(".ci/run")
    assert os.access(os.path.join(ROOT, ".ci/run"), os.X_OK)


def test_every_cli_command_is_documented(run_portal):
    code, out, _ = run_portal("--help")
    assert code == 0
    commands = re.search(r"\{(.*?)\}", out).group(1).split(",")
    readme = read("README.md")
    for command in commands:
        assert f"portal {command}" in readme, f"`portal {command}` is not documented in README.md"
