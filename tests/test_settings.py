"""Settings refuse an unsafe production environment and read the database from DATABASE_URL.

Each case imports a settings module in a fresh interpreter with a controlled environment, as a
server process would at start-up.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD_KEY = "k" + "".join(chr(ord("a") + i % 26) for i in range(60))

# Print, as JSON, the settings a case asserts on; a refusal exits with the exception's text.
PROBE = """
import importlib, json, sys
from django.core.exceptions import ImproperlyConfigured
try:
    module = importlib.import_module(sys.argv[1])
except ImproperlyConfigured as error:
    print(f"ImproperlyConfigured: {error}", file=sys.stderr)
    sys.exit(3)
print(json.dumps({
    "DEBUG": module.DEBUG,
    "ALLOWED_HOSTS": module.ALLOWED_HOSTS,
    "SECURE_SSL_REDIRECT": getattr(module, "SECURE_SSL_REDIRECT", None),
    "SESSION_COOKIE_SECURE": getattr(module, "SESSION_COOKIE_SECURE", None),
    "SECURE_HSTS_SECONDS": getattr(module, "SECURE_HSTS_SECONDS", None),
    "DATABASE": {key: module.DATABASES["default"][key] for key in ("ENGINE", "NAME", "HOST", "PORT", "USER")},
}))
"""

CLEARED = (
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "SECURE_SSL_REDIRECT",
    "KAOPING_VAR_DIR",
    "DJANGO_SETTINGS_MODULE",
)


def load_settings(module: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if key not in CLEARED}
    environ["KAOPING_VAR_DIR"] = str(tmp_path / "var")
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", PROBE, module],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def load_production(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return load_settings("kaoping.config.settings.production", tmp_path, **env)


@pytest.mark.parametrize(
    ("secret_key", "message"),
    [
        (None, "SECRET_KEY is not set."),
        ("", "SECRET_KEY is not set."),
        ("short-but-random-Xy7", "SECRET_KEY is insecure: it has 20 characters, fewer than 50"),
        ("abcd" * 20, "SECRET_KEY is insecure: it has 4 different characters, fewer than 5"),
        (
            "django-insecure-" + GOOD_KEY,
            "SECRET_KEY is insecure: it starts with 'django-insecure'",
        ),
    ],
)
def test_production_refuses_missing_or_insecure_secret_key(
    tmp_path: Path, secret_key: str | None, message: str
) -> None:
    env = {"ALLOWED_HOSTS": "kaoping.example.com"}
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key

    result = load_production(tmp_path, **env)

    assert result.returncode == 3, result.stderr
    assert f"ImproperlyConfigured: {message}" in result.stderr


@pytest.mark.parametrize("debug", ["1", "true", "on", "YES"])
def test_production_refuses_debug_on(tmp_path: Path, debug: str) -> None:
    result = load_production(
        tmp_path, SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="kaoping.example.com", DEBUG=debug
    )

    assert result.returncode == 3, result.stderr
    assert "ImproperlyConfigured: DEBUG must be off in production" in result.stderr


def test_production_refuses_missing_allowed_hosts(tmp_path: Path) -> None:
    result = load_production(tmp_path, SECRET_KEY=GOOD_KEY)

    assert result.returncode == 3, result.stderr
    assert "ImproperlyConfigured: ALLOWED_HOSTS is not set." in result.stderr


def test_production_starts_with_a_good_key_and_hosts(tmp_path: Path) -> None:
    result = load_production(
        tmp_path, SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="kaoping.example.com, www.example.com"
    )

    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["DEBUG"] is False
    assert loaded["ALLOWED_HOSTS"] == ["kaoping.example.com", "www.example.com"]
    assert loaded["SECURE_SSL_REDIRECT"] is True
    assert loaded["SESSION_COOKIE_SECURE"] is True
    assert loaded["SECURE_HSTS_SECONDS"] == 31536000


def test_production_ssl_redirect_can_be_turned_off(tmp_path: Path) -> None:
    result = load_production(
        tmp_path,
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="kaoping.example.com",
        SECURE_SSL_REDIRECT="0",
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["SECURE_SSL_REDIRECT"] is False


def test_base_reads_database_url(tmp_path: Path) -> None:
    result = load_settings(
        "kaoping.config.settings.base",
        tmp_path,
        DATABASE_URL="postgres://kaoping:secret@db.example.com:6543/kaoping_prod",
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["DATABASE"] == {
        "ENGINE": "kaoping.db.postgresql",  # Django's, reading json like jsonb
        "NAME": "kaoping_prod",
        "HOST": "db.example.com",
        "PORT": 6543,
        "USER": "kaoping",
    }


def test_base_defaults_to_sqlite_in_the_var_dir(tmp_path: Path) -> None:
    result = load_settings("kaoping.config.settings.base", tmp_path)

    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)["DATABASE"]
    # Django's backend, aware of the linked SQLite's real parameter limit
    assert database["ENGINE"] == "kaoping.db.sqlite3"
    assert database["NAME"] == str(tmp_path / "var" / "kaoping.sqlite3")
    assert (tmp_path / "var").is_dir()
