"""pysaml2's SAML schema, built on first use rather than on import.

pysaml2 builds the XML schema of the SAML protocol when `saml2.xml.schema`
is imported (0.6 CPU s, a third of keystone's import), for keystone's SAML
federation, which this cloud never uses; keystone imports it with its API.
Built on first use instead it is the same schema, validating the same way;
keystone's start is shorter by that, on the cold and the warm start's
critical path. Nothing else of pysaml2 or keystone changes.
"""
from __future__ import annotations

import importlib
import sys
import threading

MODULE = "saml2.xml.schema"


class _OnFirstUse:
    """Stands for an xmlschema.XMLSchema until an attribute is asked for."""

    def __init__(self, build, *args, **kwargs) -> None:
        self._build = lambda: build(*args, **kwargs)
        self._schema = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str):
        with self._lock:
            if self._schema is None:
                self._schema = self._build()
        return getattr(self._schema, name)


def defer() -> None:
    """Import saml2.xml.schema with its schemas built on first use (before keystone does)."""
    if MODULE in sys.modules:
        return
    import xmlschema

    real = xmlschema.XMLSchema
    xmlschema.XMLSchema = lambda *args, **kwargs: _OnFirstUse(real, *args, **kwargs)
    try:
        importlib.import_module(MODULE)  # binds its XMLSchema name to the stand-in's factory
    finally:
        xmlschema.XMLSchema = real
