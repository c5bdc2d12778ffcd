"""The settings matrix's table, from canned outcomes (no cloud)."""
from benchmarks.settings_matrix import SETTINGS, Row, Setting, failed, outcome, table
from benchmarks.suite_timing import ScenarioTiming

KEEP = Setting("DEFAULT.shelved_offload_time=-1", ("compute.shelve",), "kept")


def scenario(name, status, **said):
    return ScenarioTiming("compute.shelve", name, status, 1.0, 1.0, 10, **said)


def test_each_outcome_reads_as_passed_adapted_skipped_or_failed():
    assert outcome(scenario("a", "passed")) == "passed"
    assert outcome(scenario("a", "passed", notes=("note: the suite offloaded it",))) == \
        "adapted: note: the suite offloaded it"
    assert outcome(scenario("a", "skipped", skip_reason="@live-host-delete: soft")) == \
        "skipped: @live-host-delete: soft"
    assert outcome(scenario("a", "failed", failure="allocations of server")) == "FAILED: allocations of server"


def test_the_table_has_a_line_per_setting_and_scenario_and_failures_are_listed():
    rows = [Row(KEEP, 1.0, 2.0, [scenario("ok", "passed"), scenario("bad | pipe", "failed", failure="x|y")])]
    lines = table(rows)
    assert lines[2] == "| `DEFAULT.shelved_offload_time=-1` | kept | compute.shelve | ok | passed |"
    assert lines[3].endswith("| FAILED: x\\|y |")
    assert failed(rows) == [("DEFAULT.shelved_offload_time=-1", "bad | pipe")]


def test_a_setting_whose_run_gave_no_scenario_is_a_failure_in_the_table():
    rows = [Row(KEEP, 1.0, 2.0, [])]
    assert table(rows)[2].endswith("FAILED: the suite did not run |")
    assert failed(rows) == [("DEFAULT.shelved_offload_time=-1", "(no scenario ran)")]


def test_every_setting_of_the_matrix_names_real_features(tmp_path):
    from pathlib import Path
    features = {p.stem for p in (Path(__file__).resolve().parents[2] / "features").glob("*.feature")}
    for setting in SETTINGS:
        assert set(setting.features) <= features, setting
