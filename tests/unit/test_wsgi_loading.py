"""An application that exits while gunicorn loads it stops gunicorn instead of looping."""
from __future__ import annotations

import sys

import pytest
from hamcrest import assert_that, equal_to

from embedded_cloud.wsgi import loading


def test_an_exit_while_loading_becomes_a_worker_boot_error():
    # gunicorn restarts a worker that exits, for ever; one that raises while
    # booting (WORKER_BOOT_ERROR) makes gunicorn stop, so `up` fails at once.
    with pytest.raises(RuntimeError) as raised:
        with loading("keystone"):
            sys.exit("/run/keystone/fernet-keys does not exist")
    assert_that(str(raised.value), equal_to(
        "keystone exited while loading its application: /run/keystone/fernet-keys does not exist"))

