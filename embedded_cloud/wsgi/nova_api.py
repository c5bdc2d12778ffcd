from embedded_cloud.wsgi import loading, prepare

prepare()
# Served through embedded_cloud.launch (services/nova.py), which applies
# nova-api's defect first; nova's module runs monkey_patch.patch() before any
# other nova import. No request is served before this module is done.
with loading("nova-api"):
    from nova.wsgi.osapi_compute import application  # noqa: E402,F401
