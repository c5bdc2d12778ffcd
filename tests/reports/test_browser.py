"""Open the HTML report in a real headless browser and take a screenshot."""

import os
import shutil
import subprocess

import pytest

CHROMIUM = next((path for path in ("/usr/bin/chromium", shutil.which("chromium"))
                 if path and os.path.exists(path)), None)


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_report_renders_in_headless_chromium(behave_run, tmp_path):
    screenshot = tmp_path / "shot.png"
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={screenshot}", "--window-size=1200,1600",
         behave_run.html_path.as_uri()],
        capture_output=True, text=True, timeout=120,
    )

    assert screenshot.exists(), result.stderr
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 10 * 1024, "a blank page compresses to a few KB"
