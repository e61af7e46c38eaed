from .base import *  # noqa: F403

DEBUG = True
# The demo signs moderators and staff in without an authenticator app; the header says so on screen.
COMMUNITY_REQUIRE_MFA_FOR_PRIVILEGED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Static files come from the finders here (runserver and the live test server serve them).
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405

# Daphne's runserver logs each request on its own logger; without this the root handler prints it a second time.
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {"django.channels.server": {"level": "INFO", "propagate": False, "handlers": ["console"]}},
}

# runserver on any port of this machine may open chat sockets; nothing else.
CHAT_ALLOWED_ORIGINS = CHAT_ALLOWED_ORIGINS or ["http://127.0.0.1:*", "http://localhost:*"]  # noqa: F405
