"""Django project configuration: settings, URLs, WSGI and ASGI entry points."""
