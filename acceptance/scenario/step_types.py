"""Parse types for step texts: which host a step is about, how nova-compute
goes down. Registered once, by features/environment.py, which behave loads
before the step modules."""

from __future__ import annotations

import parse
from behave import register_type

TARGET, OTHER = "target", "other"
STOPPED, KILLED = "stopped", "killed (kill -9)"


@parse.with_pattern(r"target host|other host")
def parse_host_role(text: str) -> str:
    return TARGET if text == "target host" else OTHER


@parse.with_pattern(r"stopped|killed \(kill -9\)")
def parse_outage(text: str) -> str:
    return text


def register() -> None:
    register_type(HostRole=parse_host_role, Outage=parse_outage)
