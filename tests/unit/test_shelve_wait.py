"""The end of a shelve is seen as soon as nova settles: offloaded, kept (SHELVED, no task), or ERROR."""
from types import SimpleNamespace

import pytest

from acceptance.checks.polling import WaitTimeout
from acceptance.cloud.waiters import wait_for_shelve_done


class Servers:
    """A compute client whose server goes through the given (status, task_state) pairs."""

    def __init__(self, *states):
        self.states, self.reads = list(states), 0

    def server_or_none(self, server_id):
        status, task = self.states[min(self.reads, len(self.states) - 1)]
        self.reads += 1
        return SimpleNamespace(id=server_id, status=status, task_state=task)


def test_offloaded_at_once_passes_through_shelved_while_offloading():
    # nova's default: SHELVED is saved with task shelving_offloading, then SHELVED_OFFLOADED.
    compute = Servers(("ACTIVE", "shelving"), ("SHELVED", "shelving_offloading"), ("SHELVED_OFFLOADED", None))
    assert wait_for_shelve_done(compute, "s", 10).status == "SHELVED_OFFLOADED"
    assert compute.reads == 3


def test_a_kept_server_is_known_as_soon_as_its_shelve_is_over():
    compute = Servers(("ACTIVE", "shelving_image_uploading"), ("SHELVED", None))
    assert wait_for_shelve_done(compute, "s", 10).status == "SHELVED"
    assert compute.reads == 2


def test_an_error_ends_the_wait():
    assert wait_for_shelve_done(Servers(("ERROR", None)), "s", 10).status == "ERROR"


def test_a_shelve_that_never_ends_times_out_naming_it():
    with pytest.raises(WaitTimeout, match="server s to be shelved"):
        wait_for_shelve_done(Servers(("ACTIVE", "shelving")), "s", 0.3)
