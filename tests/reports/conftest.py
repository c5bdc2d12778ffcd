"""Fixtures for the report tests: one real behave run of a throwaway
project (no cloud), shared by the whole session."""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reports.sample_project import write_sample_project

REPO_ROOT = Path(__file__).resolve().parents[2]
HTML_FORMATTER = "reports.html_formatter:HtmlReportFormatter"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: opens a report in headless Chromium (skipped if not installed)")


@dataclass
class BehaveRun:
    project: Path
    features: Path
    html_path: Path
    junit_dir: Path
    returncode: int
    stdout: str
    stderr: str

    @property
    def html(self):
        return self.html_path.read_text(encoding="utf-8")


def run_python(args, cwd):
    """Run this interpreter (the project's venv) with the repo importable."""
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True,
        env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)),
        timeout=300,
    )


@pytest.fixture(scope="session")
def behave_run(tmp_path_factory):
    project = tmp_path_factory.mktemp("behave_project")
    features = write_sample_project(project)
    result = run_python(
        ["-m", "behave", "--no-color",
         "-f", HTML_FORMATTER, "-o", "out/report.html",
         "-f", "plain",
         "--junit", "--junit-directory", "out/junit",
         "features"],
        cwd=project,
    )
    run = BehaveRun(project, features, project / "out" / "report.html",
                    project / "out" / "junit", result.returncode,
                    result.stdout, result.stderr)
    assert run.html_path.exists(), f"behave wrote no report:\n{result.stdout}\n{result.stderr}"
    return run
