"""A bounded wait says so when it needed more than its first read: nova's
periodic clean-up could have freed what it saw."""

from types import SimpleNamespace

from acceptance.cloud.nova_settings import NovaSettings
from acceptance.scenario.step_support import bounded_by_delete


def context(embedded: bool, interval: str = "3600"):
    attached = []
    # The embedded cloud publishes its settings; a real cloud's are unknown.
    nova = NovaSettings({"DEFAULT.update_resources_interval": interval}) if embedded else NovaSettings()
    # behave's attach takes bytes; the note is text.
    return SimpleNamespace(suite=SimpleNamespace(nova_settings=nova), world=SimpleNamespace(notes=[]),
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


def test_a_published_interval_short_enough_to_matter_gets_the_warning():
    ctx = context(embedded=True, interval="0")  # nova's default: every 60 s
    probe = bounded_by_delete(ctx, lambda: None, "x")
    probe(), probe()
    [(_, line)] = ctx.attached
    assert "periodic clean-up (update_available_resource) could have freed" in line
