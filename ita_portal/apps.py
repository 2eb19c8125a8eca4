from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ita_portal"
    verbose_name = "พอร์ทัล ITA"
