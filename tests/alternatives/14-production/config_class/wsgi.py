import app as application_module

app = application_module.create_app()
