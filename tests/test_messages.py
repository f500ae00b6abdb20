"""Every message in two languages from one catalogue (generator/messages.yaml).

Code names its texts by key; text other code builds in English (the engine's checks of
the definitions, the build's stage names) is matched against the catalogue. These tests
read the generator's source, so a message added without its pair fails here, naming it.
"""
import ast
import glob
import os
import pickle
import re

import pytest

from generator.publish import ENGINES

from conftest import ROOT
from generator.messages import Text, catalogue, recognise, t, translate
from generator.problems import Problem

SOURCES = sorted(glob.glob(os.path.join(ROOT, "generator", "**", "*.py"), recursive=True))
# texts never named by key: matched as text (engine, PyYAML, stage names, diff errors)
MATCHED = ("engine.", "pyyaml.", "stage.", "diff.")


def trees():
    for path in SOURCES:
        with open(path, encoding="utf-8") as fh:
            yield path, ast.parse(fh.read(), path)


def sample(node) -> str | None:
    """A literal message with every interpolated value replaced by a sample word."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "kanim-kupang" for part in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = sample(node.left), sample(node.right)
        if left is not None or right is not None:
            return (left if left is not None else "'x'") + (right if right is not None else "'x'")
    return None


def literal_messages():
    """(file:line, text) of every literal expected / found / hint text given to a Problem."""
    found = []
    for path, tree in trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Problem":
                for argument in node.args[3:6]:
                    text = sample(argument)
                    if text and re.search(r"[a-z]{3,} [a-z]{2,}", text):  # words, not a value or a path
                        found.append((f"{os.path.relpath(path, ROOT)}:{argument.lineno}", text))
    return found


def named_keys():
    keys = set()
    for _, tree in trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in catalogue():
                keys.add(node.value)
            if isinstance(node, ast.BinOp) and isinstance(node.left, ast.Constant) and node.left.value == "descriptor.":
                keys.update(k for k in catalogue() if k.startswith("descriptor."))
    return keys


def test_every_key_named_in_the_code_exists():
    missing = []
    for path, tree in trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("t", "say", "Text") and node.args \
                    and isinstance(node.args[0], ast.Constant) and node.args[0].value not in catalogue():
                missing.append(f"{os.path.relpath(path, ROOT)}:{node.lineno} {node.args[0].value}")
    assert not missing


def test_every_key_of_the_catalogue_is_used():
    named = named_keys()
    unused = [key for key in catalogue() if not key.startswith(MATCHED) and key not in named
              and not key.startswith(("problem.", "word."))]
    assert not unused


def test_every_literal_message_has_its_other_language():
    """A message written as a literal (the engine's) is matched by a catalogue pair, so it
    prints in Indonesian by default and in English with --lang en."""
    untranslated = [(where, text) for where, text in literal_messages()
                    if translate(text, "id") == text and translate(text, "en") == text]
    assert not untranslated, "add these to generator/messages.yaml:\n" + "\n".join(map(str, untranslated))


def test_build_stage_names_are_translated():
    with open(os.path.join(ROOT, "generator", "build.py"), encoding="utf-8") as fh:
        stages = re.findall(r'timer\.done\("([^"]+)"\)', fh.read())
    assert len(stages) >= 5
    stages += [f"{engine} build" for engine in ENGINES]  # timer.done(f"{engine} build")
    assert all(translate(stage, "id") != stage for stage in stages)


@pytest.mark.parametrize("key", sorted(catalogue()))
def test_both_languages_written(key):
    entry = catalogue()[key]
    assert entry["id"].strip() and entry["en"].strip()
    if not key.startswith(("stage.mkdocs", "cell.boolean", "file.tabs", "pyyaml.mapping")):
        assert entry["id"] != entry["en"], key


def test_a_problem_in_both_languages():
    problem = Problem("datapackages/2025/layanan.csv", 3, "nilai_persen", t("cell.decimal_comma"), "'98,5'",
                      t("cell.decimal_comma_hint"))
    assert problem.text("id") == ("datapackages/2025/layanan.csv:3 [nilai_persen]: diharapkan angka biasa dengan '.' "
                                  "sebagai tanda desimal; ditemukan '98,5' (petunjuk: koma desimal cara Indonesia: "
                                  "tulis 99.74 untuk 99,74)")
    assert problem.text("en") == ("datapackages/2025/layanan.csv:3 [nilai_persen]: expected a plain number with '.' as "
                                  "decimal point; found '98,5' (hint: Indonesian decimal comma: write 99.74 for 99,74)")


def test_texts_cross_process_boundaries_and_stay_comparable():
    """Problems travel from worker processes pickled, and are sorted and deduplicated."""
    text = t("cell.minimum", minimum=0)
    assert text == "a value of at least 0" and isinstance(text, str)
    again = pickle.loads(pickle.dumps(Problem("a.csv", 2, "x", text, "'-1'")))
    assert again == Problem("a.csv", 2, "x", "a value of at least 0", "'-1'")
    assert isinstance(again.expected, Text) and again.expected.render("id") == "nilai paling kecil 0"


def test_plain_text_is_matched_in_either_language_and_data_is_left_alone():
    assert translate("a column of capaian_kinerja", "id") == "kolom dari capaian_kinerja"
    assert translate("kebijakan komponen 0/0 yang dikenal: renormalise atau zero", "en") == \
        "a known policy for 0/0 components: renormalise or zero"
    assert translate("'kanim-kupang'", "id") == "'kanim-kupang'"
    assert recognise("did not find expected key").render("id").startswith("indentasi yang tidak sejajar")


def test_the_check_can_fail():
    """The literal-message test finds a message with no pair (it is not vacuous)."""
    tree = ast.parse('Problem(where, None, "x", "a brand new expectation nobody translated", "none")')
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call))
    text = sample(call.args[3])
    assert translate(text, "id") == text and translate(text, "en") == text
    assert len(literal_messages()) > 30
