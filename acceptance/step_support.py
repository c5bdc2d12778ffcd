"""Helpers the step modules share: hosts by role, usage samples and their
report attachments. Steps stay one-liners around these."""

from __future__ import annotations

from acceptance.step_types import TARGET
from acceptance.usage_timeline import PLACEMENT_USAGES
from embedded_cloud.services.nova import UPDATE_RESOURCES_INTERVAL

TEXT_PLAIN = "text/plain"


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


def bounded_by_delete(context, probe, what: str):
    """``probe``, counting its reads: if the check needed more than its first
    read, the step says a periodic clean-up could have freed what it saw (nova's
    update_available_resource, every 60 s by default; the suite cannot know a
    real cloud's interval). The embedded cloud runs it every hour."""
    reads = 0

    def counted():
        nonlocal reads
        reads += 1
        if reads == 2:
            note(context, periodic_note(context, what))
        return probe()

    return counted


def periodic_note(context, what: str) -> str:
    if context.suite.settings.uses_embedded_cloud:
        return (f"note: {what} did not match at the first read; the embedded cloud runs nova's "
                f"periodic clean-up every {UPDATE_RESOURCES_INTERVAL} s, so it did not free them")
    return (f"note: {what} did not match at the first read; while the suite polled, nova's periodic "
            "clean-up (update_available_resource) could have freed what the check saw")


def note(context, line: str) -> None:
    """A line in the step's output and in the HTML report."""
    print(line)
    context.attach(TEXT_PLAIN, line)
