from embedded_cloud.wsgi import trim_argv

trim_argv()

from placement.wsgi.api import application  # noqa: E402,F401
