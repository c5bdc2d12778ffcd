"""The ``living-spec`` console script (pyproject's [project.scripts]) on the
project's real features/: no cloud, every scenario on the page, exit 0.
Bad input is covered in test_living_spec.py (same ``main``)."""

import subprocess
import sys
from pathlib import Path

from behave.parser import parse_file

from tests.reports.html_sections import text_of

REPO_ROOT = Path(__file__).resolve().parents[2]
FEATURES = REPO_ROOT / "features"
LIVING_SPEC = Path(sys.executable).with_name("living-spec")


def scenario_titles(features_dir):
    titles = []
    for path in sorted(features_dir.glob("*.feature")):
        feature = parse_file(str(path))
        titles += [feature.name] + [scenario.name for scenario in feature.scenarios]
    return titles


def test_the_command_renders_every_scenario_of_the_real_features(tmp_path):
    assert LIVING_SPEC.exists(), "run bin/setup: the project is installed with its console scripts"
    # A neutral cwd and no OS_* variables: the page needs neither a checkout nor a cloud.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run([str(LIVING_SPEC), str(FEATURES), "-o", "spec.html"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "living_spec: wrote spec.html (6 features)"
    text = text_of((tmp_path / "spec.html").read_text(encoding="utf-8"))
    titles = scenario_titles(FEATURES)
    assert len(titles) == 6 + 14     # 6 features; 12 scenarios and 2 outlines
    missing = [title for title in titles if title not in text]
    assert missing == []


def test_the_command_refuses_a_missing_directory_in_one_line(tmp_path):
    result = subprocess.run([str(LIVING_SPEC), "no_such_dir"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no such directory" in result.stderr
