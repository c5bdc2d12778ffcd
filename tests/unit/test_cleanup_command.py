"""suite-cleanup's fault-control options, without a cloud."""

from acceptance import cleanup


def test_the_restore_placement_path_command_is_run_as_given(tmp_path):
    marker = tmp_path / "restored"
    args = cleanup._parser().parse_args(
        ["--cloud", "lab", "--restore-placement-path-command", f"touch {marker}"])
    *_, restore_placement_path = cleanup._cloud(args)
    restore_placement_path()
    assert marker.exists()


def test_without_it_a_real_cloud_has_no_way_to_restore_the_path():
    *_, restore_placement_path = cleanup._cloud(cleanup._parser().parse_args(["--cloud", "lab"]))
    assert restore_placement_path is None


def test_a_freeze_left_by_a_killed_run_is_thawed_with_the_thaw_option(tmp_path):
    """The ledger names a freeze: the restore runs --thaw-compute-command
    (derived from acceptance/faults.py) before the start."""
    from acceptance.faults import FREEZE

    marker = tmp_path / "thawed"
    args = cleanup._parser().parse_args(
        ["--cloud", "lab", "--thaw-compute-command", f"touch {marker}-{{host}}"])
    _, _, _, undo_fault, _ = cleanup._cloud(args)
    undo_fault(FREEZE, "compute1")
    assert (tmp_path / "thawed-compute1").exists()
