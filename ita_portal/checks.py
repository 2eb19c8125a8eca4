"""Deployment checks of the portal's own settings (run by ``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_client_address_behind_proxy(app_configs, **kwargs):
    """Behind a TLS proxy without TRUSTED_PROXY_COUNT every client has the proxy's address."""
    if settings.SECURE_PROXY_SSL_HEADER and settings.TRUSTED_PROXY_COUNT == 0:
        return [
            Warning(
                "Behind a TLS proxy with TRUSTED_PROXY_COUNT=0, every login has the proxy's "
                "address, so a locked user name is locked for everyone.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies that append to "
                "X-Forwarded-For (nginx alone: 1).",
                id="ita_portal.W001",
            )
        ]
    return []
