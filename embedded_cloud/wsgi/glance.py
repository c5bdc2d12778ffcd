from embedded_cloud.wsgi import application_of, loading, prepare

prepare()

# glance.wsgi.api from glance 30 (2025.1) on; before, glance.common.wsgi_app.
with loading("glance"):
    application = application_of("glance.wsgi.api", "glance.common.wsgi_app", "init_app")
