"""Admin of memos: the signature chain inline, the status history read-only.

Status and number change only through measures.memo_workflow (the staff pages), so the admin
shows them read-only; the central team corrects texts and signers here. Those corrections reach an
approved memo only through a new revision (return it for revision and approve it again): the
stored revisions are listed read-only.
"""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import StateChange
from measures.models import (
    Memo,
    MemoNumberCounter,
    MemoRevision,
    MemoSignature,
    MemoTemplate,
    Signatory,
)
from portal_core.form_fields import BE_DATE_OVERRIDES


class MemoSignatureInline(admin.StackedInline):
    model = MemoSignature
    extra = 0
    fields = ["order", "endorsement", "remark", "name", "position"]


class ReadOnly:
    """Rows the workflow writes: shown, never added, changed or deleted here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StateChangeInline(ReadOnly, GenericTabularInline):
    """The object's recorded state changes (assessments.StateChange), oldest first."""

    model = StateChange
    fields = ["at", "by", "source", "target", "comment"]

    @admin.display(description="จากสถานะ")
    def source(self, change: StateChange) -> str:
        return change.from_label

    @admin.display(description="เป็นสถานะ")
    def target(self, change: StateChange) -> str:
        return change.to_label


class MemoRevisionInline(ReadOnly, admin.TabularInline):
    """The stored revisions: made at approval, never changed."""

    model = MemoRevision
    fields = ["number", "created_at", "created_by", "code", "sha256", "reason"]


@admin.register(Memo)
class MemoAdmin(SimpleHistoryAdmin):
    formfield_overrides = BE_DATE_OVERRIDES
    list_display = ["subject", "unit", "fiscal_year", "kind", "status", "number", "number_year"]
    list_filter = ["status", "kind", "fiscal_year", "cover"]
    search_fields = ["subject", "unit__name", "addressee"]
    list_select_related = ["unit", "fiscal_year"]
    raw_id_fields = ["unit", "division", "assessment", "created_by"]
    readonly_fields = ["status", "number_prefix", "number_year", "number", "version"]
    inlines = [MemoSignatureInline, StateChangeInline, MemoRevisionInline]


@admin.register(MemoNumberCounter)
class MemoNumberCounterAdmin(admin.ModelAdmin):
    """The running-number counters, for reading only: numbers are given on approval."""

    list_display = ["prefix", "year", "last_number"]
    readonly_fields = ["prefix", "year", "last_number"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MemoTemplate)
class MemoTemplateAdmin(admin.ModelAdmin):
    """The wording a unit's first memo of each kind starts from (the central team edits it)."""

    list_display = ["kind", "subject"]


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    """Each unit's signatory list (staff keep it on their own page)."""

    list_display = ["name", "unit", "order"]
    list_filter = ["unit"]
    search_fields = ["name", "position", "unit__name"]
    list_select_related = ["unit"]
