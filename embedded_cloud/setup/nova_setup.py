"""Create nova's databases and cells in one process: the steps of nova-manage
`api_db sync`, `cell_v2 map_cell0`, `cell_v2 create_cell` and `db sync`.

    python -m embedded_cloud.setup.nova_setup [--schema-loaded] CELL0_URL TRANSPORT_TEMPLATE --config-file ...

It calls the same command classes nova-manage dispatches to, in the same
order (the syncs skipped with --schema-loaded: schema_cache.py loaded
their result); one interpreter instead of four saves about 2 s of imports each on the
cold start's critical path.
"""
from __future__ import annotations

import sys


def main() -> int:
    args = sys.argv[1:]
    # nova.initialize loaded the migrated schemas from the cache: no syncs.
    schema_loaded = args[0] == "--schema-loaded"
    cell0_url, transport_template, *config_args = args[1:] if schema_loaded else args
    from nova.cmd import manage  # first: it applies nova's monkey patching
    from nova import config, objects

    from embedded_cloud.runtime.confinement import confine

    confine()

    config.parse_args(["nova-manage", *config_args])
    objects.register_all()
    steps = (
        ("api_db sync", lambda: manage.ApiDbCommands().sync()),
        ("cell_v2 map_cell0", lambda: manage.CellV2Commands().map_cell0(
            database_connection=cell0_url)),
        ("cell_v2 create_cell", lambda: manage.CellV2Commands().create_cell(
            name="cell1", transport_url=transport_template)),
        ("db sync", lambda: manage.DbCommands().sync()),
    )
    for name, step in steps:
        if schema_loaded and name.endswith(" sync"):
            print(f"nova_setup: {name} skipped: schema from the cache", flush=True)
            continue
        code = step()
        if code:  # nova-manage's commands return non-zero on failure
            print(f"nova_setup: {name} failed with code {code}", file=sys.stderr)
            return code
        print(f"nova_setup: {name} done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
