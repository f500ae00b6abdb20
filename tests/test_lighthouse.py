"""Lighthouse (npm, pinned in tests/browser/package-lock.json), mobile, on the home page,
the heaviest satker-year page and the catalogue, served with gzip as GitHub Pages serves
them: performance at least 90; accessibility, best practices and SEO at least 95."""
import json
import os
import shutil
import subprocess

import pytest

from conftest import ROOT
from gzip_server import serve

CHROMIUM = shutil.which("chromium")
LIGHTHOUSE = os.path.join(ROOT, "tests", "browser", "node_modules", ".bin", "lighthouse")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM, reason="Chromium not installed (apt-get install chromium; .ci/run does)")]
MINIMUM = {"performance": 0.90, "accessibility": 0.95, "best-practices": 0.95, "seo": 0.95}


@pytest.fixture(scope="module")
def base(built):
    httpd, url = serve(str(built / "site"))
    yield url
    httpd.shutdown()


def heaviest_satker_year(site) -> str:
    page = max(site.glob("satker/*/*/index.html"), key=lambda p: p.stat().st_size)
    return str(page.parent.relative_to(site)) + "/"


def lighthouse(url: str, out) -> dict:
    done = subprocess.run(
        [LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={out}", "--form-factor=mobile",
         "--only-categories=" + ",".join(MINIMUM),
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"],
        env=dict(os.environ, CHROME_PATH=CHROMIUM), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("which", ["home", "satker-year", "catalogue"])
def test_lighthouse_scores(which, base, built, tmp_path):
    assert os.path.exists(LIGHTHOUSE), "run `make test` (npm ci installs Lighthouse)"
    path = {"home": "", "satker-year": heaviest_satker_year(built / "site"), "catalogue": "data/"}[which]
    report = lighthouse(base + path, tmp_path / "report.json")
    scores = {name: report["categories"][name]["score"] for name in MINIMUM}
    failing = [a["title"] for a in report["audits"].values()
               if a.get("scoreDisplayMode") == "binary" and a.get("score") == 0]
    assert all(scores[name] >= minimum for name, minimum in MINIMUM.items()), (path, scores, failing)
