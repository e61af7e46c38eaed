"""Settings shared by every environment.

Embedded defaults (SQLite, in-memory channel layer, local-memory cache) run the whole site in one process;
DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis for several processes.
"""

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from community.headers import static_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-secret-key-not-for-production")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    # daphne must stand before staticfiles, or runserver serves no WebSockets.
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Only the Wagtail apps the resource pages use: no embeds (they would fetch from other hosts), no form pages,
    # no redirects. wagtail.images stays while members/admin.py imports its model.
    "wagtail.contrib.routable_page",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "csp",
    "django_htmx",
    "channels",
    "django_tasks",
    "audit",
    "members",
    "notifications",
    "moderation",
    "forum",
    "chat",
    "resources",
    "connections",
    "community",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "community.middleware.PrivacyHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "community.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "community.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "community.middleware.AdminCspMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "community.middleware.MembersOnlyMiddleware",
]

ROOT_URLCONF = "community.urls"
WSGI_APPLICATION = "community.wsgi.application"
ASGI_APPLICATION = "community.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "community.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # ChannelsLiveServerTestCase on PostgreSQL needs an explicit test database name (channels #2176).
    DATABASES["default"].setdefault("TEST", {})["NAME"] = "test_" + (DATABASES["default"]["NAME"] or "community")
    # Connections come from one bounded pool per process. Persistent connections (CONN_MAX_AGE) are kept per
    # thread, and under Daphne each request runs on a thread of its own, so they piled up (32 after 300 pages).
    # Django refuses a pool together with CONN_MAX_AGE, so the old DB_CONN_MAX_AGE variable no longer applies.
    # DB_POOL_MAX_SIZE=0 turns the pool off (for a server behind PgBouncer): then one connection per request.
    _pool_max = int(os.environ.get("DB_POOL_MAX_SIZE", "10"))
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A pooled connection is checked before it is handed out, so a restarted server costs no failed request.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # A server that does not answer must fail a request within seconds, not hang it (and /healthz must
            # say 503 rather than time out): bounded connecting, waiting for a pooled connection, statements,
            # and sent data that the network never acknowledges (a black-holed server).
            "connect_timeout": int(os.environ.get("DB_CONNECT_TIMEOUT", "3")),
            "options": f"-c statement_timeout={int(os.environ.get('DB_STATEMENT_TIMEOUT_MS', '20000'))}",
            "tcp_user_timeout": 10_000,
            "keepalives_idle": 30,
            **({"pool": {"min_size": 1, "max_size": _pool_max, "timeout": 5}} if _pool_max else {}),
        }
    )
else:
    # SQLite used as a server would use it. WAL lets pages read while a post is written; "timeout" is the busy
    # timeout; IMMEDIATE makes every transaction take the write lock when it begins, so that two writers queue
    # instead of one failing with "database is locked" when its read upgrades to a write (SQLite has no
    # SELECT ... FOR UPDATE, so the forum's row locks are no-ops here and this is what serialises posting).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
    # Kept open between uses (SQLite has no server, so nothing piles up on the other side). Chat sockets do all
    # their database work on one shared thread, which opened and closed the file around every message and every
    # connect: 15% of the server's CPU per message (docs/PERFORMANCE.md, Chat). An HTTP request runs on a thread
    # of its own that ends with it, and its connection closes with the thread, so pages neither gain nor pile up.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "600"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "members.User"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Two deployments may share one Redis server. Pub/sub channel names are global to the server (a database number
# does not separate them), so every channel-layer name and cache key carries this prefix. By default it is
# derived from the database, so that deployments with different databases stay apart without configuration.
COMMUNITY_DEPLOYMENT_PREFIX = os.environ.get("COMMUNITY_DEPLOYMENT_PREFIX") or (
    "c"
    + hashlib.sha256(
        "|".join(str(DATABASES["default"].get(k) or "") for k in ("ENGINE", "HOST", "PORT", "NAME")).encode()
    ).hexdigest()[:10]
)
# Each chat socket is told its room's latest seq this often, so that a page which missed a broadcast (a Redis
# reset drops what is published meanwhile) catches up within seconds rather than at the next message.
CHAT_HEARTBEAT_SECONDS = float(os.environ.get("CHAT_HEARTBEAT_SECONDS", "25"))
if REDIS_URL:
    # Named connections (CLIENT LIST shows whose they are) that give up on an unreachable server within seconds.
    _redis_options = {"socket_connect_timeout": 3, "socket_timeout": 5}
    CACHES = {
        "default": {
            "BACKEND": "community.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": COMMUNITY_DEPLOYMENT_PREFIX,
            "OPTIONS": {**_redis_options, "client_name": f"{COMMUNITY_DEPLOYMENT_PREFIX}-cache"},
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [
                    {"address": REDIS_URL, **_redis_options, "client_name": f"{COMMUNITY_DEPLOYMENT_PREFIX}-chat"}
                ],
                "prefix": f"{COMMUNITY_DEPLOYMENT_PREFIX}.asgi",
            },
        }
    }
else:
    # Flood counters, socket counts and presence live here: the default 300 entries would evict them early.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10000}}
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Pages that may open a chat socket: "scheme://host[:port]", port "*" for any (community/origins.py).
# Unset: CSRF_TRUSTED_ORIGINS, which production fills with the https origin of every allowed host.
CHAT_ALLOWED_ORIGINS = [o.strip() for o in os.environ.get("CHAT_ALLOWED_ORIGINS", "").split(",") if o.strip()] or None

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after two weeks without a visit (IdleSessionMiddleware refreshes the expiry once a day).
SESSION_COOKIE_AGE = int(timedelta(days=14).total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise answers for static files before our header middleware runs; this adds the same privacy headers.
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# --- django-allauth -------------------------------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
# Confirming the address signs the newcomer in, but only in the browser that signed up (allauth checks the pending
# sign-up in the session, so a leaked link opens nothing). The adapter then sends an applicant who still awaits
# approval to their status page, and an approved member home.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Tell the member when their password, email address or two-factor set-up changes (and what to do if it was not
# them). Like every account email (templates/account/email/, templates/mfa/email/) the notices are discreet: no
# address, device, IP or host name in the words; subjects begin with COMMUNITY_NAME (the adapter's
# format_email_subject, so ACCOUNT_EMAIL_SUBJECT_PREFIX is not used).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_ADAPTER = "members.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "members.forms.SignupForm"}
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins: 10 a minute from one client address, and 5 in 5 minutes for one account *from one client*
    # (members.adapter puts the client address into the key). allauth's default counts the account alone, which
    # let anyone who knows an email lock its owner out; now the owner still gets in from their own device.
    # The sign-in page (templates/account/login.html) says what happens after too many tries.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# The name shown in a member's authenticator app: the community's own, never the clinic's.
MFA_TOTP_ISSUER = os.environ.get("COMMUNITY_NAME", "Alumni Circle")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
# Sessions are listed with their sign-in time and device; tracking "last seen" would write on every request.
USERSESSIONS_TRACK_ACTIVITY = False

# --- the community --------------------------------------------------------------------------------
# "invitation": sign-up needs a staff invitation code; "approval": sign-ups wait in the staff queue.
COMMUNITY_SIGNUP_MODE = os.environ.get("COMMUNITY_SIGNUP_MODE", "invitation")
COMMUNITY_INVITATION_DAYS = 14
# Moderators and staff must have MFA before a privileged page opens. Only dev relaxes it (said on screen).
COMMUNITY_REQUIRE_MFA_FOR_PRIVILEGED = True
COMMUNITY_GUIDELINES_VERSION = "2026-11"
COMMUNITY_PRIVACY_VERSION = "2026-11"
COMMUNITY_NAME = os.environ.get("COMMUNITY_NAME", "Alumni Circle")
# Who is emailed (discreetly: a link, no text or names) when an urgent review item opens: crisis language, or a
# report that someone may be in crisis. Comma-separated addresses.
COMMUNITY_ONCALL_EMAILS = [e.strip() for e in os.environ.get("COMMUNITY_ONCALL_EMAILS", "").split(",") if e.strip()]

# --- moderation ---------------------------------------------------------------------------------------
# Reports one member may send per hour (more are refused kindly).
MODERATION_REPORTS_PER_HOUR = int(os.environ.get("MODERATION_REPORTS_PER_HOUR", "10"))
# Reports from this many members, each approved at least MODERATION_AUTO_HIDE_TENURE_DAYS ago, hide the content
# until a moderator looks.
MODERATION_AUTO_HIDE_REPORTS = int(os.environ.get("MODERATION_AUTO_HIDE_REPORTS", "3"))
MODERATION_AUTO_HIDE_TENURE_DAYS = int(os.environ.get("MODERATION_AUTO_HIDE_TENURE_DAYS", "7"))
# A new member's first forum posts wait for a moderator's approval (0: publish at once).
MODERATION_NEW_MEMBER_HOLD_POSTS = int(os.environ.get("MODERATION_NEW_MEMBER_HOLD_POSTS", "2"))
# Crisis language is published (the writer sees help at once, staff are alerted); "1" holds it for review too.
MODERATION_HOLD_CRISIS = os.environ.get("MODERATION_HOLD_CRISIS", "") == "1"

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "community@localhost")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Background tasks (django-tasks, the backport of Django 6's django.tasks): emails leave the request through
# them. Here they run at once in the same process (after the request's commit), which suits development and
# tests; production stores them in the database for a separate `manage.py db_worker` process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- Wagtail --------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Alumni Circle resources"
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = SITE_URL
# English stemming, so that "routine" finds "routines": PostgreSQL's "english" text search configuration; on
# SQLite the FTS5 table uses the porter tokenizer (forum migration 0003_search_porter_tokenizer).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "english"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatars fetched from another host
WAGTAIL_USAGE_COUNT_ENABLED = False
# One way to sign in: allauth's, with its rate limits and MFA stage. Wagtail's and the Django admin's own login,
# password and page-password views are redirected there (community/urls.py); these settings make Wagtail link
# to allauth and stop offering passwords of its own.
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
# A shared page or collection password is a secret outside allauth (no rate limit, no MFA): not offered.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"SHARED_PASSWORD": False}
WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS = {"SHARED_PASSWORD": False}

# --- Security headers -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
