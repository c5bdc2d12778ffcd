from types import SimpleNamespace

import pytest
from hamcrest import assert_that
from hamcrest.core.string_description import StringDescription

from acceptance.checks.matchers import (
    allocates_exactly,
    allocates_exactly_on_each,
    format_resources,
    has_no_allocations,
    has_service_state,
    has_usages,
    usages_raised_by,
)

RP1 = "11111111-1111-1111-1111-111111111111"
RP2 = "22222222-2222-2222-2222-222222222222"
FLAVOR = {"VCPU": 1, "MEMORY_MB": 512, "DISK_GB": 1}


def describe(matcher):
    return str(StringDescription().append_description_of(matcher))


def mismatch(matcher, item):
    assert not matcher.matches(item), "the item was expected not to match"
    description = StringDescription()
    matcher.describe_mismatch(item, description)
    return str(description)


def allocations(**by_provider):
    return {rp: {"resources": resources, "generation": 1} for rp, resources in by_provider.items()}


# format_resources


def test_format_resources_puts_nova_classes_first_then_the_rest_alphabetically():
    resources = {"DISK_GB": 1, "CUSTOM_Z": 3, "VCPU": 1, "CUSTOM_A": 2, "MEMORY_MB": 512}
    assert format_resources(resources) == "VCPU=1, MEMORY_MB=512, DISK_GB=1, CUSTOM_A=2, CUSTOM_Z=3"


def test_format_resources_of_nothing():
    assert format_resources({}) == "nothing"


# has_usages


def test_has_usages_matches_equal_usages_and_ignores_unlisted_classes():
    assert has_usages(FLAVOR).matches({**FLAVOR, "PCPU": 4})


def test_has_usages_counts_a_missing_class_as_zero():
    assert has_usages({"VCPU": 0, "MEMORY_MB": 0}).matches({})
    assert mismatch(has_usages({"VCPU": 1}), {}) == "VCPU was 0 (expected 1)"


def test_has_usages_description_lists_the_expected_usages():
    assert describe(has_usages({"DISK_GB": 1, "VCPU": 2, "MEMORY_MB": 512})) == (
        "usages VCPU=2, MEMORY_MB=512, DISK_GB=1"
    )


def test_has_usages_mismatch_lists_only_the_differing_classes():
    matcher = has_usages({"VCPU": 2, "MEMORY_MB": 512, "DISK_GB": 1})
    assert mismatch(matcher, {"VCPU": 3, "MEMORY_MB": 1024, "DISK_GB": 1}) == (
        "VCPU was 3 (expected 2), MEMORY_MB was 1024 (expected 512)"
    )


def test_has_usages_refuses_a_non_mapping_with_a_clear_mismatch():
    assert mismatch(has_usages({"VCPU": 0}), None) == (
        "was <None>, not a mapping of resource class to amount"
    )


def test_has_usages_reads_well_in_assert_that():
    with pytest.raises(AssertionError) as error:
        assert_that({"VCPU": 1}, has_usages({"VCPU": 0}))
    assert str(error.value) == "\nExpected: usages VCPU=0\n     but: VCPU was 1 (expected 0)\n"


# usages_raised_by


def test_usages_raised_by_matches_baseline_plus_delta():
    baseline = {"VCPU": 4, "MEMORY_MB": 1024}
    assert usages_raised_by(baseline, FLAVOR).matches({"VCPU": 5, "MEMORY_MB": 1536, "DISK_GB": 1})


def test_usages_raised_by_description():
    matcher = usages_raised_by({"VCPU": 4, "MEMORY_MB": 1024, "PCPU": 9}, {"VCPU": 1, "MEMORY_MB": 512})
    assert describe(matcher) == "usages raised by VCPU=1, MEMORY_MB=512 from VCPU=4, MEMORY_MB=1024"


def test_usages_raised_by_mismatch_says_how_each_class_moved():
    matcher = usages_raised_by({"VCPU": 4, "MEMORY_MB": 1024, "DISK_GB": 10}, FLAVOR)
    assert mismatch(matcher, {"VCPU": 4, "MEMORY_MB": 1536, "DISK_GB": 9}) == (
        "VCPU rose by 0 (from 4 to 4), expected to rise by 1, "
        "DISK_GB fell by 1 (from 10 to 9), expected to rise by 1"
    )


def test_usages_raised_by_mismatch_for_expected_falls_and_no_change():
    matcher = usages_raised_by({"VCPU": 4, "DISK_GB": 2}, {"VCPU": -1, "DISK_GB": 0})
    assert mismatch(matcher, {"VCPU": 5, "DISK_GB": 3}) == (
        "VCPU rose by 1 (from 4 to 5), expected to fall by 1, "
        "DISK_GB rose by 1 (from 2 to 3), expected to stay at 2"
    )


# has_no_allocations


def test_has_no_allocations_matches_an_empty_body():
    assert has_no_allocations().matches({})
    assert describe(has_no_allocations()) == "no allocations"


def test_has_no_allocations_mismatch_names_what_is_still_held_and_where():
    assert mismatch(has_no_allocations(), allocations(**{RP1: FLAVOR})) == (
        f"still holds VCPU=1, MEMORY_MB=512, DISK_GB=1 on provider {RP1}"
    )


def test_has_no_allocations_uses_provider_names_when_given():
    body = allocations(**{RP1: FLAVOR, RP2: {"DISK_GB": 10}})
    assert mismatch(has_no_allocations(names={RP1: "compute1"}), body) == (
        f"still holds DISK_GB=10 on provider {RP2} and "
        f"VCPU=1, MEMORY_MB=512, DISK_GB=1 on provider compute1 ({RP1})"
    )


@pytest.mark.parametrize("item", [None, [], {"allocations": {}, "consumer_generation": 1}, {RP1: {"VCPU": 1}}])
def test_has_no_allocations_refuses_what_is_not_an_allocations_body(item):
    assert mismatch(has_no_allocations(), item).endswith(
        ", not an allocations body ({rp_uuid: {'resources': {...}}})"
    )


# allocates_exactly


def test_allocates_exactly_matches_the_exact_resources_on_the_one_provider():
    assert allocates_exactly(FLAVOR, RP1).matches(allocations(**{RP1: dict(FLAVOR)}))


def test_allocates_exactly_description():
    assert describe(allocates_exactly(FLAVOR, RP1, "compute1")) == (
        f"allocations of exactly VCPU=1, MEMORY_MB=512, DISK_GB=1 on provider compute1 ({RP1}) "
        "and nothing elsewhere"
    )


def test_allocates_exactly_names_wrong_amounts_on_the_provider():
    body = allocations(**{RP1: {"VCPU": 2, "MEMORY_MB": 512, "DISK_GB": 1}})
    assert mismatch(allocates_exactly(FLAVOR, RP1, "compute1"), body) == (
        f"holds VCPU=2 (expected 1) on provider compute1 ({RP1})"
    )


def test_allocates_exactly_names_missing_and_extra_classes():
    body = allocations(**{RP1: {"VCPU": 1, "MEMORY_MB": 512, "CUSTOM_GPU": 1}})
    assert mismatch(allocates_exactly(FLAVOR, RP1), body) == (
        f"holds DISK_GB=0 (expected 1), CUSTOM_GPU=1 (expected 0) on provider {RP1}"
    )


def test_allocates_exactly_says_when_the_provider_holds_nothing():
    assert mismatch(allocates_exactly(FLAVOR, RP1, "compute1"), {}) == (
        f"holds nothing on provider compute1 ({RP1})"
    )


def test_allocates_exactly_names_allocations_on_other_providers():
    body = allocations(**{RP1: FLAVOR, RP2: {"DISK_GB": 1}})
    assert mismatch(allocates_exactly(FLAVOR, RP1, names={RP2: "shared-disk"}), body) == (
        f"also holds DISK_GB=1 on provider shared-disk ({RP2})"
    )


def test_allocates_exactly_lists_every_difference_in_one_sentence():
    body = allocations(**{RP2: FLAVOR})
    assert mismatch(allocates_exactly(FLAVOR, RP1, "compute1", names={RP2: "compute2"}), body) == (
        f"holds nothing on provider compute1 ({RP1}); "
        f"also holds VCPU=1, MEMORY_MB=512, DISK_GB=1 on provider compute2 ({RP2})"
    )


def test_allocates_exactly_refuses_a_whole_get_allocations_response():
    body = {"allocations": allocations(**{RP1: FLAVOR}), "consumer_generation": 1}
    assert "not an allocations body" in mismatch(allocates_exactly(FLAVOR, RP1), body)


def test_allocates_exactly_on_each_matches_the_flavor_on_both_providers():
    assert allocates_exactly_on_each(FLAVOR, (RP1, RP2)).matches(allocations(**{RP1: FLAVOR, RP2: FLAVOR}))


def test_allocates_exactly_on_each_names_the_provider_that_lacks_it():
    matcher = allocates_exactly_on_each(FLAVOR, (RP1, RP2), names={RP1: "compute1", RP2: "compute2"})
    assert describe(matcher) == (
        f"allocations of exactly VCPU=1, MEMORY_MB=512, DISK_GB=1 each on provider compute1 ({RP1}) "
        f"and provider compute2 ({RP2}) and nothing elsewhere"
    )
    assert mismatch(matcher, allocations(**{RP2: FLAVOR})) == f"holds nothing on provider compute1 ({RP1})"


# has_service_state

UP = {"host": "compute1", "status": "enabled", "state": "up", "forced_down": False, "disabled_reason": None}


def test_has_service_state_matches_the_given_fields_only():
    assert has_service_state(state="up", forced_down=False).matches(UP)
    assert has_service_state(status="disabled").matches({**UP, "status": "disabled", "state": "down"})


def test_has_service_state_mismatch_reads_as_a_sentence():
    down = {**UP, "state": "down", "forced_down": True}
    assert mismatch(has_service_state(state="up", forced_down=False), down) == (
        "compute1 is down (expected up), forced_down is True (expected False)"
    )


def test_has_service_state_mismatch_for_status_and_reason():
    disabled = {**UP, "status": "disabled", "disabled_reason": "maintenance"}
    assert mismatch(has_service_state(disabled_reason=None, status="enabled"), disabled) == (
        "compute1 is disabled (expected enabled), disabled_reason is 'maintenance' (expected None)"
    )


def test_has_service_state_description_lists_fields_in_a_fixed_order():
    assert describe(has_service_state(forced_down=True, state="down", host="compute1")) == (
        "compute service host='compute1', state='down', forced_down=True"
    )


def test_has_service_state_reads_objects_and_sdk_style_is_forced_down():
    service = SimpleNamespace(host="compute2", status="enabled", state="up", is_forced_down=True)
    assert has_service_state(forced_down=True, state="up").matches(service)
    assert mismatch(has_service_state(forced_down=False), service) == (
        "forced_down is True (expected False)"
    )


# The SDK's own constructor warns about its internals; not ours to fix.
@pytest.mark.filterwarnings("ignore:The _compute_attributes method is deprecated")
def test_has_service_state_reads_an_openstacksdk_service():
    service_module = pytest.importorskip("openstack.compute.v2.service")
    service = service_module.Service(host="compute1", state="down", status="enabled", forced_down=True)
    assert has_service_state(host="compute1", state="down", forced_down=True).matches(service)
    assert mismatch(has_service_state(state="up"), service) == "compute1 is down (expected up)"


def test_has_service_state_without_a_host_calls_it_the_service():
    assert mismatch(has_service_state(state="up"), {"state": "down"}) == "the service is down (expected up)"


@pytest.mark.parametrize("kwargs, named", [({"forced": True}, "got forced"), ({}, "got none")])
def test_has_service_state_refuses_unknown_or_no_fields(kwargs, named):
    with pytest.raises(TypeError) as error:
        has_service_state(**kwargs)
    assert str(error.value) == (
        f"has_service_state() takes some of host, status, state, forced_down, disabled_reason; {named}"
    )
