"""Open the HTML report in a real headless browser and take a screenshot."""

import pytest

from tests.reports.browser import CHROMIUM, NO_CHROMIUM, looks_rendered, screenshot


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
def test_report_renders_in_headless_chromium(behave_run, tmp_path):
    shot = tmp_path / "shot.png"
    result = screenshot(behave_run.html_path, shot, tmp_path / "profile")

    assert shot.exists(), result.stderr
    assert looks_rendered(shot)
