"""Preflight's probe of the fault command path (acceptance/safety/probes.py)."""

import time

import pytest

from acceptance.safety.probes import ProbeError, probe, probes_for
from acceptance.settings import resolve


def test_every_probe_that_answers_passes():
    probe([("compute1", "true"), ("compute2", "exit 0")])


def test_a_refused_probe_is_one_line_naming_the_host_and_the_command():
    with pytest.raises(ProbeError) as error:
        probe([("compute1", "true"),
               ("compute2", "echo 'compute2: Permission denied (publickey).' >&2; exit 255")])
    message = str(error.value)
    assert message.startswith("the fault command path to compute2 failed: `echo")
    assert "exited 255 (compute2: Permission denied (publickey).)" in message
    assert "\n" not in message


def test_a_probe_that_hangs_ends_within_the_timeout_and_is_killed():
    started = time.monotonic()
    with pytest.raises(ProbeError) as error:
        probe([("compute1", "sleep 60"), ("compute2", "sleep 60")], timeout=1)
    assert time.monotonic() - started < 3
    assert str(error.value).startswith("the fault command path to compute1 did not answer in 1 s")


def test_a_preset_probes_each_compute_and_each_controller_through_ssh():
    settings = resolve({"cloud": "c", "image": "i", "deployment": "kolla",
                        "ssh": "ssh -o BatchMode=yes {host}", "controller": "ctl1"}, {})
    assert probes_for(settings, ["compute1"]) == [
        ("compute1", "ssh -o BatchMode=yes compute1 'sudo systemctl cat kolla-nova_compute-container.service >/dev/null'"),
        ("ctl1", "ssh -o BatchMode=yes ctl1 true"),
    ]
    assert probes_for(resolve({"cloud": "c", "image": "i"}, {}), ["compute1"]) == []
