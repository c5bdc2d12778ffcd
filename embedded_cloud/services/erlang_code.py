"""The broker's code path, cut down to the Erlang applications it loads.

RabbitMQ 3.10 puts every application of its plugins directory (71 in Debian's
package) at the front of the Erlang code path, and Erlang finds a module by
trying each directory in turn: the ~960 modules a boot loads cost ~52,000
failed file opens, each a hand-over to a dirty I/O thread and back, about
half of the boot's CPU. A plugins directory of links to just the applications
the broker needs (found from their .app files) puts those first instead. The
full plugins directory stays on the path through ERL_LIBS, further down, so
an application missing here costs time, never correctness.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Iterable

# mnesia: rabbit starts it itself, its .app file does not list it.
ROOTS = ("rabbit", "mnesia")

_APP_DIR = re.compile(r"^(?P<name>[a-z][a-zA-Z0-9_]*)-[0-9][^/]*$")
_REQUIRED = re.compile(r"\{\s*(?:applications|included_applications)\s*,\s*\[([^\]]*)\]")
_ATOM = re.compile(r"[a-z][a-zA-Z0-9_]*")


def app_dirs(lib_dirs: Iterable[Path]) -> dict[str, Path]:
    """Application name to its directory (name-version, with an ebin); earlier lib dirs win."""
    found: dict[str, Path] = {}
    for lib in lib_dirs:
        in_lib: dict[str, Path] = {}
        for path in sorted(lib.iterdir()) if lib.is_dir() else ():
            match = _APP_DIR.match(path.name)
            if match and (path / "ebin").is_dir():
                in_lib[match["name"]] = path  # sorted: the highest version stays
        for name, path in in_lib.items():
            found.setdefault(name, path)
    return found


def required(app_dir: Path, name: str) -> list[str]:
    """The applications the .app file of `name` says it needs."""
    try:
        text = (app_dir / "ebin" / f"{name}.app").read_text(errors="replace")
    except OSError:
        return []
    return [atom for group in _REQUIRED.findall(text) for atom in _ATOM.findall(group)]


def needed(available: dict[str, Path], roots: Iterable[str] = ROOTS) -> list[str]:
    """The roots and all they need, transitively, among the available applications."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen or name not in available:
            continue
        seen.add(name)
        todo.extend(required(available[name], name))
    return sorted(seen)


def plugins_dir(dest: Path, lib_dirs: Iterable[Path]) -> Path | None:
    """`dest`, rebuilt with one link per needed application; None if rabbit is not found."""
    available = app_dirs(lib_dirs)
    if "rabbit" not in available:
        return None
    # Rebuilt each time: a package upgrade changes the versioned names.
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for name in needed(available):
        (dest / available[name].name).symlink_to(available[name])
    return dest
