"""`portal validate` on the bad-input corpus: every problem located, none silent.

Each folder in tests/fixtures/invalid/ changes the valid fixture in one way
(replace.yaml edits text, files under datapackages/ replace files byte for byte) and
lists in expected.txt the located messages the validator must print.
"""
import os
import shutil

import pytest
import yaml

from conftest import FIXTURES

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
    assert "ok: 2 packages, 5 resources, 10 rows valid" in err


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_located(case, valid_copy, run_portal):
    case_dir = os.path.join(FIXTURES, "invalid", case)
    apply_case(case_dir, valid_copy)
    code, out, err = run_portal("validate", "--quiet", "--definitions", "none", "--data", str(valid_copy / "datapackages"), cwd=valid_copy)
    expected = [line for line in open(os.path.join(case_dir, "expected.txt"), encoding="utf-8").read().splitlines()
                if line]
    assert code == 1, out + err
    for line in expected:
        assert any(printed.startswith(line) for printed in out.splitlines()), f"missing:\n{line}\ngot:\n{out}"
    assert "nothing was published" in err


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
    descriptor = yaml.safe_load(open(folder / "datapackage.yaml", encoding="utf-8"))
    report = Package(descriptor, basepath=str(folder)).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])
