from embedded_cloud.wsgi import loading, prepare

prepare()

with loading("glance"):
    from glance.wsgi.api import application  # noqa: E402,F401
