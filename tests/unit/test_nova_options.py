"""`embedded-cloud up --nova-option SECTION.KEY=VALUE`: parsing and merging into nova.conf."""
from __future__ import annotations

import pytest
from hamcrest import assert_that, equal_to

from embedded_cloud import cli
from embedded_cloud.setup import nova_option_names
from embedded_cloud.context import ini
from embedded_cloud.setup.nova_option_names import problem
from embedded_cloud.errors import CloudError
from embedded_cloud.setup.nova_options import merged, parse


def test_options_group_by_section_and_the_last_value_wins():
    assert_that(parse(["DEFAULT.reclaim_instance_interval=3600", "api.x=1", "api.x=2"]),
                equal_to({"DEFAULT": {"reclaim_instance_interval": "3600"}, "api": {"x": "2"}}))


def test_a_value_may_hold_dots_and_equals_signs():
    assert_that(parse(["placement.endpoint_override=http://a.b:1/x=y"]),
                equal_to({"placement": {"endpoint_override": "http://a.b:1/x=y"}}))


@pytest.mark.parametrize("bad", ["reclaim_instance_interval=3600", "DEFAULT.reclaim", ".key=1",
                                 "DEFAULT.=1", "DEF AULT.key=1", "DEFAULT.key=a\nb"])
def test_bad_syntax_is_one_line_with_an_example(bad):
    with pytest.raises(CloudError) as raised:
        parse([bad])
    message = str(raised.value)
    assert_that(len(message.splitlines()), equal_to(1))
    assert_that("e.g. --nova-option DEFAULT.reclaim_instance_interval=3600" in message, equal_to(True))


def test_options_are_laid_over_the_clouds_own_values_in_nova_conf():
    config = {"DEFAULT": {"debug": False, "service_down_time": 6}, "api": {"auth_strategy": "keystone"}}
    text = ini(merged(config, {"DEFAULT": {"reclaim_instance_interval": "3600", "service_down_time": "60"},
                               "workarounds": {"y": "1"}}))
    assert_that(text.splitlines(), equal_to([
        "[DEFAULT]", "debug = false", "service_down_time = 60", "reclaim_instance_interval = 3600", "",
        "[api]", "auth_strategy = keystone", "",
        "[workarounds]", "y = 1",
    ]))
    assert_that(config["DEFAULT"]["service_down_time"], equal_to(6))  # the cloud's own dict untouched


# -- names nova does not know: one line naming section and key, exit 2, nothing started
KNOWN = {"DEFAULT": ["reclaim_instance_interval", "shelved_offload_time"], "workarounds": ["x_y"]}


@pytest.mark.parametrize("section, key, message", [
    ("DEFAULT", "shelved_offload_tme", "nova has no option 'shelved_offload_tme' in [DEFAULT] "
                                       "(did you mean DEFAULT.shelved_offload_time?)"),
    ("DEFAULT", "zzz", "nova has no option 'zzz' in [DEFAULT]"),
    ("workaronds", "x_y", "nova has no section [workaronds] (did you mean [workarounds]?)"),
])
def test_an_unknown_name_is_named_with_the_nearest_known_one(section, key, message):
    assert_that(problem(section, key, KNOWN), equal_to(message))


@pytest.mark.parametrize("section, key", [("DEFAULT", "shelved_offload_time"), ("workarounds", "x-y")])
def test_a_known_name_passes_dashes_or_not(section, key):
    assert_that(problem(section, key, KNOWN), equal_to(None))


def test_nova_s_own_list_holds_the_options_the_suite_cares_about_and_their_old_names():
    known = nova_option_names.known()  # nova's real list, from the virtualenv (made once)
    for section, key in [("DEFAULT", "shelved_offload_time"), ("DEFAULT", "reclaim_instance_interval"),
                         ("DEFAULT", "update_resources_interval"), ("DEFAULT", "transport_url"),
                         ("workarounds", "skip_cpu_compare_on_dest"), ("keystone_authtoken", "www_authenticate_uri"),
                         ("compute", "resource_provider_association_refresh")]:
        assert_that(problem(section, key, known), equal_to(None))


def test_up_with_an_unknown_option_is_one_line_exit_2_and_starts_nothing(tmp_path, capsys):
    run_dir = tmp_path / "cloud"
    assert_that(cli.main(["--run-dir", str(run_dir), "up", "--nova-option", "DEFAULT.no_such_key=1"]),
                equal_to(2))
    err = capsys.readouterr().err
    assert_that(err.splitlines(), equal_to([
        "embedded-cloud: --nova-option DEFAULT.no_such_key: nova has no option 'no_such_key' in [DEFAULT]; "
        "nova would ignore it. Name an option of nova's configuration reference"]))
    assert_that(run_dir.exists(), equal_to(False))
