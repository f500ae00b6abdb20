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


def code_spans(text):
    """Backticked identifiers, commands and values, as a set: whitespace collapsed,
    placeholders (<heading>, FILE) left out, since those are words of each language."""
    spans = set()
    for span in re.findall(r"`([^`]+)`", text):
        span = re.sub(r"<[^>]*>", "", " ".join(span.split())).replace("FILE", "").replace("BERKAS", "").strip()
        spans.add(span)
    return spans


def test_contributing_in_indonesian_keeps_every_rule_of_the_english():
    """Every column, key, value and command the English rules name is named in the
    Indonesian ones (and the other way round): no rule left out in translation."""
    english, indonesian = read("datapackages/CONTRIBUTING.en.md"), read("datapackages/CONTRIBUTING.md")
    assert code_spans(english) == code_spans(indonesian)
    assert len(code_spans(english)) > 60
    assert re.findall(r"^#+ ", english, re.M) == re.findall(r"^#+ ", indonesian, re.M)  # the same sections


def test_panduan_is_linked_and_its_messages_are_the_portal_s():
    """The guide's example messages keep the located form and say what the catalogue
    says: a message reworded in generator/messages.yaml fails here until the guide follows."""
    from generator.messages import translate

    readme, guide = read("README.md"), read("PANDUAN.md")
    assert "(PANDUAN.md)" in readme and "(datapackages/CONTRIBUTING.md)" in guide
    messages = re.findall(r"^(?:\| `)?(datapackages/\S+ ?(?:\[[^\]]+\])?: diharapkan .*?)(?:` \|.*)?$", guide, re.M)
    assert len(messages) >= 15
    for message in messages:
        expected = re.search(r": diharapkan (.*?); ditemukan ", message).group(1)
        assert translate(expected, "en") != expected, message
    for command in ("make validate", "make serve", "portal rapikan", "portal tahun-baru 2027", "portal diff",
                    "git revert", "Source:", "GitHub Actions", "CSV UTF-8"):
        assert command in guide, command
