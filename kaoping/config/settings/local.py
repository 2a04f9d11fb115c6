"""Settings for a developer's machine: DEBUG on, a fixed key, local hosts only."""

from .base import *
from .base import env_bool

DEBUG = env_bool("DEBUG", True)

# Insecure on purpose and only for development; production.py refuses any key like it.
SECRET_KEY = "django-insecure-kaoping-local-development-only-never-use-this-key-in-production"

ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
