"""suite-cleanup's fault-control options, without a cloud."""

from acceptance import cleanup


def test_the_restore_placement_path_command_is_run_as_given(tmp_path):
    marker = tmp_path / "restored"
    args = cleanup._parser().parse_args(
        ["--cloud", "lab", "--restore-placement-path-command", f"touch {marker}"])
    _, _, _, restore_placement_path = cleanup._cloud(args)
    restore_placement_path()
    assert marker.exists()


def test_without_it_a_real_cloud_has_no_way_to_restore_the_path():
    _, _, _, restore_placement_path = cleanup._cloud(cleanup._parser().parse_args(["--cloud", "lab"]))
    assert restore_placement_path is None
