"""Settings shared by every environment, read from environment variables.

| variable          | meaning                                              | default                     |
|-------------------|------------------------------------------------------|-----------------------------|
| DATABASE_URL      | database, e.g. postgres://user:pw@host:5432/kaoping  | SQLite in KAOPING_VAR_DIR   |
| KAOPING_VAR_DIR   | folder for the SQLite database and other local data  | <repository>/var            |
| SECRET_KEY        | Django's signing key                                 | (none)                      |
| DEBUG             | 1/true/yes/on or 0/false/no/off                      | off                         |
| ALLOWED_HOSTS     | comma-separated host names                           | (none)                      |
| CSRF_TRUSTED_ORIGINS | comma-separated origins, e.g. https://kp.example.com | (none)                   |
| TIME_ZONE         | the company's local time zone                        | Asia/Shanghai               |
| CONN_MAX_AGE      | seconds a database connection is kept open           | 60                          |
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# kaoping/config/settings/base.py -> kaoping/ (the package) -> the repository root, when the
# package is installed in editable mode; a regular install should set KAOPING_VAR_DIR.
PACKAGE_DIR = Path(__file__).resolve().parents[2]
BASE_DIR = PACKAGE_DIR.parent

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable; refuse anything that is neither."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value (use 1/0, true/false).")


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Read a comma-separated environment variable as a list, dropping empty items."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


VAR_DIR = Path(os.environ.get("KAOPING_VAR_DIR") or BASE_DIR / "var")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "kaoping.audit",
    "kaoping.org",
    "kaoping.policies",
    "kaoping.periods",
    "kaoping.inspections",
    "kaoping.operations",
    "kaoping.appraisals",
    "kaoping.appeals",
    "kaoping.sheets",
    "kaoping.web",
    "kaoping.demo",
    "kaoping.api",
]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files first, before sessions and sign-in: WhiteNoise answers them on its own.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless its view is marked @login_not_required (sign-in,
    # the language switch, /healthz): Django's LoginRequiredMiddleware, htmx-aware.
    "kaoping.web.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kaoping.audit.context.AuditOriginMiddleware",
]

ROOT_URLCONF = "kaoping.config.urls"
WSGI_APPLICATION = "kaoping.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kaoping.web.context_processors.layout",
            ],
        },
    },
]


def _default_database_url() -> str:
    # SQLite does not create missing folders, so make the var folder on first use. A read-only
    # install fails later, with Django's own error naming the database file.
    with contextlib.suppress(OSError):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'kaoping.sqlite3'}"


DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_database_url(),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    ),
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The same backend, aware of the linked SQLite's real parameter limit (kaoping/db/sqlite3).
    DATABASES["default"]["ENGINE"] = "kaoping.db.sqlite3"
    # The findings' scoring index INCLUDEs columns for PostgreSQL's index-only scans; SQLite
    # builds it on its key columns alone, which is what SQLite reads it by (models.W040 says so).
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, reading `json` columns as it reads `jsonb` (kaoping/db/postgresql).
    DATABASES["default"]["ENGINE"] = "kaoping.db.postgresql"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first: Simplified is the default, Traditional and English are offered. Language names
# are written in their own language, as a language switcher shows them.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# The chosen language outlives the session (a shared phone at the front desk keeps its language).
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Aware datetimes, stored in UTC; shown in the company's zone.
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
# WhiteNoise serves static files (no CDN, no separate web server needed). Plain storage here;
# production.py uses hashed, compressed files made by collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Sign-in (登录): Django's views with our templates; every other page requires it.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

# Uploaded evidence (finding photos) goes through Django's storage API; local files by default.
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or VAR_DIR / "media")
# The largest photo accepted as evidence, in bytes.
KAOPING_MAX_PHOTO_BYTES = int(os.environ.get("KAOPING_MAX_PHOTO_BYTES", str(8 * 1024 * 1024)))
# Sheet imports (kaoping/sheets, the web upload, `kaoping import`, POST /api/imports/): the largest
# file in bytes, the most data rows, and how far an .xlsx (a zip) may inflate in bytes.
KAOPING_MAX_IMPORT_BYTES = int(os.environ.get("KAOPING_MAX_IMPORT_BYTES", str(10 * 1024 * 1024)))
KAOPING_MAX_IMPORT_ROWS = int(os.environ.get("KAOPING_MAX_IMPORT_ROWS", "50000"))
KAOPING_MAX_IMPORT_UNCOMPRESSED_BYTES = int(
    os.environ.get("KAOPING_MAX_IMPORT_UNCOMPRESSED_BYTES", str(100 * 1024 * 1024))
)

# The REST API (kaoping/api): token or session sign-in, every list paginated and filterable,
# request rates per user and per address. Rates are "N/second|minute|hour|day".
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "kaoping.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "kaoping.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "kaoping.api.throttling.AnonThrottle",
        "kaoping.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("KAOPING_API_ANON_RATE", "60/minute"),
        "user": os.environ.get("KAOPING_API_USER_RATE", "1200/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "kaoping.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# The OpenAPI 3 schema at /api/schema/ and Swagger UI at /api/docs/, its assets served locally.
SPECTACULAR_SETTINGS = {
    "TITLE": "考评 Kaoping API",
    "DESCRIPTION": (
        "考评系统接口:组织、检查与违规、运营数据、考评期间、考核、申诉。"
        "认证:`Authorization: Token <令牌>`(`kaoping token create 用户名`)。"
        "只返回您有权查看的记录;范围外的记录为 404。"
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name ("kind", "status", "level") get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "kaoping.org.models.OrgUnit.Kind",
        "InspectionKindEnum": "kaoping.inspections.models.InspectionKind",
        "IncidentKindEnum": "kaoping.operations.models.Incident.Kind",
        "WorkOrderKindEnum": "kaoping.operations.models.WorkOrder.Kind",
        "WorkPointKindEnum": "kaoping.operations.models.WorkPointEntry.Kind",
        "PeriodKindEnum": "kaoping.periods.models.Period.Kind",
        "ScoreEntryKindEnum": "kaoping.appraisals.models.ScoreEntry.Kind",
        "AppealStepKindEnum": "kaoping.appeals.models.AppealStep.Kind",
        "FindingStatusEnum": "kaoping.inspections.models.Finding.Status",
        "CorrectiveActionStatusEnum": "kaoping.inspections.models.CorrectiveAction.Status",
        "PeriodStatusEnum": "kaoping.periods.models.Period.Status",
        "AppraisalStatusEnum": "kaoping.appraisals.models.Appraisal.Status",
        "AppealStatusEnum": "kaoping.appeals.models.Appeal.Status",
        "AppealLevelEnum": "kaoping.appeals.models.Level",
        "SatisfactionLevelEnum": "kaoping.operations.models.SurveyLevel",
        "DecisionOutcomeEnum": "kaoping.appeals.api.serializers.DECISIONS",
        "BulkRowStatusEnum": "kaoping.api.bulk.ROW_STATUSES",
        # The roles (kaoping.org.models.Role): an inspection plan's responsible role and a role
        # assignment's role share the name the schema first gave them.
        "ResponsibleRoleEnum": "kaoping.org.models.Role",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "kaoping.api.schema.add_error_responses",
    ],
}

# The web lists' 导出 Excel (kaoping/web/views/records.py): the most rows one export writes; a
# longer filtered list is refused with the count and asks for narrower filters.
KAOPING_MAX_EXPORT_ROWS = int(os.environ.get("KAOPING_MAX_EXPORT_ROWS", "100000"))

# Processes that load and score a large close (kaoping/appraisals/batch.py); 0: one per core.
KAOPING_SCORING_WORKERS = int(os.environ.get("KAOPING_SCORING_WORKERS", "0"))
