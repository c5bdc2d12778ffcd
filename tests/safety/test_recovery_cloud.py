"""After a SIGKILL: `python -m acceptance.cleanup` and the suite's own
start-up (safety.begin) replay the ledger the killed run left."""

import signal
import subprocess
import sys
import textwrap
import time

import pytest

from acceptance.safety import net as safety
from acceptance.safety.preflight import Needs
from acceptance.settings import SuiteSettings
from tests.safety import cloud_kit as kit

PROJECT = kit.__file__.rsplit("/tests/", 1)[0]


def killed_run(cloud, run_dir, host="compute2") -> str:
    """A child that records and makes a flavor, stops and forces down
    ``host``, then is SIGKILLed. Returns the run prefix it used."""
    code = textwrap.dedent(f"""
        import os, signal
        from acceptance.safety.ledger import Ledger, cloud_key
        from acceptance.safety.prefix import new_run_prefix
        from embedded_cloud.cloud import EmbeddedCloud
        from tests.safety import cloud_kit as kit

        cloud = EmbeddedCloud({str(cloud.layout.root)!r}, progress=lambda line: None)
        conn = kit.admin(cloud)
        prefix = new_run_prefix()
        print(prefix, flush=True)
        ledger = Ledger.open({str(run_dir)!r}, cloud_key(conn), prefix)
        ledger.will_create("flavor", prefix + "flavor")
        flavor = kit.make_flavor(conn, prefix + "flavor")
        ledger.created("flavor", flavor.name, flavor.id)
        service = kit.services(conn)[{host!r}]
        ledger.will_change_service(service.id, {host!r}, "nova-compute", {{
            "forced_down": False, "status": "enabled", "disabled_reason": None, "state": "up"}})
        cloud.stop_compute({host!r})
        conn.compute.update_service(service.id, forced_down=True)
        ledger.will_create("flavor", prefix + "never-made")
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    child = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True,
                           text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr
    return child.stdout.strip()


def assert_back(conn, prefix):
    assert not [f for f in conn.compute.flavors(is_public=None) if f.name.startswith(prefix)]
    service = kit.services(conn)["compute2"]
    assert (service.status, service.is_forced_down, service.state) == ("enabled", False, "up")


def test_the_cleanup_command_replays_a_killed_runs_ledger(safety_cloud, conn, tmp_path):
    prefix = killed_run(safety_cloud, tmp_path)
    assert kit.services(conn)["compute2"].is_forced_down

    started = time.monotonic()
    command = [sys.executable, "-m", "acceptance.cleanup", "--embedded-dir",
               str(safety_cloud.layout.root), "--run-dir", str(tmp_path)]
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"cleanup: to undo: flavor {prefix}flavor" in result.stdout
    assert "compute2" in result.stdout
    assert_back(conn, prefix)
    print(f"cleanup took {time.monotonic() - started:.1f} s")

    again = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "nothing to undo" in again.stdout


def test_the_next_run_replays_it_first_and_says_so(safety_cloud, conn, tmp_path):
    prefix = killed_run(safety_cloud, tmp_path)
    lines = []
    net = safety.begin(kit.factory(safety_cloud), SuiteSettings(run_dir=str(tmp_path), report_interval=1.0),
                       Needs(computes=2), start_compute=safety_cloud.start_compute,
                       log=lines.append)
    try:
        assert any(line.startswith("recover: an earlier run") for line in lines)
        assert any(f"flavor {prefix}flavor" in line for line in lines)
        assert "recover: the cloud is back as it was before the earlier run" in lines
        assert_back(conn, prefix)
        assert sorted(net.preflight.usable_hosts) == ["compute1", "compute2"]
        assert net.prefix != prefix and net.prefix.startswith("accept-")
    finally:
        net.guard.uninstall()
        net.ledger.close()


def test_a_live_run_holds_its_ledger(safety_cloud, conn, tmp_path):
    settings = SuiteSettings(run_dir=str(tmp_path), report_interval=1.0)
    net = safety.begin(kit.factory(safety_cloud), settings, Needs(), log=lambda line: None)
    try:
        with pytest.raises(safety.START_ERRORS) as error:
            safety.begin(kit.factory(safety_cloud), settings, Needs(), log=lambda line: None)
        assert "another run" in str(error.value) and "\n" not in str(error.value)
        result = subprocess.run(
            [sys.executable, "-m", "acceptance.cleanup", "--embedded-dir",
             str(safety_cloud.layout.root), "--run-dir", str(tmp_path)],
            cwd=PROJECT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and "another run" in result.stderr
    finally:
        net.guard.uninstall()
        net.ledger.close()


def test_a_dry_run_lists_what_it_would_put_back_and_changes_nothing(safety_cloud, conn, tmp_path):
    from acceptance.safety.ledger import cloud_key, ledger_path

    prefix = killed_run(safety_cloud, tmp_path)
    ledger = ledger_path(tmp_path, cloud_key(conn))
    with open(ledger, "ab") as torn:
        torn.write(b'{"event": "will_cr')  # a crash mid-write: a real run would end the line
    ledger_before = ledger.read_bytes()
    files_before = sorted(p.name for p in ledger.parent.iterdir())
    flavors_before = sorted(f.name for f in conn.compute.flavors(is_public=None) if f.name.startswith(prefix))
    command = [sys.executable, "-m", "acceptance.cleanup", "--embedded-dir",
               str(safety_cloud.layout.root), "--run-dir", str(tmp_path)]
    try:
        dry = subprocess.run([*command, "--dry-run"], cwd=PROJECT, capture_output=True, text=True,
                             timeout=120)
        assert dry.returncode == 1, dry.stderr
        assert f"cleanup: would undo: flavor {prefix}flavor" in dry.stdout
        assert "compute2" in dry.stdout
        assert "cleanup: dry run: nothing was changed" in dry.stdout
        # Nothing changed: the ledger byte for byte, its directory, the cloud.
        assert ledger.read_bytes() == ledger_before
        assert sorted(p.name for p in ledger.parent.iterdir()) == files_before
        assert flavors_before == [prefix + "flavor"]
        assert sorted(f.name for f in conn.compute.flavors(is_public=None)
                      if f.name.startswith(prefix)) == flavors_before
        service = kit.services(conn)["compute2"]
        assert service.is_forced_down
        from embedded_cloud.cloud import EmbeddedCloud  # its state as the disk has it now

        assert not EmbeddedCloud(safety_cloud.layout.root, progress=print).is_running("nova-compute-compute2")
    finally:
        put_back = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=300)
    assert put_back.returncode == 0, put_back.stderr
    assert_back(conn, prefix)
