"""Settings of the Django reference project of the parity check.

Read from the environment exactly like tests/src/bin/drf_parity.rs:
DATABASE_URL, SECRET_KEY, PBKDF2_ITERATIONS, CSRF_TRUSTED_ORIGINS, SECURE_PROXY_SSL_HEADER,
SIMPLE_JWT, REST_AUTH, OAUTH2_PROVIDER.
"""
import json
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name):
    value = os.environ.get(name)
    return value if value else None


def database_from_url(url):
    """`sqlite:///abs/path?mode=rwc`, `sqlite://relative.db?mode=rwc`, `postgres://user:pw@host:port/db`,
    `mysql://user:pw@host:port/db`."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlx style: everything after `sqlite://` up to `?` is the path.
        rest = url.split("://", 1)[1] if "://" in url else url.split(":", 1)[1]
        path = unquote(rest.split("?", 1)[0])
        if path in ("", ":memory:"):
            raise ValueError("DATABASE_URL: in-memory SQLite cannot be shared with the Rust server")
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path}
    if scheme in ("postgres", "postgresql"):
        options = {}
        query = parse_qs(parts.query)
        if "sslmode" in query:
            options["sslmode"] = query["sslmode"][-1]
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
        }
    if scheme in ("mysql", "mariadb"):
        # sqlx's `mysql://user:pw@host:port/db`. Django creates no database charset; the server's
        # (utf8mb4 on MariaDB 10.11) applies, and the connection speaks utf8mb4 as sqlx's does.
        return {
            "ENGINE": "django.db.backends.mysql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": {"charset": "utf8mb4"},
        }
    raise ValueError(f"DATABASE_URL: unsupported scheme {parts.scheme!r}")


SECRET_KEY = env("SECRET_KEY") or "parity-insecure-secret-key"
DEBUG = False
# Any Host: the runner's 127.0.0.1:<port> and the oauth2 group's `api.example.com` (the audience of
# the resource-restricted DOT tokens; DOT builds the request's absolute URI from Host).
ALLOWED_HOSTS = ["*"]
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"
USE_I18N = True

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "rest_framework",
    "rest_framework.authtoken",
    "knox",
    # simplejwt's blacklist app: refresh and sliding tokens recorded and checked (the Rust
    # server's default, `SimpleJwtSettings::token_blacklist`).
    "rest_framework_simplejwt.token_blacklist",
    # django-oauth-toolkit: its models (applications, access tokens, ...), its `/o/` endpoints and
    # DRF's OAuth2Authentication + scope permissions (the `oauth2` group; fixtures:
    # `manage.py parity_oauth2`).
    "oauth2_provider",
    # djoser's account views under /auth/ (the `djoser` group) and its email templates.
    "djoser",
    "parity_site",
]

# The spec's §8 reference stack: sessions + authentication. Django's CsrfViewMiddleware is left out on
# purpose: API views are exempt from it anyway, but its process_response would re-issue a `csrftoken`
# cookie after DRF's CSRF check met a malformed one (spec §7.7: session authentication never sends it).
# Django's LoginView at /accounts/login/ is csrf_protect-decorated, so it still sets and checks the cookie.
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "parity_site.urls"
WSGI_APPLICATION = "parity_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env("DATABASE_URL") or "sqlite://parity.db?mode=rwc")}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

SESSION_ENGINE = "django.contrib.sessions.backends.db"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "django.contrib.auth.backends.RemoteUserBackend",
]

# A PBKDF2PasswordHasher subclass (same algorithm name `pbkdf2_sha256`) with the iteration count of
# PBKDF2_ITERATIONS, like the Rust server's `.pbkdf2_iterations(..)`.
PASSWORD_HASHERS = [
    "parity_site.hashers.ConfiguredPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

if env("CSRF_TRUSTED_ORIGINS"):
    CSRF_TRUSTED_ORIGINS = [o.strip() for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o.strip()]

if env("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + env("SECURE_PROXY_SSL_HEADER").upper().replace("-", "_"), "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "3/min", "burst": "2/min"},
}


def simple_jwt_from_env():
    """SIMPLE_JWT from the environment variable of that name: a JSON object of simplejwt's setting
    names, lifetimes and LEEWAY in seconds (the Rust server reads the same variable with
    `SimpleJwtSettings::from_simple_jwt`). Unset: simplejwt's defaults."""
    import json
    from datetime import timedelta

    raw = env("SIMPLE_JWT")
    if raw is None:
        return {}
    settings = json.loads(raw)
    for name in ("ACCESS_TOKEN_LIFETIME", "REFRESH_TOKEN_LIFETIME", "SLIDING_TOKEN_LIFETIME",
                 "SLIDING_TOKEN_REFRESH_LIFETIME", "LEEWAY"):
        if name in settings:
            settings[name] = timedelta(seconds=settings[name])
    for name in ("AUTH_HEADER_TYPES", "AUTH_TOKEN_CLASSES"):
        if isinstance(settings.get(name), list):
            settings[name] = tuple(settings[name])
    return settings


SIMPLE_JWT = simple_jwt_from_env()

# dj-rest-auth's JWT cookie mode (its JWT_AUTH_* settings): REST_AUTH from the environment variable
# of that name (a JSON object), else these cookie names with dj-rest-auth's defaults otherwise;
# tests/src/bin/drf_parity.rs reads the same.
REST_AUTH = json.loads(env("REST_AUTH") or json.dumps({
    "USE_JWT": True,
    "JWT_AUTH_COOKIE": "jwt-access",
    "JWT_AUTH_REFRESH_COOKIE": "jwt-refresh",
    "JWT_AUTH_REFRESH_COOKIE_PATH": "/dj-rest-auth/",
}))


def oauth2_provider_from_env():
    """OAUTH2_PROVIDER: these base values, then the JSON object of the environment variable of that
    name over them (the Rust server reads the same variable). `COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT`
    is True here, the Rust side's secure default (DOT 3.4's own default is False); a run can set it
    back to False through the variable."""
    settings = {
        "SCOPES": {
            "read": "Read scope",
            "write": "Write scope",
            "introspection": "Introspect tokens",
            "orders:read": "Read orders",
            "orders:write": "Write orders",
            "create": "Create resources",
            "admin": "Administer resources",
        },
        "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    }
    raw = env("OAUTH2_PROVIDER")
    if raw is not None:
        overrides = json.loads(raw)
        if not isinstance(overrides, dict):
            raise ValueError("OAUTH2_PROVIDER: a JSON object is expected")
        settings.update(overrides)
    return settings


OAUTH2_PROVIDER = oauth2_provider_from_env()

# What `startproject` writes, and the Rust server's default: the validators djoser runs on a new
# password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# djoser's defaults plus the parity contract's two link templates; emails written one file per
# connection under PARITY_MAIL_DIR (Django's file backend), where the parity suite reads them.
DJOSER = {
    "ACTIVATION_URL": "activate/{uid}/{token}",
    "PASSWORD_RESET_CONFIRM_URL": "password/reset/confirm/{uid}/{token}",
    "USERNAME_RESET_CONFIRM_URL": "username/reset/confirm/{uid}/{token}",
    # More of djoser's names from the environment (the parity suite's second djoser run).
    **json.loads(env("DJOSER") or "{}"),
}
if env("PARITY_MAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env("PARITY_MAIL_DIR")
else:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# django-allauth 65.21.1 (PARITY_ALLAUTH set: the parity suite's `allauth` run, and the Rust
# server's `REST_AUTH` `ALLAUTH`): dj-rest-auth's password reset then goes through allauth's form
# (base36 uids, its email-aware token, its emails), its login through allauth's login methods
# (username only, allauth's default). Email verification "optional", as the parity contract says.
# Without it, dj-rest-auth's reset uses Django's PasswordResetForm, whose email template is
# `django.contrib.admin`'s (copied, unchanged, into this project's templates/registration/).
PARITY_ALLAUTH = bool(env("PARITY_ALLAUTH"))
if PARITY_ALLAUTH:
    # socialaccount and dj_rest_auth.registration: dj-rest-auth's registration views import them.
    INSTALLED_APPS += ["allauth", "allauth.account", "allauth.socialaccount", "dj_rest_auth.registration"]
    MIDDLEWARE += ["allauth.account.middleware.AccountMiddleware"]
    ACCOUNT_EMAIL_VERIFICATION = "optional"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
