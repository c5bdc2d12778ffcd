"""The suite's console scripts, for a suite installed as a package
(``pip install .``): its features, steps and behave configuration ship
inside it, so it runs from any directory.

    nova-leak-check [BEHAVE ARGS...]     behave on the suite's features; its
                                         arguments pass through, e.g.
                                         nova-leak-check -D cloud=prod-canary --tags=@kill
    living-spec [FEATURES_DIR] [-o FILE] the features as one HTML page

Reports go to the working directory (reports-out/), as in a clone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CONFIG = "behave.ini"


def features_dir() -> Path:
    """The suite's features: inside the installed package (acceptance/features),
    else the clone's features/ beside acceptance/ (an editable install, a checkout)."""
    here = Path(__file__).resolve().parent
    packaged = here / "features"
    return packaged if packaged.is_dir() else here.parent / "features"


def behave_defaults(features: Path) -> dict:
    """The suite's behave configuration (features/behave.ini; the clone's
    behave.ini is a link to it), with the features found wherever they are
    installed and the outputs in the working directory. behave reads a
    config only from the working directory or home, hence this."""
    from behave.configuration import read_configuration

    defaults = read_configuration(str(features / CONFIG))
    defaults["paths"] = [str(features)]
    # behave made outfiles relative to the config's directory; a run writes here.
    defaults["outfiles"] = [os.path.relpath(path, features) for path in defaults.get("outfiles", [])]
    return defaults


def main(argv: list[str] | None = None) -> int:
    """behave's own main, on the suite's configuration: its usage errors (an
    unknown option: usage line and exit 2) and config errors are behave's."""
    from behave.__main__ import run_behave
    from behave.configuration import Configuration
    from behave.exception import ConfigError, TagExpressionError

    args = sys.argv[1:] if argv is None else argv
    try:
        config = Configuration(args, load_config=False, **behave_defaults(features_dir()))
        return run_behave(config)
    except (ConfigError, TagExpressionError) as error:
        print(f"{type(error).__name__}: {error}")
    except BrokenPipeError:
        # The reader went away (`--steps-catalog | head`): no second error at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 1


def living_spec(argv: list[str] | None = None) -> int:
    from reports.living_spec import main as render

    return render(argv, default_features_dir=features_dir(), prog="living-spec")


if __name__ == "__main__":
    sys.exit(main())
