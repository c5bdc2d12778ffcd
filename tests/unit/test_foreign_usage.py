"""Usages of a shared host less the changes of consumers that are not the suite's."""

from acceptance.checks.foreign_usage import ProviderReading, describe, foreign_changes, without_foreign

OURS = {"ours-bystander", "ours-doomed"}


def reading(**consumers):
    return ProviderReading.from_allocations(
        {consumer.replace("_", "-"): {"resources": resources} for consumer, resources in consumers.items()})


BASELINE = reading(ours_bystander={"VCPU": 1, "MEMORY_MB": 512}, old_foreign={"VCPU": 4, "MEMORY_MB": 4096})


def test_totals_are_the_sum_over_consumers_as_placement_counts_usages():
    assert BASELINE.totals == {"VCPU": 5, "MEMORY_MB": 4608}


def test_a_foreign_boot_and_a_foreign_delete_are_subtracted():
    now = reading(ours_bystander={"VCPU": 1, "MEMORY_MB": 512}, new_foreign={"VCPU": 2, "MEMORY_MB": 1024})
    assert foreign_changes(BASELINE, now, OURS) == {
        "new-foreign": {"MEMORY_MB": 1024, "VCPU": 2},
        "old-foreign": {"MEMORY_MB": -4096, "VCPU": -4},
    }
    assert without_foreign(BASELINE, now, OURS) == BASELINE.totals


def test_a_change_of_our_own_consumers_is_never_subtracted():
    # The bystander lost its allocations: that is exactly what the suite must see.
    now = reading(old_foreign={"VCPU": 4, "MEMORY_MB": 4096}, ours_doomed={"VCPU": 1})
    assert foreign_changes(BASELINE, now, OURS) == {}
    assert without_foreign(BASELINE, now, OURS) == {"MEMORY_MB": 4096, "VCPU": 5}


def test_a_foreign_server_hides_no_change_of_ours():
    now = reading(old_foreign={"VCPU": 4, "MEMORY_MB": 4096}, new_foreign={"VCPU": 1, "MEMORY_MB": 512})
    assert without_foreign(BASELINE, now, OURS) == {"MEMORY_MB": 4096, "VCPU": 4}  # ours fell by 1


def test_the_note_names_each_foreign_consumer_and_its_change():
    line = describe("compute2", {"new-foreign": {"VCPU": 2, "MEMORY_MB": 1024}, "old": {"VCPU": -4}})
    assert line == ("note: usages of compute2 changed by consumers that are not the suite's "
                    "(subtracted, not a failure): new-foreign VCPU +2, MEMORY_MB +1024; old VCPU -4")
