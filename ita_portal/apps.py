from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ita_portal"
    verbose_name = "พอร์ทัล ITA"

    def ready(self):
        from ita_portal import checks  # noqa: F401  registers the deploy checks
