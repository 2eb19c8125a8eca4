"""Forms of the memo pages: the memo itself, its signature chain and a status move."""

from django import forms
from django.db.models import Case, Q, When

from assessments.models import Assessment, FiscalYear, OrgUnit, StateChange
from measures.memo_drafts import SignatoryEntry
from measures.memo_photos import evidence_images
from measures.memo_workflow import SignatureData
from measures.models import Memo, MemoPhoto, MemoSignature, ProgressUpdate, Signatory
from portal_core.form_fields import BuddhistEraDateField
from portal_core.forms import ThaiFieldErrors

TEXTAREA = {"rows": 4}


def citable_assessments(unit: OrgUnit, fiscal_year: FiscalYear):
    """The assessments a memo of ``unit`` in ``fiscal_year`` may cite: the unit's own, and its
    parent's (the BMA's for a district) only once published, since a published memo shows the
    scores it cites; of the year its work answers or earlier (later results are not out yet).
    The unit's own come first, newest first."""
    own = Q(unit=unit)
    if unit.parent_id:
        own |= Q(unit_id=unit.parent_id, published_at__isnull=False)
    return (
        Assessment.objects.filter(own)
        .filter(fiscal_year__year__lte=FiscalYear.answered_year(fiscal_year.year))
        .select_related("unit", "fiscal_year")
        .order_by(Case(When(unit=unit, then=0), default=1), "-fiscal_year__year", "unit__order")
    )


class MemoForm(ThaiFieldErrors, forms.ModelForm):
    """The header, paragraphs and attachment texts of a memo (its tables come from live data)."""

    date = BuddhistEraDateField(label="วันที่", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Memo
        fields = [
            "kind",
            "division",
            "assessment",
            "date",
            "show_day",
            "subject",
            "addressee",
            "background",
            "facts",
            "considerations",
            "proposal",
            "closing",
            "attachment_title",
            "photos_heading",
            "attachment_intro",
            "thai_numerals",
            "cover",
        ]
        widgets = {
            "subject": forms.Textarea(attrs={"rows": 2}),
            "background": forms.Textarea(attrs=TEXTAREA),
            "facts": forms.Textarea(attrs=TEXTAREA),
            "considerations": forms.Textarea(attrs=TEXTAREA),
            "proposal": forms.Textarea(attrs=TEXTAREA),
            "closing": forms.Textarea(attrs={"rows": 2}),
            "attachment_title": forms.Textarea(attrs={"rows": 2}),
            "attachment_intro": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "attachment_intro": "ย่อหน้าคั่นด้วยบรรทัดว่าง บรรทัดที่ขึ้นต้นด้วย # คือหัวข้อ (เช่น # ๑. ความเป็นมา)",
            "assessment": "ตารางและคะแนนในเอกสารแนบดึงจากผลการประเมินนี้โดยอัตโนมัติ",
        }

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = OrgUnit.objects.divisions_of(unit)
        self.fields["assessment"].queryset = citable_assessments(unit, self.instance.fiscal_year)
        self.fields["assessment"].error_messages["invalid_choice"] = (
            "ผลการประเมินที่อ้างถึงต้องเป็นของหน่วยงานนี้ หรือของหน่วยงานต้นสังกัดที่เผยแพร่ต่อสาธารณะแล้ว "
            "และเป็นผลของปีที่มาตรการตอบหรือก่อนหน้า"
        )
        self.fields["version"].initial = self.instance.version

    def memo_fields(self) -> dict:
        """The cleaned values to store on the memo (without the form's bookkeeping)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SignatoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Signatory) -> str:
        return str(obj)


class SignatureForm(ThaiFieldErrors, forms.ModelForm):
    """One signer of the chain: picked from the unit's list of signatories, or typed."""

    signatory = SignatoryChoiceField(
        label="เลือกจากรายชื่อผู้ลงนาม",
        queryset=Signatory.objects.none(),
        required=False,
        empty_label="— พิมพ์ชื่อและตำแหน่งเอง —",
        help_text="เมื่อเลือก ระบบใช้ชื่อและตำแหน่งตามรายชื่อของหน่วยงาน",
    )

    class Meta:
        model = MemoSignature
        fields = ["endorsement", "remark", "signatory", "name", "position"]
        widgets = {
            "endorsement": forms.Textarea(attrs={"rows": 2}),
            "position": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        if unit.signatories.exists():
            self.fields["signatory"].queryset = unit.signatories.all()
        else:
            del self.fields["signatory"]
        # a signer picked from the list needs no typed name or position
        self.fields["name"].required = False
        self.fields["position"].required = False

    def clean(self):
        cleaned = super().clean()
        signatory = cleaned.get("signatory")
        if signatory is not None:
            cleaned["name"], cleaned["position"] = signatory.name, signatory.position
        elif cleaned.get("name") and not cleaned.get("position"):
            self.add_error("position", "กรุณากรอกตำแหน่งของผู้ลงนาม")
        elif not cleaned.get("name") and any(
            cleaned.get(name) for name in ("position", "endorsement", "remark")
        ):
            self.add_error("name", "กรุณากรอกชื่อผู้ลงนาม หรือเลือกจากรายชื่อ")
        return cleaned


class BaseSignatureFormSet(forms.BaseInlineFormSet):
    """The chain; a new memo may start from ``initial`` rows (the previous memo's chain)."""

    def __init__(self, *args, unit: OrgUnit, initial: list[dict] | None = None, **kwargs):
        super().__init__(*args, initial=initial, form_kwargs={"unit": unit}, **kwargs)
        if initial:
            self.extra = len(initial) + 1

    def signatures(self) -> list[SignatureData]:
        """The chain in form order, leaving out rows marked for deletion or left empty."""
        chain = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("name"):
                continue
            chain.append(
                SignatureData(
                    order=len(chain) + 1,
                    endorsement=data["endorsement"],
                    remark=data["remark"],
                    name=data["name"],
                    position=data["position"],
                )
            )
        return chain


SignatureFormSet = forms.inlineformset_factory(
    Memo,
    MemoSignature,
    form=SignatureForm,
    formset=BaseSignatureFormSet,
    extra=2,
    can_delete=True,
)


class TransitionForm(ThaiFieldErrors, forms.Form):
    """A status move asked for on the memo page."""

    to = forms.ChoiceField(choices=Memo.Status.choices, label="เป็นสถานะ")
    comment = StateChange._meta.get_field("comment").formfield()


class MemoPhotoForm(ThaiFieldErrors, forms.Form):
    """One photo for a draft memo: an evidence image of its measures, or an upload."""

    evidence = forms.ModelChoiceField(
        queryset=ProgressUpdate.objects.none(),
        required=False,
        label="เลือกจากหลักฐานความคืบหน้า",
        empty_label="— ไม่เลือก —",
    )
    upload = forms.FileField(
        required=False,
        label="หรืออัปโหลดภาพ (JPEG หรือ PNG ไม่เกิน 10 MB)",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    caption = MemoPhoto._meta.get_field("caption").formfield()

    def __init__(self, *args, memo: Memo, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = evidence_images(memo)
        self.fields["evidence"].label_from_instance = lambda update: (
            f"{update.measure.title[:60]} · {update.date:%d/%m}/{update.date.year + 543}"
        )


class SignatoryForm(ThaiFieldErrors, forms.ModelForm):
    """One person of the unit's signatory list."""

    class Meta:
        model = Signatory
        fields = ["name", "position"]
        widgets = {"position": forms.Textarea(attrs={"rows": 2})}


class BaseSignatoryFormSet(forms.BaseModelFormSet):
    def entries(self) -> list[SignatoryEntry]:
        """The list to keep, in form order, without rows marked for deletion or left empty."""
        return [
            SignatoryEntry(
                form.instance.pk, form.cleaned_data["name"], form.cleaned_data["position"]
            )
            for form in self.forms
            if form.cleaned_data.get("name") and not form.cleaned_data.get("DELETE")
        ]


SignatoryFormSet = forms.modelformset_factory(
    Signatory, form=SignatoryForm, formset=BaseSignatoryFormSet, extra=2, can_delete=True
)
