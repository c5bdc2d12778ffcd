"""The suite faults only hosts that run nothing but its own servers."""

import pytest

from acceptance.safety.ledger import Ledger, cloud_key
from acceptance.safety.prefix import new_run_prefix
from acceptance.safety.safe_hosts import ForeignServersError, check_host_is_ours, servers_on
from tests.safety import cloud_kit as kit


@pytest.fixture(scope="module")
def world(safety_cloud):
    """A public flavor, one foreign server (the member user's, no prefix)
    and one of ours, on known hosts."""
    admin, member = kit.admin(safety_cloud), kit.member(safety_cloud)
    prefix = new_run_prefix()
    flavor = kit.make_flavor(admin, prefix + "flavor")
    made = []
    try:
        foreign = kit.boot(member, "someone-elses-server", flavor.id)
        made.append(foreign)
        foreign_host = admin.compute.get_server(foreign.id).compute_host
        our_host = next(h for h in kit.HOSTS if h != foreign_host)
        ours = kit.boot(admin, prefix + "ours", flavor.id, host=our_host)
        made.append(ours)
        yield admin, prefix, foreign, foreign_host, ours, our_host
    finally:
        for server in made:
            admin.compute.delete_server(server.id, ignore_missing=True)
        for server in made:
            admin.compute.wait_for_delete(server, wait=120)
        admin.compute.delete_flavor(flavor.id, ignore_missing=True)


def test_the_host_filter_really_filters(world):
    admin, prefix, foreign, foreign_host, ours, our_host = world
    assert [s.id for s in servers_on(admin, foreign_host)] == [foreign.id]
    assert [s.id for s in servers_on(admin, our_host)] == [ours.id]


def test_a_host_with_a_foreign_server_is_refused_by_name(world):
    admin, prefix, foreign, foreign_host, ours, our_host = world
    with pytest.raises(ForeignServersError) as error:
        check_host_is_ours(admin, foreign_host, prefix=prefix)
    message = str(error.value)
    assert "\n" not in message
    assert foreign_host in message
    project = admin.compute.get_server(foreign.id).project_id
    assert f"{foreign.id} (project {project}, someone-elses-server)" in message
    assert "-D allow_foreign_servers=true" in message


def test_the_flag_allows_it(world):
    admin, prefix, foreign, foreign_host, ours, our_host = world
    check_host_is_ours(admin, foreign_host, prefix=prefix, allow_foreign_servers=True)


def test_a_host_with_only_our_servers_is_fine(world):
    admin, prefix, foreign, foreign_host, ours, our_host = world
    check_host_is_ours(admin, our_host, prefix=prefix)


def test_a_server_in_our_ledger_counts_as_ours_whatever_its_name(world, tmp_path):
    admin, prefix, foreign, foreign_host, ours, our_host = world
    other_prefix = new_run_prefix()
    with Ledger.open(tmp_path, cloud_key(admin), other_prefix) as ledger:
        with pytest.raises(ForeignServersError):
            check_host_is_ours(admin, our_host, prefix=other_prefix, ledger=ledger)
        ledger.created("server", ours.name, ours.id)
        check_host_is_ours(admin, our_host, prefix=other_prefix, ledger=ledger)
