"""The embedded cloud's compute supervisor policy, as systemd's Restart=
(embedded_cloud/runtime/supervisor.py): what each way down is restarted under."""

import pytest

from embedded_cloud.errors import CloudError
from embedded_cloud.runtime.supervisor import KILL, STOP, TERMINATE, Policy, describe, parse


@pytest.mark.parametrize("restart, cause, restarted", [
    ("always", STOP, False), ("always", KILL, True), ("always", TERMINATE, True), ("always", None, True),
    ("on-failure", STOP, False), ("on-failure", KILL, True), ("on-failure", TERMINATE, False),
    ("on-failure", None, True),
])
def test_each_way_down_is_restarted_as_systemd_would(restart, cause, restarted):
    assert Policy(restart, 2).restarts(cause) is restarted


def test_policies_parse_and_describe_themselves():
    assert parse("always:11") == Policy("always", 11.0)
    assert str(parse("on-failure:2")) == "on-failure:2"
    assert parse("none") is None and parse("") is None
    assert describe("always:11") == "compute supervisor: Restart=always, RestartSec=11 s"
    assert describe("") == "compute supervisor: none"
    with pytest.raises(CloudError, match="POLICY is one of always, on-failure"):
        parse("on-abort:1")
