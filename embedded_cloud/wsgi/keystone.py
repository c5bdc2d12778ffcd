from embedded_cloud.wsgi import trim_argv

trim_argv()

from keystone.server import wsgi  # noqa: E402

application = wsgi.initialize_public_application()
