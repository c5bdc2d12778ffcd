"""The SAML schema deferred to its first use validates as the one built on import."""
from __future__ import annotations

import json
import subprocess
import sys

from hamcrest import assert_that, equal_to

VALID = ('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a1" '
         'Version="2.0" IssueInstant="2026-11-28T00:00:00Z"/>')
INVALID = ('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a1" '
           'IssueInstant="2026-11-28T00:00:00Z"/>')  # no Version: the schema requires it

PROBE = """
import json, sys
if sys.argv[1] == "deferred":
    from embedded_cloud.wsgi import saml_schema
    saml_schema.defer()
from saml2.xml import schema
built_on_import = getattr(schema._schema_validator_default, "_schema", True) is not None
results = []
for doc in sys.argv[2:]:
    try:
        schema.validate(doc)
        results.append("valid")
    except schema.XMLSchemaError:
        results.append("invalid")
print(json.dumps({"built_on_import": built_on_import, "results": results}))
"""


def _probe(mode: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, mode, VALID, INVALID],
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def test_deferred_schema_is_built_on_first_use_and_validates_the_same():
    assert_that(_probe("deferred"), equal_to({"built_on_import": False,
                                              "results": ["valid", "invalid"]}))
    assert_that(_probe("as_shipped"), equal_to({"built_on_import": True,
                                                "results": ["valid", "invalid"]}))
