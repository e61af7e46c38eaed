from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Rate limits are tested on purpose where they matter; elsewhere one client signs in many times.
ACCOUNT_RATE_LIMITS = False

# Static files come from the finders here (runserver and the live test server serve them).
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]  # noqa: F405

# The browser tests' server process (a real Daphne) writes mail to files the test reads, and serves static files.
if os.environ.get("TEST_EMAIL_DIR"):  # noqa: F405
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["TEST_EMAIL_DIR"]  # noqa: F405
if os.environ.get("TEST_SERVE_STATIC"):  # noqa: F405
    MIDDLEWARE = ["whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE]
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
# Server processes started by tests share Redis with other runs: their keys get a run's own prefix.
if os.environ.get("TEST_CACHE_PREFIX"):  # noqa: F405
    for _cache in CACHES.values():  # noqa: F405
        _cache["KEY_PREFIX"] = os.environ["TEST_CACHE_PREFIX"]  # noqa: F405

# The test client's origin, and the test servers on this machine (they run on random ports).
CHAT_ALLOWED_ORIGINS = ["http://testserver", "http://127.0.0.1:*", "http://localhost:*"]

# The new-member hold is off by default here so that a fresh test member publishes at once; the hold's own
# tests turn it on with the `settings` fixture.
MODERATION_NEW_MEMBER_HOLD_POSTS = 0
