"""The suite's configuration, from behave userdata (``-D key=value``) and the
environment.

Which cloud, first match wins:

1. userdata ``cloud`` -- a clouds.yaml entry; ``-D cloud=embedded`` forces
   the embedded cloud even when OS_CLOUD is exported;
2. ``OS_CLOUD`` -- a clouds.yaml entry;
3. ``OS_AUTH_URL`` -- the OS_* variables, through openstacksdk's special
   cloud name ``envvars``;
4. otherwise the embedded cloud (``cloud`` is None).

Empty values count as not set. Every mistake raises ``SettingsError`` with
one line naming the key, the bad value and what to pass instead.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from acceptance import deployments, faults, microversions


class SettingsError(ValueError):
    """The suite was configured wrongly; the message says how to fix it."""


@dataclass(frozen=True)
class Timeouts:
    """Seconds to wait for each kind of change in the cloud."""

    server_active: float = 120.0
    server_deleted: float = 90.0
    service_state: float = 60.0
    # An ordinary delete frees the allocations a moment after the 404: a
    # short bound, so a leak left for nova's periodic clean-up (60 s by
    # default) does not pass as freed.
    delete_frees: float = 15.0
    # A restarted nova-compute's first heartbeat (its start-up heal comes before it).
    heal: float = 120.0

    def scaled(self, factor: float) -> Timeouts:
        return Timeouts(**{f.name: getattr(self, f.name) * factor for f in fields(self)})


FAULT_CONTROLS = ("auto", "embedded", "command", "none")
EMBEDDED = "embedded"  # -D cloud=embedded
ENVVARS_CLOUD = "envvars"  # openstacksdk's name for "the cloud in OS_* variables"
DEFAULT_RUN_DIR = ".run/suite"
EMBEDDED_RUN_DIR_KEY = "embedded_cloud.run_dir"
# Seconds between a nova-compute's heartbeats ([DEFAULT] report_interval):
# nova's default on a real cloud. The embedded cloud publishes its own
# (`embedded-cloud facts`), laid in by ``with_embedded_defaults``.
NOVA_REPORT_INTERVAL = 10.0
# The -D keys whose defaults the embedded cloud publishes (its fault and audit commands).
EMBEDDED_COMMAND_KEYS = (*faults.COMPUTE_COMMAND_KEYS, "cut_placement_path_command",
                         "restore_placement_path_command", "audit_command")


@dataclass(frozen=True)
class SuiteSettings:
    cloud: str | None = None  # None: the embedded cloud
    cloud_source: str = "embedded"  # "userdata", "OS_CLOUD", "OS_AUTH_URL" or "embedded"
    image: str | None = None
    flavor: str | None = None  # None: the suite creates its own flavors
    target_host: str | None = None
    other_host: str | None = None
    timeouts: Timeouts = field(default_factory=Timeouts)
    fault_control: str = "auto"  # one of FAULT_CONTROLS
    # -D key -> shell template with {host}, for each of acceptance.faults'
    # COMPUTE_COMMAND_KEYS given (read as ``settings.stop_compute_command``).
    # stop and start are needed for any fault; without a fault's own command
    # (kill, freeze and thaw), the scenarios tagged for it are skipped.
    compute_commands: dict[str, str] = field(default_factory=dict)
    # Optional: without both, the heal scenario (@placement-path) is skipped
    # under fault_control=command.
    cut_placement_path_command: str | None = None  # shell command, run as given
    restore_placement_path_command: str | None = None  # shell command, run as given
    # nova's placement audit (acceptance/cloud/audit.py); the embedded cloud runs its own.
    audit_command: str | None = None  # shell command, {provider} optional
    # The cloud's heartbeat interval: -D report_interval, else nova's default on
    # a named cloud; None on the embedded cloud until it publishes its own
    # (with_embedded_defaults).
    report_interval: float | None = None
    allow_foreign_servers: bool = False
    # -D deployment=devstack|kolla|openstack-ansible (acceptance/deployments.py):
    # fills the commands above that are not given explicitly.
    deployment: str | None = None
    # The preset's harmless command per compute host, run by preflight ({host}),
    # and (controller, command) pairs for the controllers' path.
    probe_command: str | None = None
    controller_probes: tuple[tuple[str, str], ...] = ()
    # Why the preset has no Placement cut (the heal scenario's skip reason).
    why_no_cut: str | None = None
    # One line per command given explicitly over the preset's, said once at start.
    preset_notes: tuple[str, ...] = ()
    # The highest compute microversion the suite may use, below the cloud's
    # (Tempest's [compute] max_microversion): scenarios needing more are skipped.
    compute_max_microversion: str | None = None
    run_dir: str = DEFAULT_RUN_DIR
    # The embedded cloud's run directory (-D embedded_cloud.run_dir=DIR);
    # None: $EMBEDDED_CLOUD_DIR, else the project's .run/cloud.
    embedded_run_dir: str | None = None

    def __getattr__(self, name: str):
        """``settings.<key>`` for a compute command key (None if not given)."""
        if name in faults.COMPUTE_COMMAND_KEYS:
            return self.compute_commands.get(name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def uses_embedded_cloud(self) -> bool:
        return self.cloud is None

    def commands(self) -> dict[str, str]:
        """setting -> value, for every shell command given: secret-bearing
        (acceptance.redaction.register_command_secrets)."""
        return {**self.compute_commands,
                **{f.name: getattr(self, f.name) for f in fields(self)
                   if f.name.endswith("_command") and getattr(self, f.name)}}


_TIMEOUT_KEYS = {f"timeout.{f.name}": f.name for f in fields(Timeouts)}
_TEXT_KEYS = (
    "cloud",
    "image",
    "flavor",
    "target_host",
    "other_host",
    "fault_control",
    *faults.COMPUTE_COMMAND_KEYS,
    "cut_placement_path_command",
    "restore_placement_path_command",
    "audit_command",
    "deployment",
    "container_engine",
    "ssh",
    "controller",
    "run_dir",
    microversions.SETTING,
)
KNOWN_KEYS = tuple(sorted([*_TEXT_KEYS, *_TIMEOUT_KEYS, "timeout_scale", "report_interval",
                           "allow_foreign_servers"]))

# Userdata that is not ours to check: behave's own and formatters'
# (behave.formatter.*, allure-behave's AllureFormatter.*, this project's
# reports.html_formatter reads html_report.*), and a namespace kept free for
# the embedded_cloud package.
IGNORED_PREFIXES = ("behave.", "AllureFormatter.", "html_report.", "embedded_cloud.")

_TRUE = ("true", "yes", "1")
_FALSE = ("false", "no", "0")


def resolve(userdata: Mapping[str, str], environ: Mapping[str, str]) -> SuiteSettings:
    """Settings from behave userdata and the process environment."""
    _refuse_unknown_keys(userdata)

    def text(key: str) -> str | None:
        value = userdata.get(key)
        return (str(value).strip() or None) if value is not None else None

    cloud, cloud_source = _choose_cloud(text("cloud"), environ)

    overrides = {}
    for key, name in _TIMEOUT_KEYS.items():
        if (value := text(key)) is not None:
            overrides[name] = _seconds(key, value)
    timeouts = replace(Timeouts(), **overrides)
    scale = text("timeout_scale")
    if scale is not None:
        timeouts = timeouts.scaled(_scale(scale))

    preset = _preset(text)
    fault_control = text("fault_control") or "auto"
    if fault_control not in FAULT_CONTROLS:
        raise SettingsError(
            f"fault_control={fault_control!r} is not one of {', '.join(FAULT_CONTROLS)}; "
            "pass e.g. -D fault_control=command"
        )
    compute_commands = {command.key: template for command in faults.COMMANDS
                        if (template := _command_template(command.key, preset.given(command.key),
                                                          example=command.example))}
    if fault_control == "command" and not (compute_commands.get(faults.STOP.command.key)
                                           and compute_commands.get(faults.START.key)):
        raise SettingsError(
            "fault_control='command' needs both stop_compute_command and start_compute_command; "
            "pass e.g. -D stop_compute_command='ssh {host} sudo systemctl stop nova-compute'"
        )
    if fault_control == "embedded" and cloud is not None:
        raise SettingsError(
            f"fault_control='embedded' needs the embedded cloud, but cloud {cloud!r} "
            f"was chosen from {cloud_source}; pass -D fault_control=command or -D fault_control=none"
        )

    # Run as given: nova-api's path is one per cloud, so there is no {host}.
    cut_command = preset.given("cut_placement_path_command")
    restore_command = preset.given("restore_placement_path_command")
    if bool(cut_command) != bool(restore_command):
        given, missing = (("cut", "restore") if cut_command else ("restore", "cut"))
        raise SettingsError(
            f"{given}_placement_path_command is set but {missing}_placement_path_command is not; "
            f"pass both (e.g. -D {missing}_placement_path_command='ssh controller sudo iptables "
            f"{'-D' if missing == 'restore' else '-I'} OUTPUT -p tcp --dport 8778 -j REJECT') "
            "or neither"
        )
    report_interval = text("report_interval")
    if report_interval is not None:
        report_interval = _seconds("report_interval", report_interval)
    else:
        report_interval = None if cloud is None else NOVA_REPORT_INTERVAL

    target_host, other_host = text("target_host"), text("other_host")
    if target_host is not None and target_host == other_host:
        raise SettingsError(
            f"target_host and other_host are both {target_host!r}; pass two different compute hosts"
        )

    cap = text(microversions.SETTING)
    if cap is not None and not microversions.is_microversion(cap):
        raise SettingsError(
            f"{microversions.SETTING}={cap!r} is not a microversion; pass e.g. "
            f"-D {microversions.SETTING}=2.90 (major.minor)"
        )

    return SuiteSettings(
        cloud=cloud,
        cloud_source=cloud_source,
        image=text("image"),
        flavor=text("flavor"),
        target_host=target_host,
        other_host=other_host,
        timeouts=timeouts,
        fault_control=fault_control,
        compute_commands=compute_commands,
        cut_placement_path_command=cut_command,
        restore_placement_path_command=restore_command,
        audit_command=_command_template("audit_command", preset.given("audit_command"), placeholder="provider"),
        report_interval=report_interval,
        allow_foreign_servers=_flag("allow_foreign_servers", text("allow_foreign_servers")),
        deployment=preset.deployment,
        probe_command=preset.commands.get("probe_command"),
        controller_probes=preset.commands.get("controller_probes", ()),
        why_no_cut=None if cut_command else preset.commands.get("why_no_cut"),
        preset_notes=tuple(preset.notes),
        compute_max_microversion=cap,
        run_dir=text("run_dir") or DEFAULT_RUN_DIR,
        embedded_run_dir=text(EMBEDDED_RUN_DIR_KEY),
    )


def with_embedded_defaults(settings: SuiteSettings, published: Mapping[str, str],
                           report_interval: float) -> SuiteSettings:
    """``settings`` on the embedded cloud, completed with what it published:
    its fault and audit commands where no -D key gave one, its heartbeat
    interval unless -D report_interval did. ``auto`` fault control becomes
    ``embedded`` (the cloud's own commands)."""
    offered = dict(published)
    if settings.fault_control == "none":
        # Switched off: nothing of the cloud's takes a compute down (its audit is no fault).
        offered = {key: value for key, value in offered.items() if key == "audit_command"}
    commands = {key: getattr(settings, key) or offered.get(key) for key in EMBEDDED_COMMAND_KEYS}
    compute = {key: commands.pop(key) for key in faults.COMPUTE_COMMAND_KEYS}
    return replace(
        settings,
        compute_commands={key: value for key, value in compute.items() if value},
        **commands,
        fault_control="embedded" if settings.fault_control == "auto" else settings.fault_control,
        report_interval=settings.report_interval or report_interval,
    )


class _Preset:
    """The deployment preset's commands under the explicit ones."""

    def __init__(self, text, deployment: str | None, commands: dict[str, str | None]) -> None:
        self.text, self.deployment, self.commands = text, deployment, commands
        self.notes: list[str] = []

    def given(self, key: str) -> str | None:
        explicit = self.text(key)
        preset = self.commands.get(key)
        if explicit is not None and preset is not None and explicit != preset:
            self.notes.append(f"note: -D {key} is given, so the {self.deployment} preset's "
                              f"`{preset}` is not used")
        return explicit if explicit is not None else preset


def _preset(text) -> _Preset:
    deployment = text("deployment")
    options = {"container_engine": text("container_engine"), "ssh": text("ssh")}
    if deployment is None:
        given = [key for key in (*options, "controller") if text(key) is not None]
        if given:
            raise SettingsError(f"{', '.join(given)} {'needs' if len(given) == 1 else 'need'} -D deployment=... (one of "
                                f"{', '.join(deployments.DEPLOYMENTS)}); pass it or leave them out")
        return _Preset(text, None, {})
    try:
        commands = deployments.commands(deployment, **options,
                                        controllers=tuple((text("controller") or "").split()))
    except deployments.PresetError as error:
        raise SettingsError(str(error)) from None
    return _Preset(text, deployment, commands)


def _refuse_unknown_keys(userdata: Mapping[str, str]) -> None:
    unknown = sorted(
        key for key in userdata if key not in KNOWN_KEYS and not key.startswith(IGNORED_PREFIXES)
    )
    if not unknown:
        return
    guesses = [match for key in unknown for match in difflib.get_close_matches(key, KNOWN_KEYS, n=1)]
    hint = f" (did you mean {', '.join(guesses)}?)" if guesses else ""
    raise SettingsError(
        f"unknown userdata {'key' if len(unknown) == 1 else 'keys'} {', '.join(unknown)}{hint}; "
        f"known keys: {', '.join(KNOWN_KEYS)}"
    )


def _choose_cloud(from_userdata: str | None, environ: Mapping[str, str]) -> tuple[str | None, str]:
    if from_userdata is not None:
        return (None if from_userdata == EMBEDDED else from_userdata), "userdata"
    if os_cloud := environ.get("OS_CLOUD", "").strip():
        return os_cloud, "OS_CLOUD"
    if environ.get("OS_AUTH_URL", "").strip():
        return ENVVARS_CLOUD, "OS_AUTH_URL"
    return None, "embedded"


def _positive_number(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and number > 0 else None


def _seconds(key: str, value: str) -> float:
    seconds = _positive_number(value)
    if seconds is None:
        default = getattr(Timeouts(), _TIMEOUT_KEYS[key]) if key in _TIMEOUT_KEYS else NOVA_REPORT_INTERVAL
        raise SettingsError(
            f"{key}={value!r} is not a number of seconds; pass e.g. -D {key}={default:g}"
        )
    return seconds


def _scale(value: str) -> float:
    scale = _positive_number(value)
    if scale is None:
        raise SettingsError(
            f"timeout_scale={value!r} is not a positive number; "
            "pass e.g. -D timeout_scale=2 to double every timeout"
        )
    return scale


def _flag(key: str, value: str | None) -> bool:
    if value is None:
        return False
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise SettingsError(
        f"{key}={value!r} is not true or false; pass -D {key}=true or -D {key}=false "
        "(yes/no/1/0 also work)"
    )


def _command_template(key: str, template: str | None, placeholder: str = "host",
                      example: str = "") -> str | None:
    """Check now that the template formats with {host} (or ``placeholder``)
    alone, so a typo fails at start-up and not halfway through a scenario."""
    if template is None:
        return None
    try:
        template.format(**{placeholder: "compute1"})
    except KeyError as error:
        problem = f"has an unknown placeholder {{{error.args[0]}}}"
    except IndexError:
        problem = "has a positional placeholder ({} or {0})"
    except (ValueError, AttributeError) as error:
        problem = f"is not a valid template ({error})"
    else:
        return template
    if placeholder == "provider":
        what, example = "the resource provider's uuid", AUDIT_EXAMPLE
    else:
        what = "the compute host"
    raise SettingsError(
        f"{key}={template!r} {problem}; use {{{placeholder}}} for {what} and double "
        f"any other brace, e.g. -D {key}='{example}'"
    )


AUDIT_EXAMPLE = "ssh controller sudo nova-manage placement audit --verbose --resource_provider {provider}"
