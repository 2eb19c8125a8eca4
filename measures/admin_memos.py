"""Admin of memos: the signature chain inline, the status history read-only.

Status and number change only through measures.memo_workflow (the staff pages), so the admin
shows them read-only; the central team corrects texts and signers here.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from measures.models import Memo, MemoNumberCounter, MemoSignature, MemoTransition


class MemoSignatureInline(admin.StackedInline):
    model = MemoSignature
    extra = 0
    fields = ["order", "endorsement", "remark", "name", "position"]


class MemoTransitionInline(admin.TabularInline):
    model = MemoTransition
    extra = 0
    can_delete = False
    fields = ["at", "by", "from_status", "to_status", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Memo)
class MemoAdmin(SimpleHistoryAdmin):
    list_display = ["subject", "unit", "fiscal_year", "kind", "status", "number", "number_year"]
    list_filter = ["status", "kind", "fiscal_year", "cover"]
    search_fields = ["subject", "unit__name", "addressee"]
    list_select_related = ["unit", "fiscal_year"]
    raw_id_fields = ["unit", "division", "assessment", "created_by"]
    readonly_fields = ["status", "number_prefix", "number_year", "number", "version"]
    inlines = [MemoSignatureInline, MemoTransitionInline]


@admin.register(MemoNumberCounter)
class MemoNumberCounterAdmin(admin.ModelAdmin):
    """The running-number counters, for reading only: numbers are given on approval."""

    list_display = ["prefix", "year", "last_number"]
    readonly_fields = ["prefix", "year", "last_number"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
