"""A bounded wait says so when it needed more than its first read: nova's
periodic clean-up could have freed what it saw."""

from types import SimpleNamespace

from acceptance.cloud.embedded import EmbeddedFacts
from acceptance.scenario.step_support import bounded_by_delete


def context(embedded: bool):
    attached = []
    # what `embedded-cloud facts` publishes; None on a named cloud
    facts = EmbeddedFacts("clouds.yaml", "embedded-admin", "image",
                          nova={"DEFAULT.update_resources_interval": 3600}) if embedded else None
    # behave's attach takes bytes; the note is text.
    return SimpleNamespace(suite=SimpleNamespace(cloud=SimpleNamespace(facts=facts)),
                           world=SimpleNamespace(notes=[]),
                           attach=lambda mime, data: attached.append((mime, data.decode("utf-8"))),
                           attached=attached)


def test_a_first_read_that_matches_says_nothing(capsys):
    ctx = context(embedded=False)
    probe = bounded_by_delete(ctx, lambda: {}, "allocations of server \"resident\"")
    assert probe() == {}
    assert ctx.attached == [] and capsys.readouterr().out == ""


def test_a_second_read_on_a_real_cloud_names_the_periodic_clean_up_once(capsys):
    ctx = context(embedded=False)
    probe = bounded_by_delete(ctx, lambda: {"VCPU": 1}, "usages of the target host compute1")
    for _ in range(3):
        probe()
    [(mime, line)] = ctx.attached
    assert mime == "text/plain"
    assert line.startswith("note: usages of the target host compute1 did not match at the first read")
    assert "periodic clean-up (update_available_resource) could have freed" in line
    assert capsys.readouterr().out == line + "\n"


def test_on_the_embedded_cloud_the_note_says_its_interval():
    ctx = context(embedded=True)
    probe = bounded_by_delete(ctx, lambda: None, "x")
    probe(), probe()
    [(_, line)] = ctx.attached
    assert "every 3600 s, so it did not free them" in line
