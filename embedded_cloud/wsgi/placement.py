from embedded_cloud.wsgi import loading, prepare

prepare()

with loading("placement"):
    from placement.wsgi.api import application  # noqa: E402,F401
