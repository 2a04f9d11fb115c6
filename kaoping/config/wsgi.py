"""WSGI entry point. Defaults to production settings, which refuse an unsafe environment."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaoping.config.settings.production")

application = get_wsgi_application()
