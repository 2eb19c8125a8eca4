"""The address of the client that sent a request, as the login lock (django-axes) keys it.

Behind ``TRUSTED_PROXY_COUNT`` proxies that each append the address they received the connection
from to X-Forwarded-For (nginx: ``proxy_add_x_forwarded_for``), REMOTE_ADDR is the innermost
proxy and the client is the entry the outermost trusted proxy appended: the
``TRUSTED_PROXY_COUNT``-th from the right. Entries further left came from the client itself and
can say anything, so they are never read. Without a count the header is ignored altogether,
since any client can send it.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: from X-Forwarded-For behind trusted proxies, else REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if count <= 0 or not hops:
        return remote
    # Fewer entries than proxies: the request skipped the outer ones, and the leftmost entry was
    # still written by a trusted proxy.
    candidate = hops[max(len(hops) - count, 0)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
