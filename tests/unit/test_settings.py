import dataclasses

import pytest

from acceptance.settings import KNOWN_KEYS, SettingsError, SuiteSettings, Timeouts, resolve

STOP = "ssh {host} sudo systemctl stop nova-compute"
START = "ssh {host} sudo systemctl start nova-compute"


def error_from(userdata, environ=None):
    with pytest.raises(SettingsError) as error:
        resolve(userdata, environ or {})
    message = str(error.value)
    assert "\n" not in message
    return message


# defaults


def test_nothing_configured_means_the_embedded_cloud_and_defaults():
    settings = resolve({}, {})
    assert settings == SuiteSettings()
    assert (settings.cloud, settings.cloud_source) == (None, "embedded")
    assert settings.uses_embedded_cloud
    assert (settings.image, settings.flavor, settings.target_host, settings.other_host) == (None,) * 4
    assert settings.timeouts == Timeouts(
        server_active=120, server_deleted=90, service_state=60, delete_frees=15, heal=120
    )
    assert settings.fault_control == "auto"
    assert (settings.stop_compute_command, settings.start_compute_command) == (None, None)
    assert settings.allow_foreign_servers is False
    assert settings.run_dir == ".run/suite"


def test_settings_are_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        resolve({}, {}).cloud = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Timeouts().heal = 1  # type: ignore[misc]


# which cloud


@pytest.mark.parametrize(
    "userdata, environ, cloud, source",
    [
        ({"cloud": "lab"}, {"OS_CLOUD": "devstack", "OS_AUTH_URL": "http://k"}, "lab", "userdata"),
        ({}, {"OS_CLOUD": "devstack", "OS_AUTH_URL": "http://k"}, "devstack", "OS_CLOUD"),
        ({}, {"OS_AUTH_URL": "http://keystone:5000/v3"}, "envvars", "OS_AUTH_URL"),
        ({}, {"OS_USERNAME": "admin"}, None, "embedded"),
    ],
)
def test_cloud_precedence(userdata, environ, cloud, source):
    settings = resolve(userdata, environ)
    assert (settings.cloud, settings.cloud_source) == (cloud, source)


def test_empty_values_count_as_not_set():
    settings = resolve({"cloud": "", "image": " ", "run_dir": ""}, {"OS_CLOUD": "", "OS_AUTH_URL": "http://k"})
    assert (settings.cloud, settings.cloud_source) == ("envvars", "OS_AUTH_URL")
    assert settings.image is None
    assert settings.run_dir == ".run/suite"


def test_userdata_cloud_embedded_overrides_an_exported_os_cloud():
    settings = resolve({"cloud": "embedded"}, {"OS_CLOUD": "devstack"})
    assert (settings.cloud, settings.cloud_source) == (None, "userdata")
    assert settings.uses_embedded_cloud


# plain values


def test_plain_values_are_taken_as_given_without_surrounding_spaces():
    settings = resolve(
        {
            "image": " cirros ",
            "flavor": "m1.tiny",
            "target_host": "compute1",
            "other_host": "compute2",
            "run_dir": "/tmp/run",
        },
        {},
    )
    assert (settings.image, settings.flavor) == ("cirros", "m1.tiny")
    assert (settings.target_host, settings.other_host) == ("compute1", "compute2")
    assert settings.run_dir == "/tmp/run"


@pytest.mark.parametrize("value", ["true", "TRUE", "yes", "1", "Yes"])
def test_allow_foreign_servers_true(value):
    assert resolve({"allow_foreign_servers": value}, {}).allow_foreign_servers is True


@pytest.mark.parametrize("value", ["false", "no", "0", "No", ""])
def test_allow_foreign_servers_false(value):
    assert resolve({"allow_foreign_servers": value}, {}).allow_foreign_servers is False


# timeouts


def test_each_timeout_can_be_set():
    settings = resolve(
        {
            "timeout.server_active": "1",
            "timeout.server_deleted": "2",
            "timeout.service_state": "3",
            "timeout.delete_frees": "4.5",
            "timeout.heal": "5",
        },
        {},
    )
    assert settings.timeouts == Timeouts(1, 2, 3, 4.5, 5)


def test_timeout_scale_multiplies_every_timeout_including_overrides():
    settings = resolve({"timeout_scale": "2.5", "timeout.heal": "10"}, {})
    assert settings.timeouts == Timeouts(
        server_active=300, server_deleted=225, service_state=150, delete_frees=37.5, heal=25
    )


def test_timeouts_scaled():
    assert Timeouts().scaled(0.5) == Timeouts(60, 45, 30, 7.5, 60)


# bad input: one line naming the key, the value and the fix


@pytest.mark.parametrize("value", ["abc", "0", "-5", "nan", "inf"])
def test_bad_timeout(value):
    assert error_from({"timeout.heal": value}) == (
        f"timeout.heal={value!r} is not a number of seconds; pass e.g. -D timeout.heal=120"
    )


def test_bad_timeout_suggests_that_timeouts_default():
    assert error_from({"timeout.server_deleted": "soon"}) == (
        "timeout.server_deleted='soon' is not a number of seconds; pass e.g. -D timeout.server_deleted=90"
    )


@pytest.mark.parametrize("value", ["fast", "0", "-1"])
def test_bad_timeout_scale(value):
    assert error_from({"timeout_scale": value}) == (
        f"timeout_scale={value!r} is not a positive number; pass e.g. -D timeout_scale=2 to double every timeout"
    )


def test_bad_flag():
    assert error_from({"allow_foreign_servers": "maybe"}) == (
        "allow_foreign_servers='maybe' is not true or false; "
        "pass -D allow_foreign_servers=true or -D allow_foreign_servers=false (yes/no/1/0 also work)"
    )


def test_bad_fault_control():
    assert error_from({"fault_control": "ssh"}) == (
        "fault_control='ssh' is not one of auto, embedded, command, none; pass e.g. -D fault_control=command"
    )


@pytest.mark.parametrize("fault_control", ["auto", "embedded", "command", "none"])
def test_each_fault_control(fault_control):
    userdata = {"fault_control": fault_control, "stop_compute_command": STOP, "start_compute_command": START}
    assert resolve(userdata, {}).fault_control == fault_control


def test_command_templates_are_kept_unformatted():
    settings = resolve({"stop_compute_command": STOP, "start_compute_command": START}, {})
    assert (settings.stop_compute_command, settings.start_compute_command) == (STOP, START)


@pytest.mark.parametrize("missing", ["stop_compute_command", "start_compute_command"])
def test_command_fault_control_needs_both_commands(missing):
    userdata = {"fault_control": "command", "stop_compute_command": STOP, "start_compute_command": START}
    del userdata[missing]
    assert error_from(userdata) == (
        "fault_control='command' needs both stop_compute_command and start_compute_command; "
        "pass e.g. -D stop_compute_command='ssh {host} sudo systemctl stop nova-compute'"
    )


def test_embedded_fault_control_needs_the_embedded_cloud():
    assert error_from({"fault_control": "embedded"}, {"OS_CLOUD": "devstack"}) == (
        "fault_control='embedded' needs the embedded cloud, but cloud 'devstack' was chosen from OS_CLOUD; "
        "pass -D fault_control=command or -D fault_control=none"
    )


@pytest.mark.parametrize(
    "template, problem",
    [
        ("ssh {hostname} stop", "has an unknown placeholder {hostname}"),
        ("ssh {} stop", "has a positional placeholder ({} or {0})"),
        ("ssh {host stop", "is not a valid template (expected '}' before end of string)"),
    ],
)
def test_bad_command_template(template, problem):
    assert error_from({"start_compute_command": template}) == (
        f"start_compute_command={template!r} {problem}; use {{host}} for the compute host and double "
        "any other brace, e.g. -D start_compute_command='ssh {host} sudo systemctl start nova-compute'"
    )


def test_a_template_with_doubled_braces_is_fine():
    template = "docker exec {host} sh -c 'kill $(cat /run/{{pid}})'"
    assert resolve({"stop_compute_command": template}, {}).stop_compute_command == template


def test_target_and_other_host_must_differ():
    assert error_from({"target_host": "compute1", "other_host": "compute1"}) == (
        "target_host and other_host are both 'compute1'; pass two different compute hosts"
    )


# unknown keys


def test_an_unknown_key_is_refused_with_a_guess_and_the_known_keys():
    assert error_from({"timeout.hael": "5"}) == (
        "unknown userdata key timeout.hael (did you mean timeout.heal?); known keys: " + ", ".join(KNOWN_KEYS)
    )


def test_several_unknown_keys_are_all_named():
    message = error_from({"zzz": "1", "image": "cirros", "flavour": "m1"})
    assert message.startswith("unknown userdata keys flavour, zzz (did you mean flavor?); known keys: ")


def test_known_keys_lists_every_setting():
    assert set(KNOWN_KEYS) == {
        "cloud", "image", "flavor", "target_host", "other_host",
        "timeout.server_active", "timeout.server_deleted", "timeout.service_state",
        "timeout.delete_frees", "timeout.heal", "timeout_scale",
        "fault_control", "stop_compute_command", "start_compute_command",
        "kill_compute_command", "freeze_compute_command", "thaw_compute_command",
        "allow_foreign_servers", "run_dir", "report_interval",
        "cut_placement_path_command", "restore_placement_path_command", "audit_command",
        "deployment", "container_engine", "ssh", "controller",
        "compute_max_microversion",
    }  # fmt: skip


def test_the_compute_microversion_cap_is_kept_as_given():
    assert resolve({"compute_max_microversion": " 2.90 "}, {}).compute_max_microversion == "2.90"
    assert resolve({}, {}).compute_max_microversion is None


@pytest.mark.parametrize("value", ["2", "2.x", "latest", "2.90.1", "v2.90"])
def test_a_compute_microversion_cap_that_is_not_one_is_refused(value):
    assert error_from({"compute_max_microversion": value}) == (
        f"compute_max_microversion={value!r} is not a microversion; "
        "pass e.g. -D compute_max_microversion=2.90 (major.minor)")


@pytest.mark.parametrize(
    "key",
    ["behave.formatter.html.title", "AllureFormatter.issue_pattern", "html_report.title", "embedded_cloud.keep"],
)
def test_keys_of_behave_formatters_and_sibling_packages_are_ignored(key):
    assert resolve({key: "x"}, {}) == SuiteSettings()


def test_kill_command_is_optional_and_checked_like_the_others():
    kill = "ssh {host} sudo systemctl kill --signal=SIGKILL nova-compute"
    userdata = {"fault_control": "command", "stop_compute_command": STOP, "start_compute_command": START}
    assert resolve(userdata, {}).kill_compute_command is None
    assert resolve({**userdata, "kill_compute_command": kill}, {}).kill_compute_command == kill
    assert error_from({"kill_compute_command": "ssh {hots} kill"}) == (
        "kill_compute_command='ssh {hots} kill' has an unknown placeholder {hots}; use {host} for "
        "the compute host and double any other brace, e.g. "
        "-D kill_compute_command='ssh {host} sudo systemctl kill --signal=SIGKILL nova-compute'"
    )


# heartbeats


def test_report_interval_defaults_to_the_embedded_clouds_published_one_or_novas():
    # None until the embedded cloud publishes its own (with_embedded_defaults)
    assert resolve({}, {}).report_interval is None
    assert resolve({"cloud": "lab"}, {}).report_interval == 10
    assert resolve({}, {"OS_AUTH_URL": "http://k"}).report_interval == 10
    assert resolve({"cloud": "lab", "report_interval": "2.5"}, {}).report_interval == 2.5


@pytest.mark.parametrize("value", ["ten", "0", "-1", "nan", "inf"])
def test_bad_report_interval(value):
    assert error_from({"report_interval": value}) == (
        f"report_interval={value!r} is not a number of seconds; pass e.g. -D report_interval=10"
    )


# nova-api's path to Placement


def test_placement_path_commands_are_taken_as_given():
    cut, restore = "ssh ctl sudo iptables -I OUTPUT -j REJECT {x}", "ssh ctl sudo iptables -D OUTPUT -j REJECT {x}"
    settings = resolve({"cut_placement_path_command": cut, "restore_placement_path_command": restore}, {})
    assert (settings.cut_placement_path_command, settings.restore_placement_path_command) == (cut, restore)


@pytest.mark.parametrize("given, missing", [("cut", "restore"), ("restore", "cut")])
def test_placement_path_commands_come_in_pairs(given, missing):
    message = error_from({f"{given}_placement_path_command": "true"})
    assert message.startswith(
        f"{given}_placement_path_command is set but {missing}_placement_path_command is not; pass both")
