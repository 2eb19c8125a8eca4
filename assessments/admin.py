"""Admin of units, fiscal years, the ITA framework and the scores: the central ITA team's tools.

Labels come from the models' Thai verbose names. Framework items and score sheets can be
imported and exported in Excel (assessments.resources), all or nothing; exported text that could
start a formula is escaped with a leading apostrophe (read back by the resources), and CSV files
carry a UTF-8 byte-order mark. The staff pages import whole score workbooks
(assessments.views_excel); the admin imports one sheet per model. Score models keep their history
(django-simple-history). On an assessment, foreign-key choices of the score inlines are limited
to the framework of its fiscal year, and the overall score computed from the parts is shown
beside the official one. An assessment's publication (published_at) is read-only here: the
publish and unpublish actions go through assessments.publishing, which retires the cached
public pages.
"""

from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget, RelatedFieldWidgetWrapper
from django.db import models
from django.forms import Textarea
from django.urls import reverse
from django.utils.html import format_html
from import_export.admin import ImportExportMixin, ImportExportModelAdmin
from import_export.formats import base_formats
from simple_history.admin import SimpleHistoryAdmin

from assessments import resources
from assessments.access import is_central
from assessments.models import (
    Assessment,
    FiscalYear,
    Framework,
    Indicator,
    IndicatorScore,
    LevelBand,
    Membership,
    OrgUnit,
    Question,
    QuestionScore,
    SubIndicator,
    SubIndicatorScore,
    Tool,
    ToolScore,
)
from assessments.publishing import publish_assessment, unpublish_assessment
from assessments.scoring import check_overall
from portal_core.admin_actions import apply_each
from portal_core.excel import ExcelFileError, csv_text
from portal_core.workbook_import import first_sheet_dataset


def _escape_formula_text(dataset) -> None:
    """Put an apostrophe before exported text that could start a formula (see portal_core.excel);
    django-import-export's own escaping drops the "=" instead, so the text would not come back."""
    rows = [[csv_text(v) if isinstance(v, str) else v for v in row] for row in dataset]
    for _ in range(len(dataset)):
        dataset.lpop()
    for row in rows:
        dataset.append(row)


class EscapedXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        """Read the first sheet under the rules of every workbook import: refuse what is not a
        plain .xlsx (macros, zip bombs, other files), hidden sheets, rows or columns and formula
        cells without a value; fold the headers' spaces (portal_core.workbook_import)."""
        return first_sheet_dataset(in_stream)

    def _escape_formulae(self, dataset):
        _escape_formula_text(dataset)


class EscapedCSV(base_formats.CSV):
    def _escape_formulae(self, dataset):
        _escape_formula_text(dataset)


class ExcelFormats:
    """Import and export as Excel (xlsx) or CSV only, escaped against formulas, CSV with a
    byte-order mark; put it first among the bases."""

    formats = [EscapedXLSX, EscapedCSV]
    to_encoding = "utf-8-sig"

    def add_data_read_fail_error_to_form(self, form, e):
        """Show the Thai reason a workbook was refused instead of the exception's class name."""
        if isinstance(e, ExcelFileError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)


# --- foreign keys limited to one framework ------------------------------------------------------


class FrameworkRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id box whose lookup pop-up lists only the items of one framework."""

    def __init__(self, rel, admin_site, *, framework_id: int, **kwargs):
        super().__init__(rel, admin_site, **kwargs)
        self.framework_id = framework_id

    def base_url_parameters(self):
        params = super().base_url_parameters()
        params["framework__id__exact"] = str(self.framework_id)
        return params


class FrameworkScopedChoices:
    """Foreign-key choices limited to the framework of the object the form is opened on.

    ``framework_lookups`` maps a foreign key to the path from its model to Framework, and
    ``framework_id_of(obj)`` names the object's framework. A ModelAdmin serves every request, so
    the framework rides on the request (set by ``get_form`` or, for inlines, ``get_formset``).
    """

    framework_lookups: dict[str, str] = {}

    def framework_id_of(self, obj) -> int | None:
        raise NotImplementedError

    def remember_framework(self, request, obj) -> None:
        request.ita_framework_id = None if obj is None else self.framework_id_of(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        framework_id = getattr(request, "ita_framework_id", None)
        lookup = self.framework_lookups.get(db_field.name)
        if framework_id is not None and lookup:
            model = db_field.related_model
            kwargs["queryset"] = model._default_manager.filter(**{lookup: framework_id})
            if db_field.name in self.raw_id_fields and lookup == "framework":
                kwargs["widget"] = FrameworkRawIdWidget(
                    db_field.remote_field,
                    self.admin_site,
                    framework_id=framework_id,
                    using=kwargs.get("using"),
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedModelAdmin(FrameworkScopedChoices, admin.ModelAdmin):
    def get_form(self, request, obj=None, change=False, **kwargs):
        self.remember_framework(request, obj)
        return super().get_form(request, obj, change, **kwargs)


class ScopedTabularInline(FrameworkScopedChoices, admin.TabularInline):
    def get_formset(self, request, obj=None, **kwargs):
        self.remember_framework(request, obj)
        return super().get_formset(request, obj, **kwargs)


# --- units and members ----------------------------------------------------------------------


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "short_name",
        "code",
        "kind",
        "parent",
        "memo_prefix",
        "target_score",
        "order",
    )
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "code", "geocode")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)
    readonly_fields = ("created_at", "updated_at")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "role", "position")
    list_filter = ("role", ("unit", admin.RelatedOnlyFieldListFilter))
    search_fields = (
        "user__username",
        "user__first_name",
        "user__last_name",
        "unit__name",
        "unit__short_name",
        "unit__code",
        "position",
    )
    list_select_related = ("user", "unit")
    autocomplete_fields = ("user", "unit")


# --- the framework --------------------------------------------------------------------------


class ToolInline(admin.TabularInline):
    model = Tool
    fields = ("code", "name", "weight", "parts", "order", "confidence", "source")
    extra = 0


class IndicatorInline(ScopedTabularInline):
    model = Indicator
    fields = ("number", "name", "tool", "weight", "confidence", "source")
    extra = 0
    framework_lookups = {"tool": "framework"}

    def framework_id_of(self, framework):
        return framework.pk


class LevelBandInline(admin.TabularInline):
    model = LevelBand
    fields = ("code", "label", "min_score", "min_tool_score", "passed", "confidence", "source")
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(ExcelFormats, ImportExportModelAdmin):
    resource_classes = [resources.FrameworkResource]
    list_display = (
        "code",
        "name",
        "unit_kind",
        "years",
        "status",
        "pass_mark",
        "weakness_target",
        "confidence",
    )
    list_filter = ("status", "unit_kind", "confidence")
    search_fields = ("code", "name")
    readonly_fields = ("questions_link", "created_at", "updated_at")
    inlines = (ToolInline, IndicatorInline, LevelBandInline)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("fiscal_years")

    @admin.display(description="ปีงบประมาณ")
    def years(self, framework):
        return ", ".join(str(fy.year) for fy in framework.fiscal_years.all()) or "-"

    @admin.display(description="ข้อคำถาม")
    def questions_link(self, framework):
        if framework.pk is None:
            return "-"
        url = reverse("admin:assessments_question_changelist")
        count = framework.questions.count()
        return format_html(
            '<a href="{}?framework__id__exact={}">ดูข้อคำถาม {} ข้อ</a>', url, framework.pk, count
        )


@admin.register(FiscalYear)
class FiscalYearAdmin(ExcelFormats, ImportExportModelAdmin):
    resource_classes = [resources.FiscalYearResource]
    list_display = ("year", "framework", "district_framework", "start", "end")
    list_filter = ("framework",)
    search_fields = ("year__exact", "framework__code", "framework__name")
    list_select_related = ("framework", "district_framework")

    @admin.display(description="วันเริ่มต้น")
    def start(self, fiscal_year):
        return fiscal_year.start

    @admin.display(description="วันสิ้นสุด")
    def end(self, fiscal_year):
        return fiscal_year.end


@admin.register(Tool)
class ToolAdmin(ExcelFormats, ImportExportModelAdmin):
    resource_classes = [resources.ToolResource]
    list_display = ("code", "name", "framework", "weight", "parts", "order", "confidence")
    list_filter = ("framework", "code", "confidence")
    search_fields = ("code", "name", "framework__code")
    list_select_related = ("framework",)


class SubIndicatorInline(admin.TabularInline):
    model = SubIndicator
    fields = ("code", "name", "confidence", "source")
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(ExcelFormats, ImportExportMixin, ScopedModelAdmin):
    resource_classes = [resources.IndicatorResource]
    list_display = ("number", "name", "framework", "tool_code", "weight", "confidence")
    list_filter = ("framework", "tool__code", "confidence")
    search_fields = ("number__exact", "name", "framework__code")
    list_select_related = ("framework", "tool")
    inlines = (SubIndicatorInline,)
    framework_lookups = {"tool": "framework"}

    def framework_id_of(self, indicator):
        return indicator.framework_id

    @admin.display(description="เครื่องมือ", ordering="tool__code")
    def tool_code(self, indicator):
        return indicator.tool.code


@admin.register(SubIndicator)
class SubIndicatorAdmin(ExcelFormats, ImportExportMixin, ScopedModelAdmin):
    resource_classes = [resources.SubIndicatorResource]
    list_display = ("code", "name", "indicator", "framework", "confidence")
    list_filter = ("indicator__framework", "indicator__number", "confidence")
    search_fields = ("code", "name", "indicator__name")
    list_select_related = ("indicator__framework",)
    framework_lookups = {"indicator": "framework"}

    def framework_id_of(self, sub_indicator):
        return sub_indicator.indicator.framework_id

    @admin.display(description="เกณฑ์การประเมิน", ordering="indicator__framework__code")
    def framework(self, sub_indicator):
        return sub_indicator.indicator.framework


@admin.register(Question)
class QuestionAdmin(ExcelFormats, ImportExportMixin, ScopedModelAdmin):
    resource_classes = [resources.QuestionResource]
    list_display = (
        "code",
        "short_text",
        "framework",
        "indicator_number",
        "sub_indicator_code",
        "order",
        "confidence",
    )
    list_filter = ("framework", "indicator__tool__code", "indicator__number", "confidence")
    search_fields = ("code", "text", "group")
    list_select_related = ("framework", "indicator", "sub_indicator")
    list_per_page = 100
    framework_lookups = {"indicator": "framework", "sub_indicator": "indicator__framework"}

    def framework_id_of(self, question):
        return question.framework_id

    @admin.display(description="ข้อคำถาม/ข้อมูลที่เปิดเผย", ordering="text")
    def short_text(self, question):
        text = question.display_text
        return text if len(text) <= 100 else f"{text[:100]}…"

    @admin.display(description="ตัวชี้วัดที่", ordering="indicator__number")
    def indicator_number(self, question):
        return question.indicator.number

    @admin.display(description="ตัวชี้วัดย่อยที่", ordering="sub_indicator__code")
    def sub_indicator_code(self, question):
        return question.sub_indicator.code if question.sub_indicator else "-"


@admin.register(LevelBand)
class LevelBandAdmin(ExcelFormats, ImportExportModelAdmin):
    resource_classes = [resources.LevelBandResource]
    list_display = ("label", "code", "min_score", "passed", "framework", "confidence")
    list_filter = ("framework", "passed", "confidence")
    search_fields = ("code", "label", "framework__code")
    list_select_related = ("framework",)


# --- assessments and their scores -----------------------------------------------------------


class _AssessmentScoreInline(ScopedTabularInline):
    extra = 0
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 50})}}

    def framework_id_of(self, assessment):
        return assessment.framework.pk

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """A score row picks a framework item; it offers no buttons to edit the framework."""
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            formfield.widget.can_add_related = False
            formfield.widget.can_change_related = False
            formfield.widget.can_delete_related = False
            formfield.widget.can_view_related = False
        return formfield


class ToolScoreInline(_AssessmentScoreInline):
    model = ToolScore
    fields = ("tool", "part", "score")
    framework_lookups = {"tool": "framework"}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("tool")


class IndicatorScoreInline(_AssessmentScoreInline):
    model = IndicatorScore
    fields = ("indicator", "score", "note")
    framework_lookups = {"indicator": "framework"}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator")


class SubIndicatorScoreInline(_AssessmentScoreInline):
    model = SubIndicatorScore
    fields = ("sub_indicator", "score")
    framework_lookups = {"sub_indicator": "indicator__framework"}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("sub_indicator")


class QuestionScoreInline(_AssessmentScoreInline):
    model = QuestionScore
    fields = ("question", "score", "lowest_option_share", "remark")
    raw_id_fields = ("question",)
    framework_lookups = {"question": "framework"}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("question")


def _overall_check(assessment):
    """check_overall() once per object shown, though two read-only fields display it."""
    if not hasattr(assessment, "_admin_overall_check"):
        assessment._admin_overall_check = check_overall(assessment)
    return assessment._admin_overall_check


@admin.register(Assessment)
class AssessmentAdmin(ExcelFormats, ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [resources.AssessmentScoreResource]
    list_display = ("unit", "fiscal_year", "official_score", "official_level", "is_published")
    list_filter = ("fiscal_year", ("unit", admin.RelatedOnlyFieldListFilter), "unit__kind")
    search_fields = ("unit__name", "unit__short_name", "unit__code", "fiscal_year__year__exact")
    list_select_related = ("unit", "fiscal_year")
    autocomplete_fields = ("unit",)
    readonly_fields = (
        "computed_overall",
        "overall_check",
        "published_at",
        "created_at",
        "updated_at",
    )
    actions = ("publish", "unpublish")
    fieldsets = (
        (
            None,
            {"fields": ("unit", "fiscal_year", "official_score", "official_level", "note")},
        ),
        ("การตรวจสอบคะแนนรวม", {"fields": ("computed_overall", "overall_check")}),
        ("การเผยแพร่", {"fields": ("published_at", "created_at", "updated_at")}),
    )
    inlines = (ToolScoreInline, IndicatorScoreInline, SubIndicatorScoreInline, QuestionScoreInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("unit", "fiscal_year__framework", "fiscal_year__district_framework")
        )

    def has_publish_permission(self, request) -> bool:
        """Publishing is the central team's (units' directors publish from the staff pages)."""
        return is_central(request.user)

    def _change_publication(self, request, queryset, change, done: str) -> None:
        """Run ``change`` (publish_assessment or unpublish_assessment) on each selected
        assessment; those it refuses are listed with the reason, the rest counted."""
        apply_each(
            self,
            request,
            queryset.select_related("unit", "fiscal_year"),
            change,
            name=lambda a: f"{a.unit.display_name} ปี {a.fiscal_year.year}",
            done=done,
        )

    @admin.action(description="เผยแพร่ผลการประเมินที่เลือกต่อสาธารณะ", permissions=["publish"])
    def publish(self, request, queryset):
        self._change_publication(request, queryset, publish_assessment, "เผยแพร่ต่อสาธารณะแล้ว")

    @admin.action(description="ยกเลิกการเผยแพร่ผลการประเมินที่เลือก", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._change_publication(request, queryset, unpublish_assessment, "ยกเลิกการเผยแพร่แล้ว")

    @admin.display(description="เผยแพร่แล้ว", boolean=True, ordering="published_at")
    def is_published(self, assessment):
        return assessment.published_at is not None

    @admin.display(description="คะแนนรวมที่คำนวณจากคะแนนย่อย")
    def computed_overall(self, assessment):
        if assessment.pk is None:
            return "-"
        computed = _overall_check(assessment).computed
        return "ข้อมูลไม่ครบ" if computed is None else computed

    @admin.display(description="เทียบกับคะแนนที่ประกาศ")
    def overall_check(self, assessment):
        if assessment.pk is None:
            return "-"
        check = _overall_check(assessment)
        if check.difference is None:
            return "ข้อมูลไม่ครบ"
        if check.mismatch:
            return format_html(
                '<span class="errornote">ไม่ตรงกัน: คำนวณได้ {} แต่ประกาศ {} (ต่างกัน {})</span>',
                check.computed,
                check.official,
                check.difference,
            )
        return "ตรงกัน"


class _ScoreAdmin(FrameworkScopedChoices, SimpleHistoryAdmin):
    """Columns and filters every score list shares: the unit and fiscal year of the assessment."""

    autocomplete_fields = ("assessment",)
    assessment_filters = (
        "assessment__fiscal_year",
        ("assessment__unit", admin.RelatedOnlyFieldListFilter),
    )
    assessment_search = ("assessment__unit__name", "assessment__unit__short_name")

    def framework_id_of(self, score):
        return score.assessment.framework.pk

    def get_form(self, request, obj=None, change=False, **kwargs):
        self.remember_framework(request, obj)
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description="หน่วยงาน", ordering="assessment__unit__name")
    def unit_name(self, score):
        return score.assessment.unit.display_name

    @admin.display(description="ปีงบประมาณ", ordering="assessment__fiscal_year__year")
    def fiscal_year(self, score):
        return score.assessment.fiscal_year.year


_SCORE_RELATED = ("assessment__unit", "assessment__fiscal_year")


@admin.register(ToolScore)
class ToolScoreAdmin(ExcelFormats, ImportExportMixin, _ScoreAdmin):
    resource_classes = [resources.ToolScoreResource]
    list_display = ("unit_name", "fiscal_year", "tool_code", "part", "score")
    list_filter = (*_ScoreAdmin.assessment_filters, "tool__code")
    search_fields = (*_ScoreAdmin.assessment_search, "assessment__unit__code", "tool__code")
    list_select_related = (*_SCORE_RELATED, "tool")
    framework_lookups = {"tool": "framework"}

    @admin.display(description="เครื่องมือ", ordering="tool__code")
    def tool_code(self, score):
        return score.tool.code


@admin.register(IndicatorScore)
class IndicatorScoreAdmin(ExcelFormats, ImportExportMixin, _ScoreAdmin):
    resource_classes = [resources.IndicatorScoreResource]
    list_display = ("unit_name", "fiscal_year", "indicator", "score")
    list_filter = (*_ScoreAdmin.assessment_filters, "indicator__tool__code", "indicator__number")
    search_fields = (*_ScoreAdmin.assessment_search, "assessment__unit__code", "indicator__name")
    list_select_related = (*_SCORE_RELATED, "indicator")
    framework_lookups = {"indicator": "framework"}


@admin.register(SubIndicatorScore)
class SubIndicatorScoreAdmin(ExcelFormats, ImportExportMixin, _ScoreAdmin):
    resource_classes = [resources.SubIndicatorScoreResource]
    list_display = ("unit_name", "fiscal_year", "sub_indicator", "score")
    list_filter = (*_ScoreAdmin.assessment_filters, "sub_indicator__indicator__number")
    search_fields = (
        *_ScoreAdmin.assessment_search,
        "assessment__unit__code",
        "sub_indicator__code",
        "sub_indicator__name",
    )
    list_select_related = (*_SCORE_RELATED, "sub_indicator")
    framework_lookups = {"sub_indicator": "indicator__framework"}


@admin.register(QuestionScore)
class QuestionScoreAdmin(ExcelFormats, ImportExportMixin, _ScoreAdmin):
    resource_classes = [resources.QuestionScoreResource]
    list_display = (
        "unit_name",
        "fiscal_year",
        "question_code",
        "question_text",
        "score",
        "lowest_option_share",
    )
    list_filter = (
        *_ScoreAdmin.assessment_filters,
        "question__indicator__tool__code",
        "question__indicator__number",
    )
    search_fields = (
        *_ScoreAdmin.assessment_search,
        "assessment__unit__code",
        "question__code",
        "question__text",
        "remark",
    )
    list_select_related = (*_SCORE_RELATED, "question")
    raw_id_fields = ("question",)
    framework_lookups = {"question": "framework"}

    @admin.display(description="รหัสข้อ", ordering="question__order")
    def question_code(self, score):
        return score.question.code

    @admin.display(description="ข้อคำถาม")
    def question_text(self, score):
        text = score.question.display_text
        return text if len(text) <= 80 else f"{text[:80]}…"
