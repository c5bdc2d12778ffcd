"""Hamcrest matchers for Placement usages and allocations and Nova services.

Their mismatch text is written to be read in a failed step as a sentence:
"VCPU was 3 (expected 2)", "still holds VCPU=1 on provider compute1 (...)".

Resource dicts map a Placement resource class to an amount, e.g.
``{"VCPU": 1, "MEMORY_MB": 512, "DISK_GB": 1}``; a class missing from a dict
counts as 0, as in Placement.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description

Resources = Mapping[str, int]
# The value of the "allocations" key of GET /allocations/{consumer}:
# {rp_uuid: {"resources": {...}, "generation": ...}, ...}
AllocationsBody = Mapping[str, Mapping[str, Any]]

# Nova reports these in this order; keeping it makes messages easy to scan.
_WELL_KNOWN_CLASSES = ("VCPU", "MEMORY_MB", "DISK_GB")


def _ordered(classes: Iterable[str]) -> list[str]:
    """VCPU, MEMORY_MB, DISK_GB first, then any other class alphabetically."""
    rank = {rc: i for i, rc in enumerate(_WELL_KNOWN_CLASSES)}
    return sorted(set(classes), key=lambda rc: (rank.get(rc, len(rank)), rc))


def format_resources(resources: Resources) -> str:
    """'VCPU=1, MEMORY_MB=512, DISK_GB=1' (or 'nothing' for an empty dict)."""
    if not resources:
        return "nothing"
    return ", ".join(f"{rc}={resources[rc]}" for rc in _ordered(resources))


def _provider_label(uuid: str, names: Mapping[str, str]) -> str:
    name = names.get(uuid)
    return f"{name} ({uuid})" if name and name != uuid else uuid


def _held_resources(item: Any) -> dict[str, Resources] | None:
    """{rp_uuid: resources} from an allocations body, or None if it is not one."""
    if not isinstance(item, Mapping):
        return None
    held = {}
    for rp_uuid, allocation in item.items():
        if not isinstance(allocation, Mapping) or not isinstance(allocation.get("resources"), Mapping):
            return None
        held[rp_uuid] = allocation["resources"]
    return held


def _describe_wrong_shape(item: Any, expected_shape: str, description: Description) -> None:
    description.append_text("was ").append_description_of(item)
    description.append_text(f", not {expected_shape}")


_NOT_RESOURCES = "a mapping of resource class to amount"
_NOT_ALLOCATIONS = "an allocations body ({rp_uuid: {'resources': {...}}})"


class HasUsages(BaseMatcher[Resources]):
    def __init__(self, expected: Resources) -> None:
        self.expected = dict(expected)

    def _differences(self, usages: Resources) -> list[str]:
        return [
            f"{rc} was {usages.get(rc, 0)} (expected {self.expected[rc]})"
            for rc in _ordered(self.expected)
            if usages.get(rc, 0) != self.expected[rc]
        ]

    def _matches(self, item: Any) -> bool:
        return isinstance(item, Mapping) and not self._differences(item)

    def describe_to(self, description: Description) -> None:
        description.append_text(f"usages {format_resources(self.expected)}")

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        if not isinstance(item, Mapping):
            _describe_wrong_shape(item, _NOT_RESOURCES, mismatch_description)
            return
        mismatch_description.append_text(", ".join(self._differences(item)))


def has_usages(expected: Resources) -> HasUsages:
    """Usages equal to ``expected`` for every class in it (others are ignored)."""
    return HasUsages(expected)


class UsagesRaisedBy(BaseMatcher[Resources]):
    def __init__(self, baseline: Resources, delta: Resources) -> None:
        self.baseline = {rc: baseline.get(rc, 0) for rc in delta}
        self.delta = dict(delta)

    def _differences(self, usages: Resources) -> list[str]:
        differences = []
        for rc in _ordered(self.delta):
            before, after, wanted = self.baseline[rc], usages.get(rc, 0), self.delta[rc]
            change = after - before
            if change == wanted:
                continue
            moved = f"fell by {-change}" if change < 0 else f"rose by {change}"
            if wanted > 0:
                expectation = f"expected to rise by {wanted}"
            elif wanted < 0:
                expectation = f"expected to fall by {-wanted}"
            else:
                expectation = f"expected to stay at {before}"
            differences.append(f"{rc} {moved} (from {before} to {after}), {expectation}")
        return differences

    def _matches(self, item: Any) -> bool:
        return isinstance(item, Mapping) and not self._differences(item)

    def describe_to(self, description: Description) -> None:
        description.append_text(
            f"usages raised by {format_resources(self.delta)} "
            f"from {format_resources(self.baseline)}"
        )

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        if not isinstance(item, Mapping):
            _describe_wrong_shape(item, _NOT_RESOURCES, mismatch_description)
            return
        mismatch_description.append_text(", ".join(self._differences(item)))


def usages_raised_by(baseline: Resources, delta: Resources) -> UsagesRaisedBy:
    """Usages equal to ``baseline + delta`` for every class in ``delta``."""
    return UsagesRaisedBy(baseline, delta)


class HasNoAllocations(BaseMatcher[AllocationsBody]):
    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = names

    def _matches(self, item: Any) -> bool:
        return _held_resources(item) == {}

    def describe_to(self, description: Description) -> None:
        description.append_text("no allocations")

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        held = _held_resources(item)
        if held is None:
            _describe_wrong_shape(item, _NOT_ALLOCATIONS, mismatch_description)
            return
        holdings = sorted(
            f"{format_resources(resources)} on provider {_provider_label(rp, self.names)}"
            for rp, resources in held.items()
        )
        mismatch_description.append_text("still holds " + " and ".join(holdings))


def has_no_allocations(names: Mapping[str, str] | None = None) -> HasNoAllocations:
    """An allocations body holding nothing. ``names`` maps provider uuids to
    names, for messages ("on provider compute1 (uuid)")."""
    return HasNoAllocations(names or {})


class AllocatesExactly(BaseMatcher[AllocationsBody]):
    def __init__(self, resources: Resources, on_providers: tuple[str, ...], names: Mapping[str, str]) -> None:
        self.resources = dict(resources)
        self.on_providers = on_providers
        self.names = names

    def _differences(self, held: Mapping[str, Resources]) -> list[str]:
        differences = []
        for provider in self.on_providers:
            label = _provider_label(provider, self.names)
            if provider not in held:
                differences.append(f"holds nothing on provider {label}")
                continue
            actual = held[provider]
            wrong = [
                f"{rc}={actual.get(rc, 0)} (expected {self.resources.get(rc, 0)})"
                for rc in _ordered([*actual, *self.resources])
                if actual.get(rc, 0) != self.resources.get(rc, 0)
            ]
            if wrong:
                differences.append(f"holds {', '.join(wrong)} on provider {label}")
        differences.extend(
            sorted(
                f"also holds {format_resources(resources)} on provider {_provider_label(rp, self.names)}"
                for rp, resources in held.items()
                if rp not in self.on_providers
            )
        )
        return differences

    def _matches(self, item: Any) -> bool:
        held = _held_resources(item)
        return held is not None and not self._differences(held)

    def describe_to(self, description: Description) -> None:
        where = " and ".join(f"provider {_provider_label(rp, self.names)}" for rp in self.on_providers)
        each = " each" if len(self.on_providers) > 1 else ""
        description.append_text(
            f"allocations of exactly {format_resources(self.resources)}{each} on {where} and nothing elsewhere"
        )

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        held = _held_resources(item)
        if held is None:
            _describe_wrong_shape(item, _NOT_ALLOCATIONS, mismatch_description)
            return
        mismatch_description.append_text("; ".join(self._differences(held)))


def allocates_exactly(
    resources: Resources,
    on_provider: str,
    provider_name: str | None = None,
    *,
    names: Mapping[str, str] | None = None,
) -> AllocatesExactly:
    """An allocations body holding exactly ``resources`` on provider uuid
    ``on_provider`` and nothing on any other provider. ``provider_name`` (or
    ``names``, uuid -> name for every provider) makes messages readable."""
    names = dict(names or {})
    if provider_name:
        names[on_provider] = provider_name
    return AllocatesExactly(resources, (on_provider,), names)


def allocates_exactly_on_each(
    resources: Resources, providers: Iterable[str], *, names: Mapping[str, str] | None = None
) -> AllocatesExactly:
    """Exactly ``resources`` on every one of ``providers`` and nothing elsewhere:
    an evacuated server's consumer while its source host is down."""
    return AllocatesExactly(resources, tuple(providers), dict(names or {}))


SERVICE_FIELDS = ("host", "status", "state", "forced_down", "disabled_reason")
_MISSING = object()


def _service_field(service: Any, name: str) -> Any:
    """A field of a service object or dict (None when absent).

    Attributes come first: openstacksdk's Service is also a dict, but it
    exposes forced_down as the attribute ``is_forced_down`` and deprecates
    reading it as an item.
    """
    for attribute in (name, f"is_{name}"):
        value = getattr(service, attribute, _MISSING)
        if value is not _MISSING:
            return value
    return service.get(name) if isinstance(service, Mapping) else None


class HasServiceState(BaseMatcher[Any]):
    def __init__(self, expected: Mapping[str, Any]) -> None:
        self.expected = expected

    def _differences(self, service: Any) -> list[str]:
        who = _service_field(service, "host") or "the service"
        differences = []
        for name, wanted in self.expected.items():
            actual = _service_field(service, name)
            if actual == wanted:
                continue
            if name in ("state", "status"):  # up/down, enabled/disabled read as words
                differences.append(f"{who} is {actual} (expected {wanted})")
            else:
                differences.append(f"{name} is {actual!r} (expected {wanted!r})")
        return differences

    def _matches(self, item: Any) -> bool:
        return not self._differences(item)

    def describe_to(self, description: Description) -> None:
        fields = ", ".join(f"{name}={wanted!r}" for name, wanted in self.expected.items())
        description.append_text(f"compute service {fields}")

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        mismatch_description.append_text(", ".join(self._differences(item)))


def has_service_state(**expected: Any) -> HasServiceState:
    """A compute service (dict, or object such as openstacksdk's Service) whose
    given fields -- any of host, status, state, forced_down, disabled_reason --
    have the given values, e.g. ``has_service_state(state="down", forced_down=True)``."""
    unknown = sorted(set(expected) - set(SERVICE_FIELDS))
    if unknown or not expected:
        raise TypeError(
            f"has_service_state() takes some of {', '.join(SERVICE_FIELDS)}; "
            f"got {', '.join(unknown) or 'none'}"
        )
    ordered = {name: expected[name] for name in SERVICE_FIELDS if name in expected}
    return HasServiceState(ordered)
