"""`portal serve` on a copy of the real data: a saved edit reaches the served page; a bad
edit keeps the last good pages with a banner; each save prints one line, without the
engine's noise (dirty-build warnings, the list of pages outside the navigation)."""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import ROOT

PAGE = "satker/kanim-kupang/2022/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(base: str, path: str) -> str:
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return response.read().decode("utf-8")


def wait_for_version(base: str, other_than: str | None, seconds: float) -> str:
    """The preview's version (or a page's, when `base` asks for one) once it differs from
    `other_than` (the server answering at all, for None)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            version = get(base, "" if "?" in base else ".portal-versi")
            if version != other_than:
                return version
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the preview did not change within {seconds} s")


def wait_for_line(log, text: str, count: int, seconds: float) -> None:
    """Until the server's output holds `text` `count` times."""
    end = time.monotonic() + seconds
    while log.read_text(encoding="utf-8").count(text) < count:
        assert time.monotonic() < end, f"{text!r} not {count} times within {seconds} s"
        time.sleep(0.2)


@pytest.fixture
def preview(tmp_path):
    shutil.copytree(os.path.join(ROOT, "datapackages"), tmp_path / "data")
    shutil.copytree(os.path.join(ROOT, "laporan"), tmp_path / "laporan")
    port = free_port()
    exe = os.path.join(os.path.dirname(sys.executable), "portal")
    log = open(tmp_path / "serve.log", "w+", encoding="utf-8")
    process = subprocess.Popen([exe, "serve", "--quiet", "--data", str(tmp_path / "data"), "--build-dir",
                                str(tmp_path / "build"), "--address", f"127.0.0.1:{port}"], cwd=ROOT,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}/", tmp_path / "data", tmp_path / "serve.log"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_an_edit_shows_and_a_bad_edit_keeps_the_last_good_pages(preview):
    base, data, log = preview
    version = wait_for_version(base, None, 600)  # the first, full build
    page = get(base, PAGE)
    assert "<table" in page and "pk-block" not in page and 'href="pk:' not in page
    assert "/.portal-versi" in page  # the reload script, added as served

    staff = data / "2022" / "pegawai.csv"
    text = staff.read_text(encoding="utf-8")
    before = text.split("\n")[1]
    assert ",Pejabat Struktural,16,16 orang," in before
    # a valid edit: the row and its total together (the file's total rule holds)
    lines = text.split("\n")
    lines[1] = lines[1].replace(",16,16 orang,", ",17,16 orang,")
    total = next(i for i, line in enumerate(lines) if ",Jumlah,54,54 Orang," in line)
    lines[total] = lines[total].replace(",Jumlah,54,54 Orang,", ",Jumlah,55,54 Orang,")
    open_page, other_page = f".portal-versi?halaman=/{PAGE}", ".portal-versi?halaman=/tentang/"
    page_version, other_version = get(base, open_page), get(base, other_page)  # both pages open in a browser
    staff.write_text("\n".join(lines), encoding="utf-8")
    wait_for_version(base + open_page, page_version, 60)  # the open page's own version
    page = get(base, PAGE)
    assert 'Pejabat Struktural</td><td data-label="Jumlah" class="pk-num">17<' in page
    wait_for_line(log, "pratinjau diperbarui", 2, 60)  # then the rest of the site
    version = get(base, ".portal-versi")
    assert get(base, other_page) == other_version  # a page the edit did not change is not reloaded
    assert "pk-preview-banner" not in page
    assert ",Pejabat Struktural,17,16 orang," in get(base, "unduh/2022/pegawai.csv")  # the downloads follow the edit

    # a bad edit: the total no longer adds up; the page stays as it was, with a banner
    lines[total] = lines[total].replace(",Jumlah,55,54 Orang,", ",Jumlah,99,54 Orang,")
    staff.write_text("\n".join(lines), encoding="utf-8")
    version = wait_for_version(base, version, 60)
    assert get(base, other_page) != other_version  # the banner comes on every page
    page = get(base, PAGE)
    assert 'Pejabat Struktural</td><td data-label="Jumlah" class="pk-num">17<' in page
    assert 'class="pk-preview-banner" role="alert">1 masalah dalam data' in page

    output = log.read_text(encoding="utf-8")
    assert output.count("pegawai.csv:") == 1  # the problem, once
    assert output.count("pratinjau diperbarui") == 2  # the first build and the good edit: one line each
    assert "halaman yang terbuka diperbarui dalam" in output  # the open page went first
    assert "dirty" not in output.lower() and "nav" not in output


def test_an_open_page_reloads_itself_and_an_untouched_one_stays(preview):
    """In Chromium: the page open on the edited satker reloads itself with the new figure;
    a page the edit did not change is not reloaded under its reader."""
    from test_browser import new_driver

    base, data, log = preview
    wait_for_version(base, None, 600)
    edited, untouched = new_driver(1280), new_driver(375)
    try:
        edited.get(base + PAGE)
        untouched.get(base + "tentang/")
        time.sleep(2)  # each page has asked for its version: the server knows both are open
        for driver in (edited, untouched):
            driver.execute_script("window.pkSebelumSimpan = true")  # gone once the page reloads
        staff = data / "2022" / "pegawai.csv"
        text = staff.read_text(encoding="utf-8")
        staff.write_text(text.replace(",Pejabat Struktural,16,16 orang,", ",Pejabat Struktural,18,16 orang,", 1)
                         .replace(",Jumlah,54,54 Orang,", ",Jumlah,56,54 Orang,", 1), encoding="utf-8")  # as printed first
        end = time.monotonic() + 60
        while edited.execute_script("return window.pkSebelumSimpan") and time.monotonic() < end:
            time.sleep(0.2)
        assert 'Pejabat Struktural</td><td data-label="Jumlah" class="pk-num">18<' in edited.page_source
        wait_for_line(log, "pratinjau diperbarui", 2, 60)
        time.sleep(2)  # longer than the pages' one-second question
        assert untouched.execute_script("return window.pkSebelumSimpan") is True
    finally:
        edited.quit()
        untouched.quit()
