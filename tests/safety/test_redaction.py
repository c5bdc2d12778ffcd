"""No password, token or application-credential secret reaches a log, the
console, a report or a JUnit file."""

import logging
import os
import subprocess
import sys

import pytest

from acceptance import redaction
from acceptance.redaction import MASK, RedactingStream, register_secret, scrub

CANARY = "Canary-Pw-7f3a9c"


@pytest.fixture(autouse=True)
def fresh_secrets():
    redaction.forget_secrets()
    yield
    redaction.forget_secrets()


def test_a_registered_secret_is_masked_anywhere_in_text():
    register_secret(CANARY)
    assert scrub(f"login failed for admin/{CANARY}!") == f"login failed for admin/{MASK}!"


def test_too_short_secrets_are_not_registered():
    register_secret("ab")
    assert scrub("abba") == "abba"


@pytest.mark.parametrize("text, leaked", [
    ('{"auth": {"password": "hunter22"}}', "hunter22"),
    ("{'secret': 'app-cred-secret'}", "app-cred-secret"),
    ("X-Auth-Token: gAAAAABlongtokenvalue", "gAAAAABlongtokenvalue"),
    ("export OS_PASSWORD=hunter22", "hunter22"),
    ("application_credential_secret=xyz987", "xyz987"),
    ("token gAAAAABnNn1mXw7Zr0b7gSdF3YpqPZ", "gAAAAABnNn1mXw7Zr0b7gSdF3YpqPZ"),
    ('RESP BODY: {"server": {"id": "4f1c", "adminPass": "Zq9bGx3kLm2P", "links": []}}', "Zq9bGx3kLm2P"),
    ("{'adminPass': 'Zq9bGx3kLm2P'}", "Zq9bGx3kLm2P"),
    ("adminPass=Zq9bGx3kLm2P", "Zq9bGx3kLm2P"),
    ('{"new_password": "n3w-pw", "client_secret": "cl1ent"}', "n3w-pw"),
    ('{"new_password": "n3w-pw", "client_secret": "cl1ent"}', "cl1ent"),
    ('{"access_token": "opaque-tok-123"}', "opaque-tok-123"),
])
def test_unregistered_secrets_are_caught_by_their_shape(text, leaked):
    assert leaked not in scrub(text)


def test_ordinary_text_is_left_alone():
    text = "server accept-1234abcd-a is ACTIVE on compute1 (VCPU 1, MEMORY_MB 128)"
    assert scrub(text) == text


def test_log_records_are_scrubbed_even_from_child_loggers_and_exceptions():
    register_secret(CANARY)
    stream = __import__("io").StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        redaction.install_log_redaction()
        logging.getLogger("keystoneauth.session").warning("body %s", {"password": CANARY})
        try:
            raise RuntimeError(f"auth failed with {CANARY}")
        except RuntimeError:
            logging.getLogger("acceptance.x").exception("boom")
    finally:
        root.removeHandler(handler)
    assert CANARY not in stream.getvalue()
    assert "boom" in stream.getvalue()


def test_a_redacting_stream_scrubs_and_passes_the_rest_through():
    import io

    raw = io.StringIO()
    register_secret(CANARY)
    stream = RedactingStream(raw)
    stream.write(f"pw={CANARY}\n")
    assert raw.getvalue() == f"pw={MASK}\n"
    assert stream.getvalue() == raw.getvalue()  # attribute pass-through


def test_report_files_are_scrubbed_in_place(tmp_path):
    register_secret(CANARY)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "TESTS-x.xml").write_text(f"<system-out>{CANARY}</system-out>")
    (tmp_path / "clean.txt").write_text("nothing here")
    (tmp_path / "shot.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    changed = redaction.scrub_tree(tmp_path)
    assert changed == [str(tmp_path / "sub" / "TESTS-x.xml")]
    assert CANARY not in (tmp_path / "sub" / "TESTS-x.xml").read_text()


ENVIRONMENT = '''
import atexit, logging, os
from acceptance import redaction

def before_all(context):
    redaction.register_secret(os.environ["CANARY"])
    redaction.install_log_redaction()
    redaction.redact_console()
    redaction.redact_behave_output(context._runner)
    atexit.register(redaction.scrub_tree, os.environ["REPORTS"])
'''

STEPS = '''
import logging, os, sys
from behave import given

@given("a step that leaks the password everywhere")
def leak(context):
    canary = os.environ["CANARY"]
    print(f"printed {canary}")
    sys.stderr.write(f"stderr {canary}\\n")
    logging.getLogger("openstack.compute").warning("logged %s", canary)
    raise AssertionError(f"failed with password {canary}")
'''


def test_a_behave_run_leaks_the_canary_nowhere(tmp_path):
    (tmp_path / "features" / "steps").mkdir(parents=True)
    (tmp_path / "features" / "environment.py").write_text(ENVIRONMENT)
    (tmp_path / "features" / "steps" / "steps.py").write_text(STEPS)
    (tmp_path / "features" / "leak.feature").write_text(
        "Feature: leak\n  Scenario: leak\n    Given a step that leaks the password everywhere\n")
    reports = tmp_path / "reports"
    result = subprocess.run(
        [sys.executable, "-m", "behave", "-f", "plain", "-f", "pretty", "-o", str(reports / "pretty.txt"),
         "--junit", "--junit-directory", str(reports / "junit"), "features"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={**os.environ, "CANARY": CANARY, "REPORTS": str(reports)},
    )
    assert result.returncode == 1  # the step failed, as written
    assert "Traceback" not in result.stderr, result.stderr
    assert "1 scenario passed" not in result.stdout and "0 scenarios passed, 1 failed" in result.stdout
    assert "failed with password ***" in result.stdout
    assert CANARY not in result.stdout + result.stderr
    files = [p for p in reports.rglob("*") if p.is_file()]
    assert len(files) >= 2
    for path in files:
        assert CANARY not in path.read_text(), path


def test_a_source_tree_is_never_scrubbed(tmp_path):
    register_secret(CANARY)
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "test_x.py").write_text(f"PASSWORD = '{CANARY}'")
    assert redaction.scrub_tree(tmp_path) == []
    assert redaction.scrub_reports([tmp_path / "test_x.py"]) == [str(tmp_path / "test_x.py")]


@pytest.mark.parametrize(("command", "shown", "secrets"), [
    ("sshpass -p Pw-1234 ssh {host} sudo systemctl stop nova-compute",
     "sshpass -p *** ssh {host} sudo systemctl stop nova-compute", ["Pw-1234"]),
    ("openstack --os-password 'two words' --os-token=tok-5678 compute service list",
     "openstack --os-password *** --os-token=*** compute service list", ["two words", "tok-5678"]),
    ('PASSWORD=pw-9999 MYSQL_PASSWORD="x y z" nova-manage placement audit',
     "PASSWORD=*** MYSQL_PASSWORD=*** nova-manage placement audit", ["pw-9999", "x y z"]),
    ("curl --auth-token abcdef; ssh -p 2222 {host} true",
     "curl --auth-token ***; ssh -p *** {host} true", ["abcdef", "2222"]),
    ("ssh {host} sudo systemctl start nova-compute", "ssh {host} sudo systemctl start nova-compute", []),
])
def test_a_command_is_shown_with_what_follows_a_secret_flag_masked(command, shown, secrets):
    assert redaction.mask_command(command) == shown
    assert sorted(redaction.command_secrets(command)) == sorted(secrets)


def test_the_secrets_of_a_command_are_masked_everywhere_once_registered_but_not_a_port():
    redaction.register_command_secrets("sshpass -p Pw-Canary-1 ssh -p 2222 {host} true")
    assert scrub("Permission denied for Pw-Canary-1 on port 2222") == f"Permission denied for {MASK} on port 2222"
