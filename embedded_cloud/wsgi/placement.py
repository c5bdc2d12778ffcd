from embedded_cloud.wsgi import prepare

prepare()

from placement.wsgi.api import application  # noqa: E402,F401
