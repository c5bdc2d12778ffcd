from embedded_cloud.defects import apply_from_environment
from embedded_cloud.wsgi import trim_argv

trim_argv()
# A defect, when one is asked for, is in place before nova-api serves a request.
apply_from_environment()

from nova.wsgi.osapi_compute import application  # noqa: E402,F401
