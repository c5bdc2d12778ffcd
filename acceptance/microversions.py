"""Compute microversions: which one a run may use, and why a scenario that
needs more is skipped.

Tempest's convention (``tempest/lib/common/api_version_utils.py``,
``check_skip_with_microversion``): a test declares the microversion it needs,
the run knows the highest it may use -- the cloud's, lowered by Tempest's
``[compute] max_microversion`` option -- and a test needing more is skipped
with its reason; the run goes on. Here a scenario declares its need with a
tag (``acceptance/tags.py``); ``-D compute_max_microversion`` is the option.
Only what every scenario needs ends the run (the preflight).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SETTING = "compute_max_microversion"  # -D compute_max_microversion=2.93
_SHAPE = re.compile(r"^\d+\.\d+$")


def is_microversion(text: str) -> bool:
    return bool(_SHAPE.match(text))


def version_key(version: str) -> tuple[int, int]:
    """"2.100" sorts after "2.95"."""
    major, _, minor = version.partition(".")
    return int(major), int(minor or 0)


@dataclass(frozen=True)
class Offered:
    """The compute microversions a run may use: up to the cloud's maximum,
    or up to ``cap`` (the setting) when that is lower."""

    cloud: str  # the compute endpoint's max_microversion
    cap: str | None = None

    @property
    def highest(self) -> str:
        if self.cap is not None and version_key(self.cap) < version_key(self.cloud):
            return self.cap
        return self.cloud

    def allows(self, version: str) -> bool:
        return version_key(version) <= version_key(self.highest)

    def why_not(self, version: str, what: str) -> str | None:
        """None when ``version`` may be used, else the skip reason, e.g.
        'needs compute microversion 2.95 (evacuate keeps the server stopped);
        this cloud offers 2.93'."""
        if self.allows(version):
            return None
        return f"needs compute microversion {version} ({what}); {self.offers()}"

    def offers(self) -> str:
        if self.highest == self.cloud:
            return f"this cloud offers {self.cloud}"
        return f"this run offers {self.highest} (-D {SETTING}={self.cap}; the cloud offers {self.cloud})"
