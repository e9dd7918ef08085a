"""Settings: zero-setup SQLite by default; production values come from the environment."""
import datetime as dt
import os
from pathlib import Path

import dj_database_url

from servicehall.core.secret_key import secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", False)
# DJANGO_SECURE=1 marks a production deployment: HTTPS-only cookies, HSTS, and a real secret key.
SECURE = env_bool("DJANGO_SECURE", False)
# No key, no start: only the demo (SERVICEHALL_DEMO=1, set by `make demo`) generates and keeps a local one.
SECRET_KEY = secret_key(os.environ, base_dir=BASE_DIR, secure=SECURE)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

if SECURE:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    # The reverse proxy terminates TLS and says so in this header; set it only behind such a proxy.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz is probed over plain HTTP by the proxy or the orchestrator.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_AGE", str(12 * 3600)))  # one working day

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "servicehall.staticfiles.VendorAwareStaticFilesConfig",
    "django_htmx",
    "ninja",  # serves the API docs page (Swagger UI) from static files, not from a CDN the halls may not reach
    "django_tasks",
    "django_tasks_db",
    "axes",  # sign-in throttling: servicehall.core.signin
    "servicehall.core",
    "servicehall.org",
    "servicehall.catalogue",
    "servicehall.queueing",
    "servicehall.cases",
    "servicehall.inspections",
    "servicehall.onsite",
    "servicehall.notices",
    "servicehall.waits",
    "servicehall.hallinfo",
    "servicehall.video",
    "servicehall.emergencies",
    "servicehall.workorders",
    "servicehall.assessment",
    "servicehall.registers",
    "servicehall.guidance",
    "servicehall.training",
    "servicehall.recognition",
    "servicehall.standards",
    "servicehall.stars",
    "servicehall.evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "servicehall.core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "servicehall.core.middleware.ApiErrorShapeMiddleware",
    "servicehall.core.middleware.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "servicehall.core.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "servicehall.org.tenancy.CurrentHallMiddleware",
    "servicehall.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a locked-out sign-in into its refusal
]

# Benchmarks only: bench_api starts its server with this set to count the statements of every request.
if env_bool("SERVICEHALL_COUNT_STATEMENTS", False):
    MIDDLEWARE.insert(0, "servicehall.core.middleware.StatementCountMiddleware")

ROOT_URLCONF = "servicehall.urls"
ASGI_APPLICATION = "servicehall.asgi.application"
WSGI_APPLICATION = "servicehall.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "servicehall" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "servicehall.core.context_processors.shell",
                "servicehall.org.context_processors.tenancy",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'servicehall.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + IMMEDIATE lets the ASGI server, the sweeper and the simulator share one file safely.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    # PostgreSQL: parameters bound by the server, and a statement a connection has sent twice is prepared the third time
    # (parsed and planned once per connection): PostgreSQL's CPU per queue operation 3.1 → 1.9 ms
    # (bench_api, issue #12). Off with DJANGO_DB_PREPARED=0 behind a pooler that cannot keep them.
    if env_bool("DJANGO_DB_PREPARED", True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=2)
    if env_bool("DJANGO_DB_POOL", False):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 2,
            "max_size": int(os.environ.get("DJANGO_DB_POOL_MAX", "20")),
        }

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Sign-in throttling (servicehall.core.signin): failures per account and, higher since a hall shares one
# address behind NAT, per client address; locked for the cool-off time or until an administrator unlocks.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_SIGNIN_FAILURES", "5"))
SIGNIN_FAILURES_PER_ADDRESS = int(os.environ.get("DJANGO_SIGNIN_FAILURES_PER_ADDRESS", "30"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("DJANGO_SIGNIN_LOCK_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "servicehall.core.signin.SignInThrottle"
AXES_LOCKOUT_CALLABLE = "servicehall.core.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "servicehall.core.signin.client_address"
AXES_RESET_ON_SUCCESS = False  # a success would also clear the address's count: one valid account must not reset it
AXES_VERBOSE = False
# axes' own admin pages would be the only English ones; administrators unlock from the user list (解除登录锁定,
# audited) or with `manage.py axes_reset_username` / `axes_reset_ip`.
AXES_ENABLE_ADMIN = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end libraries come from npm at setup time and are collected, never committed.
STATICFILES_DIRS = [
    (prefix, NODE_MODULES / path)
    for prefix, path in [
        ("vendor/htmx", "htmx.org/dist"),
        ("vendor/htmx-sse", "htmx-ext-sse/dist"),
        ("vendor/tabler", "@tabler/core/dist"),
        ("vendor/echarts", "echarts/dist"),
    ]
    if (NODE_MODULES / path).is_dir()
] + [BASE_DIR / "servicehall" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

# Public base URL used in QR codes printed on tickets and notices.
SERVICEHALL_PUBLIC_URL = os.environ.get("SERVICEHALL_PUBLIC_URL", "http://127.0.0.1:8000")

# Notices (R-N1): the sender per channel; the default writes to the log and sends nothing.
SERVICEHALL_NOTICE_BACKENDS = {
    "sms": os.environ.get("SERVICEHALL_SMS_BACKEND", "servicehall.notices.backends.LogSender"),
    "email": os.environ.get("SERVICEHALL_EMAIL_BACKEND", "servicehall.notices.backends.LogSender"),
}
