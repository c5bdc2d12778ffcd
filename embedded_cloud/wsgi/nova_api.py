from embedded_cloud.wsgi import application_of, loading, prepare

prepare()
# Served through embedded_cloud.runtime.launch (services/nova.py), which applies
# nova-api's defect first; nova's module runs monkey_patch.patch() before any
# other nova import. No request is served before this module is done.
# nova.wsgi.osapi_compute from nova 30 (2024.2) on; before, the module pbr
# made nova-api-wsgi from.
with loading("nova-api"):
    application = application_of("nova.wsgi.osapi_compute", "nova.api.openstack.compute.wsgi",
                                 "init_application")
