from embedded_cloud.wsgi import prepare

prepare()

from keystone.server import wsgi  # noqa: E402

application = wsgi.initialize_public_application()
