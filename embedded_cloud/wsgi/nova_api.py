from embedded_cloud.defects import apply_from_environment
from embedded_cloud.wsgi import loading, prepare

prepare()
# nova's module runs monkey_patch.patch() before any other nova import, so it
# comes first; defects patch classes, so the app it builds sees them, and
# gunicorn serves no request before this module is done.
with loading("nova-api"):
    from nova.wsgi.osapi_compute import application  # noqa: E402,F401

apply_from_environment()
