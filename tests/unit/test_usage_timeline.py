import json

from acceptance.scenario.usage_timeline import UsageTimeline


def test_the_attachment_has_one_column_per_sample_and_one_row_per_host_and_class():
    timeline = UsageTimeline()
    timeline.record("baseline", {"c2": {"DISK_GB": 0, "VCPU": 0, "MEMORY_MB": 0}, "c1": {"VCPU": 0}})
    timeline.record("after boot", {"c1": {"VCPU": 1, "CUSTOM_X": 2}, "c2": {"VCPU": 0}})
    body = json.loads(timeline.attachment("usages"))
    assert body == {
        "title": "usages",
        "columns": ["baseline", "after boot"],
        "rows": {
            "c1 VCPU": [0, 1],
            "c1 CUSTOM_X": [0, 2],
            "c2 VCPU": [0, 0],
            "c2 MEMORY_MB": [0, 0],
            "c2 DISK_GB": [0, 0],
        },
    }
    assert list(body["rows"]) == ["c1 VCPU", "c1 CUSTOM_X", "c2 VCPU", "c2 MEMORY_MB", "c2 DISK_GB"]


def test_a_host_missing_from_a_sample_shows_as_none_and_samples_are_copies():
    timeline = UsageTimeline()
    usages = {"VCPU": 0}
    timeline.record("baseline", {"c1": usages})
    usages["VCPU"] = 9
    timeline.record("later", {"c2": {"VCPU": 1}})
    rows = json.loads(timeline.attachment("t"))["rows"]
    assert rows == {"c1 VCPU": [0, None], "c2 VCPU": [None, 1]}
def test_fault_steps_are_marked_by_the_samples_taken_before_them():
    timeline = UsageTimeline()
    timeline.mark("cut path")
    timeline.record("baseline", {"c1": {"VCPU": 0}})
    timeline.mark("c1 stop, force down")
    timeline.record("c1 stopped", {"c1": {"VCPU": 1}})
    body = json.loads(timeline.timeline_attachment("t"))
    assert body["events"] == [{"at": 0, "label": "cut path"}, {"at": 1, "label": "c1 stop, force down"}]
    assert body["rows"] == {"c1 VCPU": [0, 1]} and body["columns"] == ["baseline", "c1 stopped"]
    assert "events" not in json.loads(timeline.attachment("t"))
