"""What a defect module declares about itself, once: the catalog, the suite's
catch test (tests/defects/test_suite_catches_defects.py) and the README's
defect table are derived from these records."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Defect:
    name: str  # as `embedded-cloud up --defect SERVICE=NAME` takes it
    service: str  # the kind of process it patches: "nova-api" or "nova-compute"
    breaks: str  # what it breaks in nova, one sentence (markdown)
    # scenario it must turn red -> a fragment of that scenario's failure message;
    # every other scenario of the same features must still pass
    catches: dict[str, str] = field(default_factory=dict)
    # `--nova-option` values under which nova takes the broken path
    nova_options: tuple[str, ...] = ()
    module: str = ""  # filled in by the catalog: the module with inject()
