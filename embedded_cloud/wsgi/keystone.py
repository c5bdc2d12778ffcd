import os

from embedded_cloud.setup import keystone_setup
from embedded_cloud.wsgi import loading, prepare, saml_schema

prepare()
saml_schema.defer()

from keystone.server import wsgi  # noqa: E402

with loading("keystone"):
    # A cold start's set-up (db_sync, bootstrap, the catalog), in a fork that
    # shares the import above; then the application, which reads that database.
    keystone_setup.run_pending(keystone_setup.data_dir(), os.environ["OS_KEYSTONE_CONFIG_FILES"])
    application = wsgi.initialize_public_application()
