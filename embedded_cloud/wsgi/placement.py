from embedded_cloud.wsgi import application_of, loading, prepare

prepare()

# placement.wsgi.api from placement 13 (2025.1) on; before, placement.wsgi.
with loading("placement"):
    application = application_of("placement.wsgi.api", "placement.wsgi", "init_application")
