"""Fixtures of the portal tests."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ita_cache",
    }
}


@pytest.fixture
def public_cache(db, settings):
    """The public pages cached as in production (the database cache), empty at the start."""
    settings.CACHES = DATABASE_CACHE
    call_command("createcachetable", verbosity=0)
    cache.clear()
    yield cache
    cache.clear()
