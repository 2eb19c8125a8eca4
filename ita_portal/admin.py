"""Admin of the portal-wide settings: the Garuda emblem, uploaded once by the central team."""

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import redirect

from ita_portal.models import (
    PortalSettings,
    ReminderPreference,
    WorkerHeartbeat,
    validate_emblem_image,
)


class PortalSettingsForm(forms.ModelForm):
    """The settings row; a newly uploaded emblem is checked by its content (PNG/JPEG, 2 MB)."""

    class Meta:
        model = PortalSettings
        fields = ["emblem"]
        error_messages = {
            "emblem": {"invalid_image": "ไฟล์ตราครุฑต้องเป็นภาพ PNG หรือ JPEG ที่เปิดได้"},
        }

    def clean_emblem(self):
        emblem = self.cleaned_data.get("emblem")
        if isinstance(emblem, UploadedFile):
            validate_emblem_image(emblem)
        return emblem


@admin.register(PortalSettings)
class PortalSettingsAdmin(admin.ModelAdmin):
    """One row only: the list opens it directly; it can be neither added twice nor deleted."""

    form = PortalSettingsForm
    fields = ["emblem", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request):
        return not PortalSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings_row = PortalSettings.load()
        return redirect("admin:ita_portal_portalsettings_change", settings_row.pk)


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    """Who has turned the weekly reminder off, and the week each was last sent."""

    list_display = ["user", "weekly_digest", "last_sent_week", "updated_at"]
    list_filter = ["weekly_digest"]
    search_fields = ["user__username", "user__email"]
    readonly_fields = ["last_sent_week", "updated_at"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    """The task workers alive now (their last heartbeat), read-only."""

    list_display = ["worker_id", "host", "beat_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
