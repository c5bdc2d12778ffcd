"""Parse types for step texts: which host a step is about, how nova-compute
goes down. Registered once, by features/environment.py, which behave loads
before the step modules."""

from __future__ import annotations

import re

import parse
from behave import register_type

from acceptance.faults import FAULTS, Fault

TARGET, OTHER = "target", "other"
_BY_OUTAGE = {fault.outage: fault for fault in FAULTS.values()}


@parse.with_pattern(r"target host|other host")
def parse_host_role(text: str) -> str:
    return TARGET if text == "target host" else OTHER


# Each declared fault's words (acceptance/faults.py): "stopped", "killed (kill -9)", ...
@parse.with_pattern("|".join(re.escape(outage) for outage in _BY_OUTAGE))
def parse_outage(text: str) -> Fault:
    return _BY_OUTAGE[text]


def register() -> None:
    register_type(HostRole=parse_host_role, Outage=parse_outage)
