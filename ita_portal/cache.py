"""Caching of the public pages and open data, retired the moment anything is published or withdrawn.

A cached response's key holds the publication token (assessments.PublicationVersion), read with
one query per request. Publishing or withdrawing an assessment (assessments.publishing) or a memo
(measures.memo_workflow) gives the token a new value inside the same transaction, so every gunicorn
worker and every app server stops using the old entries at that commit, without sharing any
memory: invalidation lives in the database, the lower layers trigger it without importing the
portal. The entries live in the default cache (settings.CACHES: the database cache, shared by
every worker and server) and also expire after its TIMEOUT, which bounds how long a later edit of
already-published scores or measures (which leaves the token alone) takes to show.

Pages (``public_page``) are cached for anonymous visitors only, and not while a message waits to
be shown: base.html shows the signed-in user and a logout form with a CSRF token. Open-data files
(``public_file``) are the same for everyone. Only complete 200 responses to GET and HEAD are kept.
Published memos' PDFs (``published_content``) are kept the same way for everyone: each render
costs WeasyPrint about a second and memory it does not give back (bench/notes.md).
With a DummyCache (CACHES switched off) the views run as they are, without reading the token.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.http import HttpResponse

from assessments.models import PublicationVersion

CACHE_ALIAS = "default"
KEY_PREFIX = "public-page"
KEPT_HEADERS = ("Content-Disposition",)
STATUS_HEADER = "X-Public-Cache"


def _cache():
    cache = caches[CACHE_ALIAS]
    return None if isinstance(cache, DummyCache) else cache


def page_key(request, token: str) -> str:
    """The cache key of this request's response under publication ``token``."""
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"{KEY_PREFIX}:{token}:{address}"


def _may_share(request, *, personal: bool) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if not personal:
        return True
    if request.user.is_authenticated:
        return False
    return len(messages.get_messages(request)) == 0  # counting does not mark them as shown


def _stored(request, response) -> dict | None:
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return None  # the page holds a CSRF token of this visitor
    return {
        "content": response.content,
        "content_type": response["Content-Type"],
        "headers": {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
    }


def _restored(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], content_type=entry["content_type"])
    for name, value in entry["headers"].items():
        response[name] = value
    return response


def _cached(view, *, personal: bool):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        cache = _cache()
        if cache is None or not _may_share(request, personal=personal):
            return view(request, *args, **kwargs)
        key = page_key(request, PublicationVersion.current())
        entry = cache.get(key)
        if entry is not None:
            response = _restored(entry)
            response[STATUS_HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        stored = _stored(request, response)
        if stored is not None:
            cache.set(key, stored)
            response[STATUS_HEADER] = "miss"
        return response

    return wrapper


def public_page(view):
    """Cache an HTML page of the public site for anonymous visitors (see the module docstring)."""
    return _cached(view, personal=True)


def public_file(view):
    """Cache an open-data file, the same for every visitor."""
    return _cached(view, personal=False)


def published_content(name: str, make: Callable[[], bytes]) -> bytes:
    """Bytes made from published data only (``name`` says which), kept until the next
    publication change; ``make`` runs on a miss or when caching is switched off."""
    cache = _cache()
    if cache is None:
        return make()
    key = f"{KEY_PREFIX}:{PublicationVersion.current()}:{name}"
    content = cache.get(key)
    if content is None:
        content = make()
        cache.set(key, content)
    return content
