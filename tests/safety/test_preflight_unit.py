"""Preflight pieces that need no cloud."""

import subprocess
import sys
import textwrap

import pytest
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


def test_a_tagged_microversion_is_no_need_of_the_run_only_of_its_scenarios():
    """Tempest's min_microversion: such scenarios are skipped one by one
    (acceptance/tags.py), so the preflight asks only what every scenario does."""
    feature = parse_feature("""Feature: f
  @evacuate
  Scenario: moved
    Given x
  @unshelve-to-host
  Scenario: unshelved
    Given x
""")
    assert needs_for([feature], config()).compute_calls == ("2.37", "2.53", "2.74")


def older_nova(max_microversion):
    class Proxy:
        def get_endpoint_data(self):
            return type("Data", (), {"max_microversion": max_microversion})()

        def services(self, binary):
            return []

    class Placement(Proxy):
        def get_endpoint_data(self):
            return type("Data", (), {"max_microversion": (1, 39)})()

    return type("Conn", (), {"compute": Proxy(), "placement": Placement(),
                             "authorize": lambda self: None})()


def test_an_older_nova_passes_the_preflight_and_says_what_it_offers():
    from acceptance.safety.preflight import Needs, check_access

    result = check_access(lambda: older_nova((2, 90)), Needs())
    assert (result.compute_max, result.offered.highest) == ("2.90", "2.90")
    capped = check_access(lambda: older_nova((2, 104)), Needs(), cap="2.93")
    assert (capped.compute_max, capped.offered.highest) == ("2.104", "2.93")


@pytest.mark.parametrize("cloud, cap, expected", [
    ((2, 60), None, "every scenario needs compute microversion 2.74 to boot a server onto a named "
                    "host, but this cloud offers 2.60; run the suite against a newer nova"),
    ((2, 104), "2.60", "every scenario needs compute microversion 2.74 to boot a server onto a named "
                       "host, but this run offers 2.60 (-D compute_max_microversion=2.60; the cloud "
                       "offers 2.104); raise -D compute_max_microversion"),
])
def test_only_what_every_scenario_needs_ends_the_run(cloud, cap, expected):
    from acceptance.safety.preflight import Needs, PreflightError, check_access

    with pytest.raises(PreflightError) as error:
        check_access(lambda: older_nova(cloud), Needs(), cap=cap)
    assert str(error.value) == expected


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
