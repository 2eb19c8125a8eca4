"""Forms of the weakness register, measures, progress reports and constraints.

Forms only validate; the views hand their cleaned data to the domain functions in
measures.weaknesses and measures.measure_workflow. Every date is a Buddhist-era date (30/03/2566).
"""

import datetime

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone

from assessments.frameworks import framework_id_for
from assessments.models import Assessment, Indicator, OrgUnit, Question, SubIndicator
from measures.measure_workflow import StepEntry, allowed_statuses
from measures.models import (
    IndicatorAnalysis,
    Limitation,
    Measure,
    MeasureStep,
    ProgressUpdate,
    Weakness,
)
from measures.uploads import validate_evidence
from measures.weaknesses import AnalysisEntry
from portal_core.form_fields import BuddhistEraDateField, SafeNameFileField
from portal_core.forms import TEXT_MAX_CHARS, ThaiFieldErrors, limit_field

TEXTAREA = {"rows": 3}
MONITORING_CHOICES = [("", "— ไม่ระบุ —")] + [(n, f"ทุก {n} เดือน") for n in range(1, 13)]


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return f"ตัวชี้วัดที่ {obj.number} {obj.name}"


class QuestionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Question) -> str:
        text = obj.display_text
        text = text if len(text) <= 90 else f"{text[:90]}…"
        return f"{obj.code} {text}"


class WeaknessChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Weakness) -> str:
        item = obj.question.code if obj.question_id else f"ตัวชี้วัดที่ {obj.indicator.number}"
        topic = obj.topic if len(obj.topic) <= 70 else f"{obj.topic[:70]}…"
        return f"ผลปี {obj.assessment.fiscal_year.year} · {item} {topic}".strip()


class WeaknessForm(ThaiFieldErrors, forms.ModelForm):
    """A weakness added by hand or edited; choices come from the assessment's framework."""

    class Meta:
        model = Weakness
        fields = [
            "indicator",
            "sub_indicator",
            "question",
            "score",
            "topic",
            "analysis",
            "correction",
            "urgent",
            "order",
        ]
        field_classes = {"indicator": IndicatorChoiceField, "question": QuestionChoiceField}
        widgets = {
            "topic": forms.Textarea(attrs=TEXTAREA),
            "analysis": forms.Textarea(attrs=TEXTAREA),
            "correction": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.assessment = assessment
        framework = assessment.framework
        self.fields["indicator"].queryset = Indicator.objects.filter(framework=framework)
        self.fields["sub_indicator"].queryset = SubIndicator.objects.filter(
            indicator__framework=framework
        ).order_by("code")
        self.fields["question"].queryset = Question.objects.filter(framework=framework)
        self.fields["score"].widget = forms.TextInput(attrs={"inputmode": "decimal"})


class IndicatorAnalysisForm(ThaiFieldErrors, forms.Form):
    """The analysis of one indicator: the result in words and the weak points found."""

    result_text = IndicatorAnalysis._meta.get_field("result_text").formfield(
        widget=forms.Textarea(attrs=TEXTAREA)
    )
    analysis = IndicatorAnalysis._meta.get_field("analysis").formfield(
        widget=forms.Textarea(attrs=TEXTAREA)
    )

    def entry(self) -> AnalysisEntry:
        return AnalysisEntry(self.cleaned_data["result_text"], self.cleaned_data["analysis"])


class MeasureForm(ThaiFieldErrors, forms.ModelForm):
    """Every field staff fill in for a measure; ``version`` is the version the form opened."""

    deadline = BuddhistEraDateField(label="ระยะเวลาแล้วเสร็จ", required=False)
    monitoring_months = forms.TypedChoiceField(
        label="การกำกับติดตาม",
        choices=MONITORING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    responsible_divisions = forms.ModelMultipleChoiceField(
        label="ฝ่ายที่รับผิดชอบ",
        queryset=OrgUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measure
        fields = [
            "weakness",
            "indicator",
            "issue",
            "title",
            "activity",
            "output",
            "communication",
            "deadline",
            "deadline_note",
            "responsible_divisions",
            "all_divisions",
            "supervision",
            "monitoring_months",
            "result",
            "draft",
            "order",
        ]
        field_classes = {"indicator": IndicatorChoiceField, "weakness": WeaknessChoiceField}
        widgets = {
            name: forms.Textarea(attrs=TEXTAREA)
            for name in ("issue", "title", "activity", "output", "communication", "result")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        measure = self.instance
        self.fields["indicator"].queryset = Indicator.objects.filter(
            framework_id=framework_id_for(measure.unit, measure.fiscal_year)
        )
        self.fields["indicator"].help_text = "เมื่อเลือกจุดอ่อน เว้นว่างได้: ใช้ตัวชี้วัดของจุดอ่อนนั้น"
        self.fields["weakness"].queryset = (
            Weakness.objects.filter(assessment__unit=measure.unit)
            .select_related("assessment__fiscal_year", "indicator", "question")
            .order_by("-assessment__fiscal_year__year", "order", "pk")
        )
        self.fields["responsible_divisions"].queryset = OrgUnit.objects.divisions_of(measure.unit)
        self.fields["version"].initial = measure.version
        if measure.pk is None:
            del self.fields["draft"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and cleaned.get("version") is None:
            self.add_error(None, "แบบฟอร์มไม่สมบูรณ์ กรุณาเปิดหน้าแก้ไขมาตรการใหม่")
        return cleaned


class StepFormSet(BaseInlineFormSet):
    """The ordered steps of a measure: number them to reorder, tick ลบ to remove."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = "ลำดับ"
        form.fields["ORDER"].widget.attrs.update({"min": 1, "class": "order-input"})
        limit_field(form.fields["ORDER"], name="ORDER", text_max_chars=TEXT_MAX_CHARS)
        form.fields["DELETE"].label = "ลบขั้นตอนนี้"

    def entries(self) -> list[StepEntry]:
        """The steps to keep, in their new order, for measures.measure_workflow.save_measure."""
        return [
            StepEntry(form.instance.pk, form.cleaned_data["text"], form.cleaned_data["result"])
            for form in self.ordered_forms
        ]


class StepForm(ThaiFieldErrors, forms.ModelForm):
    """One step of a measure: what is done and what came of it."""

    class Meta:
        model = MeasureStep
        fields = ["text", "result"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "result": forms.Textarea(attrs={"rows": 3}),
        }


MeasureStepFormSet = inlineformset_factory(
    Measure,
    MeasureStep,
    form=StepForm,
    formset=StepFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
)


class MeasureStatusForm(ThaiFieldErrors, forms.Form):
    """The next status of a measure, among the moves its current status allows."""

    status = forms.ChoiceField(label="เปลี่ยนสถานะเป็น")

    def __init__(self, *args, measure: Measure, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Measure.Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in allowed_statuses(measure)]


class ProgressForm(ThaiFieldErrors, forms.ModelForm):
    """A dated progress report with optional evidence (file or link)."""

    date = BuddhistEraDateField(label="วันที่รายงาน")
    evidence_url = forms.URLField(label="ลิงก์หลักฐาน", required=False, assume_scheme="https")

    class Meta:
        model = ProgressUpdate
        fields = ["date", "note", "percent", "evidence_file", "evidence_url"]
        field_classes = {"evidence_file": SafeNameFileField}
        widgets = {"note": forms.Textarea(attrs=TEXTAREA)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["evidence_file"].help_text = "ไม่เกิน 10 MB: pdf, jpg, jpeg, png, docx หรือ xlsx"
        self.fields["evidence_file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if isinstance(upload, UploadedFile):
            validate_evidence(upload)
        return upload

    def clean_date(self) -> datetime.date:
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError("วันที่รายงานต้องไม่เป็นวันในอนาคต")
        return day


class LimitationForm(ThaiFieldErrors, forms.ModelForm):
    """A constraint (ข้อจำกัด) of the unit in the fiscal year."""

    class Meta:
        model = Limitation
        fields = ["order", "text"]
        widgets = {"text": forms.Textarea(attrs=TEXTAREA)}
