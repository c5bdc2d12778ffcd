"""Helpers the step modules share: hosts by role, usage samples and their
report attachments. Steps stay one-liners around these."""

from __future__ import annotations

import functools
import logging

from acceptance.checks.foreign_usage import describe, foreign_changes, without_foreign
from acceptance.scenario.step_types import TARGET
from acceptance.scenario.usage_timeline import PLACEMENT_USAGES, USAGE_TIMELINE
from acceptance.tags import changes_host

TEXT_PLAIN = "text/plain"

LOG = logging.getLogger("acceptance.run")


def host_of_role(context, role: str) -> str:
    hosts = context.suite.hosts
    host, why = (hosts.target, hosts.why_no_target) if role == TARGET else (hosts.other, hosts.why_no_other)
    if host is None:
        raise AssertionError(f"there is no {role} host: {why}")
    return host


def exact_hosts(context) -> set[str]:
    """Hosts whose usages are taken as they are: the target host of a
    scenario that takes it down or disables it (the safe-host check keeps
    foreign servers off it). Every other host may be shared."""
    target = context.suite.hosts.target
    return {target} if target and changes_host(context.scenario.effective_tags) else set()


def record_baseline(context) -> dict[str, dict[str, int]]:
    """Usages of every compute host, and the consumers of each shared one."""
    placement, world = context.suite.placement, context.world
    exact, usages = exact_hosts(context), {}
    world.baseline_readings = {}
    for host in sorted(placement.providers_by_host()):
        provider = placement.provider_of(host)
        if host in exact:
            usages[host] = placement.usages(provider)
        else:
            # The classes from the provider's usages (0 where nothing is
            # allocated: an empty baseline would match anything), the amounts
            # from its consumers, so both come from the same read.
            classes = placement.usages(provider)
            world.baseline_readings[host] = placement.reading(provider)
            usages[host] = {**dict.fromkeys(classes, 0), **world.baseline_readings[host].totals}
    return usages


def usages_of_host(context, host: str) -> dict[str, int]:
    """The host's usages; on a shared host (see ``exact_hosts``) less what
    consumers that are not the suite's changed since the baseline."""
    placement, world = context.suite.placement, context.world
    provider = placement.provider_of(host)
    baseline = world.baseline_readings.get(host)
    if baseline is None or host in exact_hosts(context):
        return placement.usages(provider)
    now = placement.reading(provider)
    ours = context.suite.creations.server_ids
    changes = foreign_changes(baseline, now, ours)
    if changes:
        note(context, describe(host, changes))
    return {**dict.fromkeys(world.baseline.get(host, {}), 0), **without_foreign(baseline, now, ours)}


def note(context, line: str) -> None:
    """Something the report should say that is not a failure: in the step's
    output, suite.log and the HTML report, once per scenario."""
    if line in context.world.notes:
        return
    context.world.notes.append(line)
    print(line)
    LOG.info("%s", line)
    context.attach(TEXT_PLAIN, line.encode("utf-8"))


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


def attach_timeline(context) -> None:
    """The scenario's whole timeline, fault steps marked: the report's chart."""
    timeline = getattr(getattr(context, "world", None), "timeline", None)
    if timeline and timeline.samples:
        context.attach(USAGE_TIMELINE, timeline.timeline_attachment("usages at each step"))


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
    nova = context.suite.nova_settings
    if nova.periodic_far_off:
        when = f"every {nova.periodic_interval} s" if nova.periodic_interval else "never"
        return (f"note: {what} did not match at the first read; this cloud runs nova's "
                f"periodic clean-up {when}, so it did not free them")
    return (f"note: {what} did not match at the first read; while the suite polled, nova's periodic "
            "clean-up (update_available_resource) could have freed what the check saw")


def names_the_request(step):
    """A check that fails in ``step`` names the request whose answer it read,
    with its request id, so an operator can follow it into the service's log."""

    @functools.wraps(step)
    def checked(context, *args, **kwargs):
        with context.suite.requests.names_last_call():
            return step(context, *args, **kwargs)

    return checked


def faults_must_hold(registry) -> None:
    """Every step of behave's step ``registry`` ends by checking that each
    compute the suite stopped is still silent (one service read while one
    is down, none otherwise). A step that failed is checked too: a
    supervisor's comeback is the cause to report, not the usages it healed.
    A step, not an after_step hook: behave reports a hook's assertion as a
    hook error without its message."""
    for matchers in registry.steps.values():
        for matcher in matchers:
            if not getattr(matcher.func, "checks_faults_hold", False):
                matcher.func = _checking_faults_hold(matcher.func)


def _checking_faults_hold(step):
    @functools.wraps(step)
    def checked(context, *args, **kwargs):
        try:
            step(context, *args, **kwargs)
        except AssertionError:
            context.suite.services.check_faults_hold()  # raises the comeback instead, if any
            raise
        context.suite.services.check_faults_hold()

    checked.checks_faults_hold = True
    return checked
