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


@pytest.fixture
def results_memo(db):
    """The demo's published results memo of เขตดุสิต (seed 000)."""
    from measures.models import Memo

    return Memo.objects.get(unit__code="dusit", kind=Memo.Kind.RESULTS)


@pytest.fixture
def results_draft(results_memo):
    """The same memo back in draft, as if returned for revision before any was stored."""
    results_memo.status = "draft"
    results_memo.save()
    return results_memo
