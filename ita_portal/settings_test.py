"""Test settings: the real settings with a fixed key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# Tasks run inside the test that enqueues them; the worker tests start workers with 0.
os.environ.setdefault("TASKS_IMMEDIATE", "1")

from ita_portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
STATIC_ROOT = None  # tests never collect static files; WhiteNoise then skips the missing folder
AXES_ENABLED = False  # tests log in with force_login; tests/test_login_abuse.py turns it on
# Pages are measured uncached (query-count tests); tests/portal/test_public_cache.py switches the
# database cache on where it checks caching and its invalidation.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
