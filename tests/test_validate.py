"""`portal validate` on the bad-input corpus: every problem located, none silent.

Each folder in tests/fixtures/invalid/ changes the valid fixture in one way
(replace.yaml edits text or deletes files, files under datapackages/ replace files byte
for byte) and pins every located message the validator must print, and no other: in
Indonesian (expected.id.txt, the default) and in English (expected.en.txt, --lang en).
"""
import os
import shutil

import pytest
import yaml

from conftest import FIXTURES, descriptor_of

CASES = sorted(os.listdir(os.path.join(FIXTURES, "invalid")))


def apply_case(case_dir: str, root) -> None:
    edits = os.path.join(case_dir, "replace.yaml")
    if os.path.exists(edits):
        spec = yaml.safe_load(open(edits, encoding="utf-8"))
        for path in (spec.get("delete", []) if isinstance(spec, dict) else []):
            os.remove(root / path)
        for edit in (spec if isinstance(spec, list) else []):
            target = root / edit["file"]
            text = target.read_text(encoding="utf-8")
            assert edit["old"] in text, f"{case_dir}: {edit['old']!r} not in {edit['file']}"
            target.write_text(text.replace(edit["old"], edit["new"], 1), encoding="utf-8")
    overlay = os.path.join(case_dir, "datapackages")
    if os.path.isdir(overlay):
        shutil.copytree(overlay, root / "datapackages", dirs_exist_ok=True)


def test_valid_fixture_passes(valid_copy, run_portal):
    code, out, err = run_portal("validate", "--definitions", "none", "--data", str(valid_copy / "datapackages"))
    assert (code, out) == (0, ""), err
    assert "ok: 2 paket, 5 tabel, 10 baris valid" in err
    code, out, err = run_portal("validate", "--lang", "en", "--definitions", "none", "--data",
                                str(valid_copy / "datapackages"))
    assert (code, out) == (0, ""), err
    assert "ok: 2 packages, 5 resources, 10 rows valid" in err


VERDICT = {"id": "tidak ada yang diterbitkan", "en": "nothing was published"}


def pinned(case: str, lang: str) -> list[str]:
    path = os.path.join(FIXTURES, "invalid", case, f"expected.{lang}.txt")
    return [line for line in open(path, encoding="utf-8").read().splitlines() if line]


@pytest.fixture(scope="module")
def pool():
    """Frictionless in this process (one worker): imported once for every case."""
    from generator.workers import Pool

    with Pool(1) as pool:
        yield pool


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_located(case, valid_copy, run_portal, pool):
    """Every message of the case, exactly as pinned, and nothing else: no follow-on message
    of the same mistake. `portal validate` prints them in Indonesian (the default); the
    same problems are written in English as `--lang en` writes them."""
    from generator.validate import validate

    apply_case(os.path.join(FIXTURES, "invalid", case), valid_copy)
    code, out, err = run_portal("validate", "--quiet", "--definitions", "none",
                                "--data", str(valid_copy / "datapackages"), cwd=valid_copy)
    assert code == 1, out + err
    assert out.splitlines() == pinned(case, "id")
    assert VERDICT["id"] in err
    problems = validate(str(valid_copy / "datapackages"), pool=pool)[1]
    assert [p.text("id") for p in problems] == pinned(case, "id")
    assert [p.text("en") for p in problems] == pinned(case, "en")


def test_both_languages_pin_the_same_problems():
    """Each Indonesian line is its English line translated: same location, same count."""
    for case in CASES:
        ids, ens = pinned(case, "id"), pinned(case, "en")
        assert [line.split(": ")[0] for line in ids] == [line.split(": ")[0] for line in ens], case
        assert all(": diharapkan " in line for line in ids) and all(": expected " in line for line in ens), case


def test_every_problem_is_reported_not_just_the_first(valid_copy, run_portal):
    for case in ("decimal-comma", "unknown-indicator", "year-mismatch", "negative-budget"):
        apply_case(os.path.join(FIXTURES, "invalid", case), valid_copy)
    code, out, _ = run_portal("validate", "--quiet", "--definitions", "none", "--data", str(valid_copy / "datapackages"), cwd=valid_copy)
    assert code == 1
    fields = {line.split("[")[1].split("]")[0] for line in out.splitlines()}
    assert {"nilai_persen", "indikator_id", "tahun", "anggaran_rp"} <= fields


def test_frictionless_alone_misses_what_we_catch(valid_copy):
    """The silent mis-parses are real: frictionless accepts these files."""
    from frictionless import Package

    apply_case(os.path.join(FIXTURES, "invalid", "number-specials"), valid_copy)
    folder = valid_copy / "datapackages" / "2025"
    descriptor = descriptor_of(folder / "datapackage.yaml")  # its shared schema read in
    report = Package(descriptor, basepath=str(folder)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])
