"""Settings for the test suite: local settings, a fast password hasher, no DEBUG surprises.

The database comes from DATABASE_URL (PostgreSQL in CI) or is SQLite. On PostgreSQL, Django
creates and drops `test_<name>` (e.g. `test_test`) itself, which the `postgres` superuser may do;
on SQLite the test database lives in memory.
"""

from .local import *

DEBUG = False

# Hashing with PBKDF2 would dominate the run time of tests that log users in.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Test databases are created and destroyed per run: never keep connections across tests.
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False

# Uploaded files of a test run go to a throw-away folder, never into var/.
import tempfile  # noqa: E402

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kaoping-test-media-"))

# Several test runs may share one PostgreSQL server (developers, CI, parallel sessions): each run
# gets its own test database, which Django drops at the end of the run.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    import os  # noqa: E402

    DATABASES["default"]["TEST"] = {"NAME": f"test_kaoping_{os.getpid()}"}
KAOPING_SCORING_WORKERS = 1  # tests run single-process; one test checks the parallel path
