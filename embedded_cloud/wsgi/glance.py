from embedded_cloud.wsgi import prepare

prepare()

from glance.wsgi.api import application  # noqa: E402,F401
