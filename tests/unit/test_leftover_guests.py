"""What the run says about guests a real hypervisor may still run after a local delete."""

from types import SimpleNamespace

from acceptance.scenario import leftover_guests


def test_forced_down_or_down_counts_as_down():
    assert leftover_guests.host_is_down(SimpleNamespace(is_forced_down=True, state="up"))
    assert leftover_guests.host_is_down(SimpleNamespace(is_forced_down=False, state="down"))
    assert not leftover_guests.host_is_down(SimpleNamespace(is_forced_down=False, state="up"))


def test_the_summary_names_each_host_its_servers_and_novas_defaults():
    lines = leftover_guests.summary({"c2": ["accept-1-b"], "c1": ["accept-1-a", "accept-1-c"]}, embedded=False)
    assert [line.split(":")[1].strip().split(" may")[0] for line in lines] == ["host c1", "host c2"]
    assert "2 server(s) the suite deleted while its nova-compute was down (accept-1-a, accept-1-c)" in lines[0]
    for line in lines:
        assert "running_deleted_instance_action=reap" in line
        assert "running_deleted_instance_poll_interval=1800 s" in line
        assert "periodic_fuzzy_delay=60 s" in line
    assert leftover_guests.summary({}, embedded=True) == []
    last = leftover_guests.summary({"c1": ["x"]}, embedded=True)[-1]
    assert last.endswith("runs no guests, so none is left there")
