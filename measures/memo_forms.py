"""Forms of the memo pages: the memo itself, its signature chain and a status move."""

from django import forms
from django.db.models import Q

from assessments.models import Assessment, OrgUnit, StateChange
from measures.memo_workflow import SignatureData
from measures.models import Memo, MemoSignature
from portal_core.form_fields import BuddhistEraDateField
from portal_core.forms import ThaiFieldErrors

TEXTAREA = {"rows": 4}


def citable_assessments(unit: OrgUnit):
    """The assessments a memo of ``unit`` may cite: the unit's own, and its parent's (the BMA's
    for a district) only once published, since a published memo shows the scores it cites."""
    own = Q(unit=unit)
    if unit.parent_id:
        own |= Q(unit_id=unit.parent_id, published_at__isnull=False)
    return Assessment.objects.filter(own).select_related("unit", "fiscal_year")


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
        self.fields["assessment"].queryset = citable_assessments(unit)
        self.fields["assessment"].error_messages["invalid_choice"] = (
            "ผลการประเมินที่อ้างถึงต้องเป็นของหน่วยงานนี้ หรือของหน่วยงานต้นสังกัดที่เผยแพร่ต่อสาธารณะแล้ว"
        )
        self.fields["version"].initial = self.instance.version

    def memo_fields(self) -> dict:
        """The cleaned values to store on the memo (without the form's bookkeeping)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SignatureForm(ThaiFieldErrors, forms.ModelForm):
    """One signer of the chain."""

    class Meta:
        model = MemoSignature
        fields = ["endorsement", "remark", "name", "position"]
        widgets = {
            "endorsement": forms.Textarea(attrs={"rows": 2}),
            "position": forms.Textarea(attrs={"rows": 2}),
        }


class BaseSignatureFormSet(forms.BaseInlineFormSet):
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
