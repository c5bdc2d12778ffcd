"""Preflight pieces that need no cloud."""

import subprocess
import sys
import textwrap

from behave.configuration import Configuration
from behave.parser import parse_feature

from acceptance.safety.prefix import PREFIX_PATTERN, is_suite_name, new_run_prefix
from acceptance.safety.preflight import needs_for

FEATURE = """Feature: f
  Scenario: one
    Given x
  @two-computes
  Scenario: two
    Given x
  @wip
  Scenario: three
    Given x
"""


def config(*args):
    return Configuration(["--no-color", *args], load_config=False)


def test_needs_count_the_selected_scenarios_and_their_tags():
    feature = parse_feature(FEATURE)
    assert (needs_for([feature], config()).scenarios, needs_for([feature], config()).computes) == (3, 2)
    one = needs_for([feature], config("--tags=~@two-computes"))
    assert (one.scenarios, one.computes) == (2, 1)
    none = needs_for([feature], config("--tags=@nothing"))
    assert (none.scenarios, none.computes) == (0, 0)


def test_evacuate_and_shelve_scenarios_need_their_microversions_only_when_selected():
    feature = parse_feature("""Feature: f
  @evacuate
  Scenario: moved
    Given x
  @shelve
  Scenario: shelved
    Given x
  Scenario: plain
    Given x
""")
    assert "2.95" in needs_for([feature], config()).compute_calls
    assert "2.91" in needs_for([feature], config()).compute_calls
    plain = needs_for([feature], config("--tags=not @evacuate and not @shelve")).compute_calls
    assert not {"2.95", "2.91"} & set(plain)


def test_an_older_nova_is_told_which_scenarios_to_leave_out():
    from acceptance.safety.preflight import Needs, PreflightError, check_access

    class Proxy:
        def get_endpoint_data(self):
            return type("Data", (), {"max_microversion": (2, 90)})()

        def services(self, binary):
            return []

    conn = type("Conn", (), {"compute": Proxy(), "authorize": lambda self: None})()
    try:
        check_access(lambda: conn, Needs(compute_calls=("2.37", "2.95")))
    except PreflightError as error:
        message = str(error)
    else:
        raise AssertionError("a compute API at 2.90 passed a need for 2.95")
    assert message == ("the compute API goes up to microversion 2.90, but the suite needs 2.95 to "
                       "evacuate a server, which then arrives SHUTOFF (scenarios tagged @evacuate; "
                       "leave them out with --tags='not @evacuate'); run the suite against a newer nova")


def test_fail_cleanly_exits_2_with_one_scrubbed_line():
    result = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        from acceptance.safety.preflight import fail_cleanly
        from acceptance.redaction import register_secret
        register_secret("Canary-Pw-7f3a9c")
        print("buffered output survives", end="")
        fail_cleanly("bad password Canary-Pw-7f3a9c;\\nfix it")
    """)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stdout == "buffered output survives"
    assert result.stderr == "preflight: bad password ***; fix it\n"


def test_run_prefixes_are_unique_and_recognisable():
    prefixes = {new_run_prefix() for _ in range(100)}
    assert len(prefixes) == 100
    assert all(PREFIX_PATTERN.match(p) for p in prefixes)
    assert is_suite_name(next(iter(prefixes)) + "server")
    assert not is_suite_name("accept-server")


def test_keystoneauths_bare_exception_for_a_missing_password_is_one_line():
    import pytest

    from acceptance.safety.preflight import PreflightError, check_access

    def no_password():
        raise Exception("password is a required attribute")  # as keystoneauth raises it

    with pytest.raises(PreflightError, match=r"^the cloud configuration is incomplete "
                       r"\(password is a required attribute\); fix clouds.yaml or OS_\*$"):
        check_access(no_password, None)


def test_a_bug_of_ours_in_the_preflight_is_not_dressed_up_as_bad_input():
    import pytest

    from acceptance.safety.preflight import check_access

    def bug():
        raise KeyError("oops")

    with pytest.raises(KeyError):
        check_access(bug, None)
