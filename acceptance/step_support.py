"""Helpers the step modules share: hosts by role, usage samples and their
report attachments. Steps stay one-liners around these."""

from __future__ import annotations

import functools

from acceptance.step_types import TARGET
from acceptance.usage_timeline import PLACEMENT_USAGES


def host_of_role(context, role: str) -> str:
    hosts = context.suite.hosts
    host, why = (hosts.target, hosts.why_no_target) if role == TARGET else (hosts.other, hosts.why_no_other)
    if host is None:
        raise AssertionError(f"there is no {role} host: {why}")
    return host


def usages_of_host(context, host: str) -> dict[str, int]:
    placement = context.suite.placement
    return placement.usages(placement.provider_of(host))


def sample_usages(context, label: str) -> dict[str, dict[str, int]]:
    """Usages of every compute host the scenario watches (those in its
    baseline), recorded in the scenario's timeline under ``label``."""
    world = context.world
    hosts = sorted(world.baseline) or sorted(context.suite.placement.providers_by_host())
    usages = {host: usages_of_host(context, host) for host in hosts}
    world.timeline.record(label, usages)
    return usages


def attach_usages(context, title: str) -> None:
    context.attach(PLACEMENT_USAGES, context.world.timeline.attachment(title))


def provider_names(context) -> dict[str, str]:
    """uuid -> host, for readable allocation mismatches."""
    return {p.uuid: p.host for p in context.suite.placement.providers_by_host().values()}


def names_the_request(step):
    """A check that fails in ``step`` names the request whose answer it read,
    with its request id, so an operator can follow it into the service's log."""

    @functools.wraps(step)
    def checked(context, *args, **kwargs):
        with context.suite.requests.names_last_call():
            return step(context, *args, **kwargs)

    return checked
