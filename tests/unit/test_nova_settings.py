"""The nova settings the suite reads from what the embedded cloud publishes, and the cloud note."""
import json
from types import SimpleNamespace

from acceptance.cloud.embedded import EmbeddedFacts
from acceptance.cloud.nova_settings import NovaSettings, cloud_note
from acceptance.tags import unmet
from embedded_cloud.services.nova import published_settings


def test_the_embedded_cloud_publishes_its_own_settings_and_the_options_over_them():
    published = published_settings({"DEFAULT": {"shelved_offload_time": "-1", "debug": "true"},
                                     "workarounds": {"x": "1"}})
    assert published == {"DEFAULT.report_interval": "1", "DEFAULT.service_down_time": "300",
                         "DEFAULT.update_resources_interval": "3600", "DEFAULT.shelved_offload_time": "-1"}


def test_the_suite_reads_them_from_the_published_facts():
    facts = EmbeddedFacts.from_json(json.dumps({
        "clouds_yaml": "c", "admin_cloud": "a", "image_id": "i",
        "nova": published_settings({"DEFAULT": {"shelved_offload_time": "-1"}})}))
    settings = NovaSettings(dict(facts.nova))
    assert settings.keeps_shelved is True
    assert settings.value("DEFAULT.reclaim_instance_interval") == "0"  # nova's default
    assert settings.soft_deletes is False
    assert facts.nova_setting("DEFAULT.report_interval") == 1.0


def test_another_cloud_publishes_nothing():
    settings = NovaSettings()
    assert not settings.known and settings.soft_deletes is None and settings.value("DEFAULT.x") is None


def test_the_note_names_each_setting_that_matters_with_its_value():
    note = cloud_note(NovaSettings(published_settings({"DEFAULT": {"shelved_offload_time": "-1"}})))
    assert note.startswith("cloud note: nova settings published by the embedded cloud: ")
    for part in ("update_resources_interval=3600 (nova's periodic clean-up runs every 3600 s: what a "
                 "check sees freed, the operation freed)", "service_down_time=300, report_interval=1",
                 "reclaim_instance_interval=0 (deletes are not soft)",
                 "shelved_offload_time=-1 (shelved servers are kept: the suite offloads them itself)"):
        assert part in note, note


def test_where_it_cannot_read_them_the_note_says_which_to_check():
    note = cloud_note(NovaSettings())
    for name in ("update_resources_interval", "reclaim_instance_interval", "shelved_offload_time",
                 "service_down_time", "report_interval", "docs/nova-options.md"):
        assert name in note
    assert len(note.splitlines()) == 1


def test_a_delete_on_a_live_host_is_skipped_with_the_reason_where_deletes_are_known_to_be_soft():
    soft = SimpleNamespace(nova_settings=NovaSettings({"DEFAULT.reclaim_instance_interval": "3600"}))
    assert unmet(soft, {"live-host-delete"}).startswith(
        "@live-host-delete: this cloud has reclaim_instance_interval = 3600: a delete on a live host is a soft delete")
    for settings in (NovaSettings({}), NovaSettings()):  # real deletes; unknown (fails at once there)
        assert unmet(SimpleNamespace(nova_settings=settings), {"live-host-delete"}) is None
