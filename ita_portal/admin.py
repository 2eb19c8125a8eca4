"""Admin of the portal-wide settings: the Garuda emblem, uploaded once by the central team."""

from django.contrib import admin
from django.shortcuts import redirect

from ita_portal.models import PortalSettings


@admin.register(PortalSettings)
class PortalSettingsAdmin(admin.ModelAdmin):
    """One row only: the list opens it directly; it can be neither added twice nor deleted."""

    fields = ["emblem", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request):
        return not PortalSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings_row = PortalSettings.load()
        return redirect("admin:ita_portal_portalsettings_change", settings_row.pk)
