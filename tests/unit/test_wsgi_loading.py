"""An application that exits while it loads names its service and the cause."""
from __future__ import annotations

import sys

import pytest
from hamcrest import assert_that, equal_to

from embedded_cloud.wsgi import loading


def test_an_exit_while_loading_names_the_service_and_the_cause():
    with pytest.raises(RuntimeError) as raised:
        with loading("keystone"):
            sys.exit("/run/keystone/fernet-keys does not exist")
    assert_that(str(raised.value), equal_to(
        "keystone exited while loading its application: /run/keystone/fernet-keys does not exist"))

