"""The defects that can be injected, by name."""
from __future__ import annotations

DEFECTS: dict[str, object] = {}


def apply(name: str) -> None:
    try:
        inject = DEFECTS[name]
    except KeyError:
        raise SystemExit(f"unknown defect {name!r}; known: {', '.join(sorted(DEFECTS)) or 'none'}")
    inject()
