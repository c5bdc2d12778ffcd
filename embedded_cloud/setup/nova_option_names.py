"""The options nova knows, by section: what `--nova-option` is checked against.

nova reads its own options and those of the libraries it loads (oslo.messaging,
oslo.db, keystonemiddleware, ...): the `oslo.config.opts` entry points its
config generator lists (NAMESPACES, the same list tests/unit/test_config_paths.py
loads). Listing them imports nova's config modules, which takes seconds, so it
runs once in a subprocess of this virtualenv (nothing of nova enters the
`embedded-cloud` command) and the list is kept in the virtualenv, keyed by the
installed distributions: another nova or library misses it.

    python -m embedded_cloud.setup.nova_option_names     # the list, as JSON
"""
from __future__ import annotations

import difflib
import hashlib
import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from ..errors import CloudError
from ..layout import venv_prefix

NAMESPACES = ("nova.conf", "oslo.log", "oslo.policy", "oslo.middleware", "oslo.db", "osprofiler",
              "keystonemiddleware.auth_token", "oslo.messaging", "oslo.privsep", "oslo.concurrency",
              "oslo.service.periodic_task", "oslo.service.service", "oslo.reports",
              "oslo.versionedobjects", "os_vif", "os_brick", "castellan.config", "oslo.limit",
              "oslo.cache")
DEFAULT = "DEFAULT"


def listed() -> dict[str, list[str]]:
    """{section: option names, deprecated names too}: nova reads both."""
    found = {ep.name: ep for ep in metadata.entry_points(group="oslo.config.opts")}
    known: dict[str, set[str]] = {}
    for namespace in NAMESPACES:
        for group, opts in found[namespace].load()():
            section = getattr(group, "name", group) or DEFAULT
            for opt in opts:
                known.setdefault(section, set()).add(opt.dest)
                for old in opt.deprecated_opts:
                    known.setdefault(old.group or section, set()).add(
                        (old.name or opt.dest).replace("-", "_"))
    return {section: sorted(names) for section, names in sorted(known.items())}


def _key() -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()):
        digest.update(dist.encode())
    return digest.hexdigest()[:16]


def known() -> dict[str, list[str]]:
    """The list, from the virtualenv's cache or made now (one subprocess)."""
    cache = venv_prefix() / "var" / "embedded-cloud" / "nova-options" / f"{_key()}.json"
    try:
        return json.loads(cache.read_text())
    except (OSError, ValueError):
        pass
    done = subprocess.run([sys.executable, "-m", __name__], capture_output=True, text=True,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise CloudError(f"cannot list nova's options to check --nova-option ({tail}); "
                         "is the virtualenv complete? (bin/setup)")
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")  # two clouds may start at once
    tmp.write_text(done.stdout)
    os.replace(tmp, cache)
    return json.loads(done.stdout)


def problem(section: str, key: str, known_options: dict[str, list[str]]) -> str | None:
    """What is wrong with SECTION.KEY for nova, or None when nova knows it."""
    names = known_options.get(section)
    if names is None:
        close = difflib.get_close_matches(section, known_options, n=1)
        return (f"nova has no section [{section}]"
                + (f" (did you mean [{close[0]}]?)" if close else ""))
    if key.replace("-", "_") in names:
        return None
    close = difflib.get_close_matches(key, names, n=1)
    return (f"nova has no option {key!r} in [{section}]"
            + (f" (did you mean {section}.{close[0]}?)" if close else ""))


def check(options: dict[str, dict[str, str]]) -> None:
    """Raise CloudError, one line naming the section and key, for the first option nova does not know."""
    if not options:
        return
    known_options = known()
    for section, values in options.items():
        for key in values:
            wrong = problem(section, key, known_options)
            if wrong:
                raise CloudError(f"--nova-option {section}.{key}: {wrong}; nova would ignore it. "
                                 "Name an option of nova's configuration reference")


if __name__ == "__main__":
    json.dump(listed(), sys.stdout)
