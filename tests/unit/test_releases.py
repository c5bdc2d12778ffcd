"""The releases the embedded cloud runs (embedded_cloud/releases): bad
input, and an install that fails leaving nothing behind."""

import dataclasses
import subprocess
import sys

import pytest

from embedded_cloud import releases
from embedded_cloud.errors import CloudError


def test_an_unknown_release_is_one_line_naming_the_valid_ones():
    with pytest.raises(CloudError) as error:
        releases.choose("2019.1")
    assert str(error.value) == ("release '2019.1' is not one the embedded cloud runs; pass --release "
                                "2024.1 | 2024.2 | 2025.1 | 2025.2 | 2026.1 | 2026.2 (default 2026.2)")


def test_the_default_is_the_newest_which_runs_from_the_projects_own_virtualenv():
    newest = releases.choose(None)
    assert newest.name == releases.NEWEST == max(releases.RELEASES)
    assert not newest.own_virtualenv and releases.python_of(newest) == sys.executable


def test_each_older_release_has_its_upper_constraints_with_their_origin():
    for release in releases.RELEASES.values():
        if release.own_virtualenv:
            first = (releases.DATA / release.constraints).read_text().splitlines()[0]
            assert first.startswith("# openstack/requirements upper-constraints.txt, "), release.name
            assert release.name in first or "stable/" in first or "unmaintained/" in first


def test_the_cli_refuses_an_unknown_release_in_one_line_with_exit_2(tmp_path):
    done = subprocess.run([sys.executable, "-m", "embedded_cloud", "--run-dir", str(tmp_path / "c"),
                           "up", "--release", "2019.1"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "embedded-cloud: release '2019.1' is not one the embedded cloud runs; pass --release "
        "2024.1 | 2024.2 | 2025.1 | 2025.2 | 2026.1 | 2026.2 (default 2026.2)"]
    assert not (tmp_path / "c").exists()


def test_a_failed_install_names_the_package_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(releases.ENV, str(tmp_path))
    broken = dataclasses.replace(releases.RELEASES["2024.1"], name="2024.1",
                                 nova="0.0.0.0.1-no-such-version")
    lines = []
    with pytest.raises(CloudError) as error:
        releases.ensure(broken, say=lines.append)
    assert str(error.value).startswith(
        "release 2024.1 did not install: no matching distribution for nova==0.0.0.0.1-no-such-version")
    assert "\n" not in str(error.value)
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == []
    assert not releases.installed(broken)
    assert lines[0].startswith("release 2024.1: first use, installing nova 0.0.0.0.1-no-such-version")
