"""Settings for a developer's machine: DEBUG on, a fixed key, local hosts only."""

from .base import *
from .base import env_bool

DEBUG = env_bool("DEBUG", True)

# Insecure on purpose and only for development; production.py refuses any key like it.
SECRET_KEY = "django-insecure-kaoping-local-development-only-never-use-this-key-in-production"

ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

# Static files straight from the apps' static folders, re-read on change: no collectstatic while
# developing or testing (the test settings build on these).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
