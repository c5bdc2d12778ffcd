"""restore() paths that make no cloud call (the cloud paths are in test_restore_cloud)."""

from acceptance.checks.polling import PollPolicy
from acceptance.safety.ledger import Ledger
from acceptance.safety.restore import restore

PREFIX = "accept-0badc0de-"
NO_CLOUD = None  # any call on it would fail the test


def test_nothing_outstanding_means_nothing_done(tmp_path):
    with Ledger.open(tmp_path, "k", PREFIX) as ledger:
        lines = []
        assert restore(NO_CLOUD, ledger, timeout=1, log=lines.append) == []
        assert lines == []


def test_a_cut_placement_path_is_restored_through_the_callback(tmp_path):
    calls = []
    with Ledger.open(tmp_path, "k", PREFIX) as ledger:
        ledger.will_cut_placement_path()
        assert restore(NO_CLOUD, ledger, timeout=1, log=lambda line: None,
                       restore_placement_path=lambda: calls.append("restore")) == []
        assert calls == ["restore"] and not ledger.outstanding()


def test_without_a_way_to_restore_it_it_is_one_problem_and_stays_outstanding(tmp_path):
    with Ledger.open(tmp_path, "k", PREFIX) as ledger:
        ledger.will_cut_placement_path()
        [problem] = restore(NO_CLOUD, ledger, timeout=1, log=lambda line: None)
        assert "Placement" in problem and "\n" not in problem
        assert ledger.outstanding().placement_path_cut


def test_flavors_can_be_kept_between_scenarios(tmp_path):
    with Ledger.open(tmp_path, "k", PREFIX) as ledger:
        ledger.created("flavor", PREFIX + "f", "id-f")
        assert restore(NO_CLOUD, ledger, timeout=1, log=lambda line: None, keep_flavors=True) == []
        assert [f.resource_id for f in ledger.outstanding().flavors] == ["id-f"]


# ------------------------------------------- "deleted" only after a 404
class _Server:
    def __init__(self, status, task_state=None):
        self.status, self.task_state = status, task_state


class _Compute:
    """get_server answers each server's scripted states in turn, the last one for ever."""

    def __init__(self, states):
        self.states = states  # id -> list of _Server, or None for a 404
        self.deletes = []

    def delete_server(self, server, ignore_missing=True, force=False):
        self.deletes.append((server, force))

    def get_server(self, server_id):
        from openstack import exceptions

        queue = self.states[server_id]
        state = queue.pop(0) if len(queue) > 1 else queue[0]
        if state is None:
            raise exceptions.NotFoundException("404")
        return state


class _Conn:
    def __init__(self, states):
        self.compute = _Compute(states)


def _restore_servers(tmp_path, monkeypatch, states):
    import acceptance.safety.restore as restore_module

    monkeypatch.setattr(restore_module, "CLOUD_POLL", PollPolicy(0.01, 1.0, 0.01))
    lines = []
    with Ledger.open(tmp_path, "k", PREFIX) as ledger:
        for server_id in states:
            ledger.created("server", PREFIX + server_id, server_id)
        problems = restore(_Conn(states), ledger, timeout=0.2, log=lines.append)
        outstanding = [s.resource_id for s in ledger.outstanding().servers]
    return problems, lines, outstanding


def test_a_server_listed_as_deleted_is_a_problem_with_its_status(tmp_path, monkeypatch):
    problems, lines, outstanding = _restore_servers(
        tmp_path, monkeypatch, {"s1": [_Server("DELETED", "deleting")]})
    assert not any("deleted" in line and "s1" in line for line in lines), lines
    [problem] = problems
    assert "s1" in problem and "still listed" in problem
    assert "status DELETED, task state deleting" in problem
    assert outstanding == ["s1"]


def test_a_soft_deleted_server_is_not_gone_either(tmp_path, monkeypatch):
    problems, _, outstanding = _restore_servers(tmp_path, monkeypatch, {"s1": [_Server("SOFT_DELETED")]})
    [problem] = problems
    assert "status SOFT_DELETED" in problem and outstanding == ["s1"]


def test_deleted_is_said_only_after_a_404(tmp_path, monkeypatch):
    problems, lines, outstanding = _restore_servers(
        tmp_path, monkeypatch, {"s1": [_Server("ACTIVE", "deleting"), _Server("DELETED"), None]})
    assert problems == [] and outstanding == []
    assert [line for line in lines if "deleted" in line] == [f"restore: server {PREFIX}s1 (s1) deleted"]
def test_a_server_the_cloud_only_soft_deleted_is_force_deleted(tmp_path, monkeypatch):
    """reclaim_instance_interval > 0: DELETE leaves it SOFT_DELETED (another
    DELETE would soft-delete again); restore force-deletes it, as Tempest does."""
    from types import SimpleNamespace

    from openstack import exceptions

    import acceptance.safety.restore as restore_module

    monkeypatch.setattr(restore_module, "REDELETE_EVERY", 0.0)
    monkeypatch.setattr(restore_module, "CLOUD_POLL", PollPolicy(0.001, 1.0, 0.001))
    calls, servers = [], {"id-s": SimpleNamespace(id="id-s", status="ACTIVE", task_state=None)}

    def get_server(server_id):
        if server_id not in servers:
            raise exceptions.NotFoundException("gone")
        return servers[server_id]

    def delete_server(server, ignore_missing=True, force=False):
        calls.append("force delete" if force else "delete")
        if force:
            servers.pop(server.id)
        elif server in servers:
            servers[server].status = "SOFT_DELETED"

    conn = SimpleNamespace(compute=SimpleNamespace(get_server=get_server, delete_server=delete_server))
    with Ledger.open(tmp_path, "k", PREFIX) as ledger:
        ledger.created("server", PREFIX + "s", "id-s")
        assert restore(conn, ledger, timeout=5, log=lambda line: None) == []
        assert calls == ["delete", "force delete"]
        assert not ledger.outstanding()


def test_what_could_not_be_put_back_is_one_line_each_in_the_hook_failure():
    from acceptance.safety.restore import CleanupError

    error = CleanupError(["server s1 is still listed", "compute1 is down"])
    assert str(error) == (
        "2 cleanups failed; the cloud may not be as the suite found it:\n"
        "  - restore from the ledger: AssertionError: server s1 is still listed\n"
        "  - restore from the ledger: AssertionError: compute1 is down")
