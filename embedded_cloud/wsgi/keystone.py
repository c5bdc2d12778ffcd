from embedded_cloud.wsgi import loading, prepare

prepare()

from keystone.server import wsgi  # noqa: E402

with loading("keystone"):
    application = wsgi.initialize_public_application()
