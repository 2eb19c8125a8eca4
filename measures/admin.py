"""Admin of the weakness register, measures (with their steps), progress and constraints.

Every model keeps its history (django-simple-history), shown through SimpleHistoryAdmin.
Memos are registered by their own admin module. A measure's status is read-only here: the
status actions go through measures.measure_workflow.set_measure_status, which checks the move
and records who made it, as the staff pages do.
"""

from functools import partial

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from measures.admin_memos import StateChangeInline  # also registers Memo and its counter
from measures.measure_workflow import set_measure_status
from measures.models import (
    DisclosureItem,
    DisclosureLink,
    IndicatorAnalysis,
    Limitation,
    Measure,
    MeasureStep,
    ProgressUpdate,
    Weakness,
)
from portal_core.admin_actions import apply_each
from portal_core.form_fields import BE_DATE_OVERRIDES


@admin.register(Weakness)
class WeaknessAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "indicator", "question", "score", "status", "urgent"]
    list_filter = ["status", "urgent", "assessment__fiscal_year"]
    search_fields = ["assessment__unit__name", "topic", "analysis", "question__code"]
    list_select_related = ["assessment__unit", "assessment__fiscal_year", "indicator", "question"]
    raw_id_fields = ["assessment", "indicator", "sub_indicator", "question"]


@admin.register(IndicatorAnalysis)
class IndicatorAnalysisAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "indicator"]
    list_filter = ["assessment__fiscal_year"]
    search_fields = ["assessment__unit__name", "result_text", "analysis"]
    list_select_related = ["assessment__unit", "assessment__fiscal_year", "indicator"]
    raw_id_fields = ["assessment", "indicator"]


def status_action(status: Measure.Status):
    """An admin action moving the selected measures to ``status`` (MeasureAdmin.move_to)."""

    def action(modeladmin, request, queryset):
        modeladmin.move_to(request, queryset, status)

    action.__name__ = f"set_status_{status.value}"
    return admin.action(
        description=f"เปลี่ยนสถานะมาตรการที่เลือกเป็น “{status.label}”", permissions=["change"]
    )(action)


class MeasureStepInline(admin.TabularInline):
    model = MeasureStep
    extra = 1
    fields = ["order", "text", "result"]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    formfield_overrides = BE_DATE_OVERRIDES
    list_display = ["title", "unit", "fiscal_year", "indicator", "deadline", "status", "draft"]
    list_filter = ["status", "draft", "fiscal_year"]
    search_fields = ["title", "activity", "unit__name"]
    list_select_related = ["unit", "fiscal_year", "indicator"]
    raw_id_fields = ["unit", "weakness", "indicator"]
    filter_horizontal = ["responsible_divisions"]
    readonly_fields = ["status", "version", "created_by"]
    inlines = [MeasureStepInline, StateChangeInline]
    actions = [status_action(status) for status in Measure.Status]

    def move_to(self, request, queryset, status: str) -> None:
        """Move each selected measure to ``status`` through set_measure_status; those it
        refuses are listed with the reason, the rest counted."""
        apply_each(
            self,
            request,
            queryset.select_related("unit", "fiscal_year"),
            partial(set_measure_status, status=status),
            name=lambda measure: measure.title[:60],
            done=f"เปลี่ยนสถานะเป็น “{Measure.Status(status).label}” แล้ว",
        )


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    formfield_overrides = BE_DATE_OVERRIDES
    list_display = ["__str__", "measure", "date", "percent"]
    list_filter = ["date"]
    search_fields = ["note", "measure__title", "measure__unit__name"]
    list_select_related = ["measure__unit", "measure__fiscal_year"]
    raw_id_fields = ["measure"]
    readonly_fields = ["created_by"]


@admin.register(Limitation)
class LimitationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "unit", "fiscal_year", "order"]
    list_filter = ["fiscal_year"]
    search_fields = ["text", "unit__name"]
    list_select_related = ["unit", "fiscal_year"]
    raw_id_fields = ["unit"]


class DisclosureLinkInline(admin.TabularInline):
    model = DisclosureLink
    extra = 0
    fields = ["order", "url", "last_status", "final_url", "content_type", "checked_at", "error"]
    readonly_fields = ["last_status", "final_url", "content_type", "checked_at", "error"]


@admin.register(DisclosureItem)
class DisclosureItemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "unit", "fiscal_year", "question", "status", "checked_at"]
    list_filter = ["status", "fiscal_year"]
    search_fields = ["unit__name", "question__code", "notes"]
    list_select_related = ["unit", "fiscal_year", "question"]
    raw_id_fields = ["unit", "question", "division"]
    readonly_fields = ["checked_at", "checked_by", "version"]
    inlines = [DisclosureLinkInline]
