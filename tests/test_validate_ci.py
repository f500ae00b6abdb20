"""`portal validate` for CI: a GitHub annotation on the CSV line of every problem, a
Markdown job summary, a GitLab Code Quality report; data in a problem stays data."""
import json
import os
import re

from conftest import FIXTURES
from generator.ci import annotation, summary
from generator.problems import Problem
from test_validate import apply_case

CASES = ("thousands-separator-number", "unknown-indicator", "negative-budget")


def test_every_problem_annotated_summarised_and_reported(valid_copy, run_portal):
    for case in CASES:
        apply_case(os.path.join(FIXTURES, "invalid", case), valid_copy)
    code, plain, _ = run_portal("validate", "--quiet", "--definitions", "none", cwd=valid_copy)
    problems = plain.splitlines()
    assert code == 1 and len(problems) >= len(CASES)

    summary_file, report_file = valid_copy / "summary.md", valid_copy / "gl-code-quality.json"
    summary_file.write_text("## earlier step\n", encoding="utf-8")
    code, out, err = run_portal("validate", "--quiet", "--definitions", "none", "--format", "github",
                                "--summary", str(summary_file), "--codequality", str(report_file), cwd=valid_copy)
    assert code == 1 and "tidak ada yang diterbitkan" in err
    annotations = out.splitlines()
    assert len(annotations) == len(problems)
    for line, text in zip(annotations, problems):
        assert line.startswith("::error file=datapackages/"), line
        assert line.endswith("::" + text.replace("%", "%25"))  # the whole message, location included
        where = re.match(r"(datapackages/[^:]+):(\d+) ", text)
        if where:  # a located problem: the annotation sits on that line of that file
            assert f"file={where[1]},line={where[2]}," in line
            assert (valid_copy / where[1]).exists()
    assert "file=datapackages/2025/layanan.csv,line=2,title=Data tidak valid%3A kolom nilai_persen::" \
           in out

    markdown = summary_file.read_text(encoding="utf-8")
    assert markdown.startswith("## earlier step\n")  # appended, not overwritten
    assert f"## Validasi data: {len(problems)} masalah" in markdown
    assert "| datapackages/2025/layanan\\.csv | 2 | nilai\\_persen | diharapkan angka tanpa pemisah ribuan" \
           in markdown

    issues = json.loads(report_file.read_text(encoding="utf-8"))
    assert [i["description"] for i in issues] == problems
    assert {"path": "datapackages/2025/layanan.csv", "lines": {"begin": 2}} in [i["location"] for i in issues]
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_valid_data_summary(valid_copy, run_portal):
    summary_file = valid_copy / "summary.md"
    code, out, _ = run_portal("validate", "--quiet", "--definitions", "none", "--format", "github",
                              "--summary", str(summary_file), cwd=valid_copy)
    assert (code, out) == (0, "")
    assert summary_file.read_text(encoding="utf-8").startswith("## Validasi data: lulus")


def test_hostile_text_cannot_start_a_command_or_markup():
    payload = "x\n::add-mask::secret\r\n%0A <img src=x onerror=alert(1)> | `"
    problem = Problem("datapackages/2025/a,b:c.csv", 3, "catatan", "text", payload)
    line = annotation(problem, "datapackages")
    assert "\n" not in line and "\r" not in line
    assert line.startswith("::error file=")  # commands start a line: the payload starts none
    assert "%250A" in line  # a literal %0A in the data stays literal
    assert "file=datapackages/2025/a%2Cb%3Ac.csv,line=3," in line
    markdown = summary([problem], "datapackages", "")
    assert "<img" not in markdown and "\n::" not in markdown
    row = [line for line in markdown.splitlines() if line.startswith("| datapackages")][0]
    assert len(re.findall(r"(?<!\\)\|", row)) == 5  # 4 cells: the payload's pipe is escaped


def test_ci_forms_in_english(valid_copy, run_portal):
    apply_case(os.path.join(FIXTURES, "invalid", "thousands-separator-number"), valid_copy)
    summary_file = valid_copy / "summary.md"
    code, out, err = run_portal("--lang", "en", "validate", "--quiet", "--definitions", "none", "--format", "github",
                                "--summary", str(summary_file), cwd=valid_copy)
    assert code == 1 and "nothing was published" in err
    assert out.startswith("::error file=datapackages/2025/layanan.csv,line=2,title=Invalid data%3A column "
                          "nilai_persen::datapackages/2025/layanan.csv:2 [nilai_persen]: expected a number without "
                          "thousands separators; found '1.234'")
    markdown = summary_file.read_text(encoding="utf-8")
    assert markdown.startswith("## Data validation: 1 problem(s)\n")
    assert "| File | Line | Column | Problem |" in markdown
