"""behave, as `python -m behave` runs it, except that every adminPass nova
returns from a server create is also appended to $ADMIN_PASS_FILE: how the
redaction test learns the value it then looks for in every output. Only
observes (the create itself is openstacksdk's own)."""

import os
import sys

from openstack.compute.v2 import _proxy

_create_server = _proxy.Proxy.create_server


def create_server(self, **attrs):
    server = _create_server(self, **attrs)
    with open(os.environ["ADMIN_PASS_FILE"], "a", encoding="utf-8") as seen:
        seen.write(f"{server.admin_password or ''}\n")
    return server


_proxy.Proxy.create_server = create_server

if __name__ == "__main__":
    from behave.__main__ import main

    sys.exit(main(sys.argv[1:]))  # behave reads sys.argv only when run as "behave"
