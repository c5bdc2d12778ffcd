"""`embedded-cloud up --nova-option SECTION.KEY=VALUE`: parsing and merging into nova.conf."""
from __future__ import annotations

import pytest
from hamcrest import assert_that, equal_to

from embedded_cloud.context import ini
from embedded_cloud.errors import CloudError
from embedded_cloud.nova_options import merged, parse


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
