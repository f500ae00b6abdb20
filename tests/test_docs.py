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


def usage_options(help_text):
    """{option: its choices or None} of the usage paragraph of a `--help`: `[--format
    {text,github}]` gives {"--format": {"text", "github"}}; `[--lang id|en]` {"--lang": {"id", "en"}}."""
    usage = help_text.split("\n\n")[0]
    options = {}
    for name, value in re.findall(r"\[(--[a-z][a-z-]*)(?: ([^\]\s]+))?\]", usage):
        choices = value.strip("{}").split("," if value.startswith("{") else "|")
        options[name] = set(choices) if len(choices) > 1 else None
    return options


def is_synopsis(words, command):
    """`.venv/bin/portal COMMAND ...`, or for the whole `portal`, `.venv/bin/portal [--option] ...`."""
    if len(words) < 2 or words[0] != ".venv/bin/portal":
        return False
    return words[1] == command if command else words[1].startswith("[")


def readme_synopsis(readme, command):
    """The options shown in the synopsis line of README's section for `portal COMMAND` (the
    whole `portal` when command is None), in the form usage_options reads."""
    heading = f"## `portal {command}`" if command else "## `portal`"
    sections = [part for part in re.split(r"(?m)^(?=## )", readme) if part.splitlines()[0] == heading]
    assert len(sections) == 1, f"README.md has no section {heading}"
    blocks = [block.replace("\\\n", " ") for block in re.findall(r"```sh\n(.*?)```", sections[0], re.S)]  # continued lines
    lines = [line for block in blocks for line in block.splitlines() if is_synopsis(line.split(), command)]
    assert len(lines) == 1, f"{heading} in README.md should show one synopsis line, not {lines}"
    return usage_options(lines[0])


def test_readme_shows_every_option_of_every_command_and_no_other(run_portal):
    """README, `portal --help` and each command's `--help` cannot drift apart: the synopsis of
    each command's section shows exactly the options (and the choices) its parser has."""
    code, out, err = run_portal("--help")
    assert code == 0, err
    commands = re.search(r"\{(.*?)\}", out).group(1).split(",")
    assert len(commands) >= 7
    readme = read("README.md")
    for command in [None, *commands]:
        code, out, err = run_portal(*([command] if command else []), "--help")
        assert code == 0, err
        parser = usage_options(out)
        assert parser, out
        shown = readme_synopsis(readme, command)
        name = f"portal {command}" if command else "portal"
        assert sorted(set(parser) - set(shown)) == [], f"options of `{name}` missing from README.md"
        assert sorted(set(shown) - set(parser)) == [], f"README.md shows options `{name}` does not have"
        for option, choices in parser.items():
            if choices:
                assert shown[option] == choices, f"`{name} {option}`: README.md shows {shown[option]}, not {choices}"


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
