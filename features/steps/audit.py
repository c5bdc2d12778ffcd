"""Steps that ask nova's own auditor (nova-manage placement audit) what it
finds orphaned: an oracle independent of the suite's own checks. Its
command, exit code and output go into the step's output (JUnit) and the
HTML report. Where it cannot run, the step says why and checks nothing."""

from behave import then

from acceptance.cloud import audit
from acceptance.scenario.step_support import TEXT_PLAIN, host_of_role, note
from acceptance.scenario.step_types import TARGET


def touched_hosts(context) -> set[str]:
    """The target host (the scenario took it down) and every host its servers are on."""
    return {host_of_role(context, TARGET)} | {s.host for s in context.world.servers.values() if s.host}


def run_audit(context):
    """The auditor's runs over the touched providers, shown in the report;
    None (and a note saying why) when this cloud gives no way to run it."""
    auditor = context.suite.audit
    if auditor is None or auditor.missing:
        note(context, auditor.missing if auditor else audit.NO_AUDIT)
        return None
    placement = context.suite.placement
    try:
        runs = auditor.run(placement.provider_of(host).uuid for host in sorted(touched_hosts(context)))
    except audit.AuditError as error:  # not run at all: a failed check, not a traceback
        raise AssertionError(f"nova's placement audit could not be run: {error}") from None
    for run in runs:
        text = run.describe()
        print(text)
        context.attach(TEXT_PLAIN, text.encode("utf-8"))
    return runs


def named(context, orphans) -> str:
    servers = {s.id: f'server "{s.label}"' for s in context.world.servers.values()}
    hosts = {p.uuid: p.host for p in context.suite.placement.providers_by_host().values()}
    return "; ".join(f"{consumer} ({servers.get(consumer, 'not a server of this scenario')}) "
                     f"on {hosts.get(provider, provider)}" for consumer, provider in orphans) or "none"


def check(context, runs, expected: list[tuple[str, str]]) -> None:
    """Exit 3 naming exactly ``expected`` (consumer, provider) pairs; exit 0
    and nothing when it is empty. A leak of a server an earlier scenario of
    this run created is that scenario's failure: here it is a note."""
    for run in runs:
        if run.placement_unreachable and context.suite.services.placement_path_cut:
            raise AssertionError(
                f"the Placement cut is too broad: nova's placement audit (`{run.command}`, exit "
                f"{run.returncode}) could not reach Placement while nova-api's path was cut, so the "
                "cut blocks nova-manage too; make it match nova-api's requests only (features/README.md, "
                "\"Recipes for real clouds\")")
        if run.returncode not in (audit.NOTHING_FOUND, audit.ORPHANS_FOUND):
            raise AssertionError(f"nova's placement audit failed: `{run.command}` exited "
                                 f"{run.returncode}; its output is in the step's output")
    exits = sorted({run.returncode for run in runs})
    everything = sorted({orphan for run in runs for orphan in run.orphans})
    if (audit.ORPHANS_FOUND in exits) != bool(everything):
        raise AssertionError(f"nova's placement audit exited {', '.join(map(str, exits))} but its "
                             f"output names orphaned: {named(context, everything)}; see the step's output")
    earlier = context.suite.creations.server_ids - {s.id for s in context.world.servers.values()}
    left_before = [orphan for orphan in everything if orphan[0] in earlier and orphan not in expected]
    if left_before:
        note(context, f"note: nova's placement audit also finds orphaned {named(context, left_before)}: "
                      "left by an earlier scenario of this run, where it is that scenario's failure")
    found = [orphan for orphan in everything if orphan not in left_before]
    if found != sorted(expected):
        wanted = f"orphaned: {named(context, expected)} (exit 3)" if expected else "nothing orphaned (exit 0)"
        raise AssertionError(
            f"nova's placement audit should find {wanted}, but it exited "
            f"{', '.join(map(str, exits))} and found orphaned: {named(context, found)}")


@then("nova's placement audit finds nothing orphaned on the hosts the scenario touched")
def step_audit_finds_nothing(context):
    """Runs nova-manage placement audit; fails on any orphaned allocation on the hosts the scenario touched."""
    runs = run_audit(context)
    if runs is not None:
        check(context, runs, [])


@then('nova\'s placement audit finds the server "{label}" orphaned on the provider of the {role:HostRole}, and nothing else')
def step_audit_finds_server(context, label, role):
    """Runs nova-manage placement audit; it must name exactly the server's allocation on that host's provider as orphaned."""
    runs = run_audit(context)
    if runs is not None:
        provider = context.suite.placement.provider_of(host_of_role(context, role)).uuid
        check(context, runs, [(context.world.server(label).id, provider)])
