"""The score entry form: every score of one assessment on one page, checked 0–100 in Thai."""

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms

from assessments.models import (
    Assessment,
    IndicatorScore,
    Question,
    QuestionScore,
    SubIndicator,
    SubIndicatorScore,
    Tool,
    ToolScore,
)
from assessments.score_entry import EnteredScores, QuestionEntry
from portal_core.forms import TEXT_MAX_CHARS, limit_field
from portal_core.thai import arabic_digits

SHARE_TOOLS = {Tool.Code.IIT, Tool.Code.EIT}
REMARK = QuestionScore._meta.get_field("remark")


class ScoreField(forms.DecimalField):
    """An optional 0–100 score with two decimals; every message names the item (I7: …)."""

    widget = forms.TextInput

    def __init__(self, *, item: str, what: str = "คะแนน", **kwargs):
        range_message = f"{item}: {what}ต้องอยู่ระหว่าง 0 ถึง 100"
        kwargs.setdefault("required", False)
        super().__init__(
            min_value=Decimal("0"),
            max_value=Decimal("100"),
            max_digits=None,
            decimal_places=2,
            error_messages={
                "invalid": f"{item}: {what}ต้องเป็นตัวเลข เช่น 85.50",
                "min_value": range_message,
                "max_value": range_message,
                "max_decimal_places": f"{item}: {what}มีทศนิยมได้ไม่เกิน 2 ตำแหน่ง",
            },
            **kwargs,
        )
        self.widget.attrs.update({"inputmode": "decimal", "class": "score-input"})

    def to_python(self, value):
        if isinstance(value, str):
            value = arabic_digits(value).strip()
        return super().to_python(value)


@dataclass
class QuestionRow:
    """One question of the form: its text and its bound fields (share only for IIT/EIT)."""

    question: Question
    score: forms.BoundField
    share: forms.BoundField | None
    remark: forms.BoundField


@dataclass
class SubIndicatorGroup:
    sub_indicator: SubIndicator
    score: forms.BoundField
    questions: list[QuestionRow] = field(default_factory=list)


@dataclass
class IndicatorGroup:
    indicator: object
    score: forms.BoundField
    sub_indicators: list[SubIndicatorGroup] = field(default_factory=list)
    questions: list[QuestionRow] = field(default_factory=list)

    @property
    def has_input(self) -> bool:
        """Open the group on the page when it holds a value or an error."""
        rows = self.questions + [q for sub in self.sub_indicators for q in sub.questions]
        bound = [self.score] + [sub.score for sub in self.sub_indicators]
        bound += [r.score for r in rows] + [r.remark for r in rows]
        return any(b.value() not in (None, "") or b.errors for b in bound)


@dataclass
class ToolGroup:
    tool: Tool
    scores: list[forms.BoundField]
    indicators: list[IndicatorGroup] = field(default_factory=list)


class ScoreEntryForm(forms.Form):
    """All scores of an assessment: official result, tools (and EIT parts), indicators,
    sub-indicators and questions of that year's framework. An empty field means "no score"."""

    official_score = ScoreField(item="คะแนนรวมที่ประกาศ", label="คะแนนรวมที่ประกาศ")
    official_level = forms.ChoiceField(label="ระดับที่ประกาศ", required=False)

    def __init__(self, data=None, *, assessment: Assessment, disabled: bool = False):
        super().__init__(data, prefix=None)
        self.assessment = assessment
        framework = assessment.framework
        self.tools = list(framework.tools.all())
        self.indicators = list(framework.indicators.select_related("tool"))
        self.sub_indicators = list(
            SubIndicator.objects.filter(indicator__framework=framework).order_by("code")
        )
        self.questions = list(
            framework.questions.select_related("indicator__tool", "sub_indicator")
        )
        levels = [band.label for band in framework.levels.all()]
        if assessment.official_level and assessment.official_level not in levels:
            levels.append(assessment.official_level)
        self.fields["official_level"].choices = [("", "— ไม่ระบุ —")] + [(v, v) for v in levels]
        self.initial.update(
            official_score=assessment.official_score, official_level=assessment.official_level
        )
        self._add_fields()
        for name, form_field in self.fields.items():
            if not isinstance(form_field, ScoreField):  # scores carry their own messages
                limit_field(form_field, name=name, text_max_chars=TEXT_MAX_CHARS)
        if disabled:
            for form_field in self.fields.values():
                form_field.disabled = True

    def _add_fields(self) -> None:
        pk = self.assessment.pk
        tool_scores = {
            (s.tool_id, s.part): s.score for s in ToolScore.objects.filter(assessment_id=pk)
        }
        indicator_scores = dict(
            IndicatorScore.objects.filter(assessment_id=pk).values_list("indicator_id", "score")
        )
        sub_scores = dict(
            SubIndicatorScore.objects.filter(assessment_id=pk).values_list(
                "sub_indicator_id", "score"
            )
        )
        question_scores = {s.question_id: s for s in QuestionScore.objects.filter(assessment_id=pk)}
        for tool in self.tools:
            for part in self.tool_parts(tool):
                label = f"{tool.code} ส่วนที่ {part}" if part else tool.code
                name = f"tool-{tool.pk}-{part}"
                self.fields[name] = ScoreField(item=label, label=f"คะแนน {label}")
                self.initial[name] = tool_scores.get((tool.pk, part))
        for indicator in self.indicators:
            name = f"ind-{indicator.pk}"
            label = f"ตัวชี้วัดที่ {indicator.number}"
            self.fields[name] = ScoreField(item=label, label=f"คะแนน{label}")
            self.initial[name] = indicator_scores.get(indicator.pk)
        for sub in self.sub_indicators:
            name = f"sub-{sub.pk}"
            label = f"ตัวชี้วัดย่อยที่ {sub.code}"
            self.fields[name] = ScoreField(item=label, label=f"คะแนน{label}")
            self.initial[name] = sub_scores.get(sub.pk)
        for question in self.questions:
            saved = question_scores.get(question.pk)
            self.fields[f"q-{question.pk}-score"] = ScoreField(
                item=question.code, label=f"คะแนนข้อ {question.code}"
            )
            self.initial[f"q-{question.pk}-score"] = saved.score if saved else None
            if question.indicator.tool.code in SHARE_TOOLS:
                self.fields[f"q-{question.pk}-share"] = ScoreField(
                    item=question.code,
                    what="ร้อยละผู้ตอบตัวเลือกน้อยที่สุด",
                    label=f"ร้อยละผู้ตอบตัวเลือกน้อยที่สุด ข้อ {question.code}",
                )
                self.initial[f"q-{question.pk}-share"] = (
                    saved.lowest_option_share if saved else None
                )
            self.fields[f"q-{question.pk}-remark"] = REMARK.formfield(
                label=f"ข้อสังเกตของผู้ประเมิน ข้อ {question.code}",
                widget=forms.Textarea(attrs={"rows": 1, "cols": 24}),
            )
            self.initial[f"q-{question.pk}-remark"] = saved.remark if saved else ""

    @staticmethod
    def tool_parts(tool: Tool) -> list[int]:
        """Part 0 is the whole tool; EIT from 2566 also has parts 1 and 2."""
        return [0, *range(1, tool.parts + 1)]

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            prefix = f"q-{question.pk}"
            has_detail = (
                cleaned.get(f"{prefix}-share") is not None
                or cleaned.get(f"{prefix}-remark", "").strip()
            )
            if (
                has_detail
                and cleaned.get(f"{prefix}-score") is None
                and not self.has_error(f"{prefix}-score")
            ):
                self.add_error(
                    f"{prefix}-score",
                    f"{question.code}: กรุณากรอกคะแนนเมื่อระบุร้อยละผู้ตอบหรือข้อสังเกต",
                )
        return cleaned

    def groups(self) -> list[ToolGroup]:
        """The fields arranged tool → indicator → sub-indicator → question, for the template."""
        by_sub: dict[int, SubIndicatorGroup] = {}
        by_indicator: dict[int, IndicatorGroup] = {}
        tools = {
            t.pk: ToolGroup(t, [self[f"tool-{t.pk}-{p}"] for p in self.tool_parts(t)])
            for t in self.tools
        }
        for indicator in self.indicators:
            group = IndicatorGroup(indicator, self[f"ind-{indicator.pk}"])
            by_indicator[indicator.pk] = group
            tools[indicator.tool_id].indicators.append(group)
        for sub in self.sub_indicators:
            sub_group = SubIndicatorGroup(sub, self[f"sub-{sub.pk}"])
            by_sub[sub.pk] = sub_group
            by_indicator[sub.indicator_id].sub_indicators.append(sub_group)
        for question in self.questions:
            prefix = f"q-{question.pk}"
            row = QuestionRow(
                question,
                self[f"{prefix}-score"],
                self[f"{prefix}-share"] if f"{prefix}-share" in self.fields else None,
                self[f"{prefix}-remark"],
            )
            if question.sub_indicator_id:
                by_sub[question.sub_indicator_id].questions.append(row)
            else:
                by_indicator[question.indicator_id].questions.append(row)
        return list(tools.values())

    def sheet(self) -> EnteredScores:
        """The cleaned form as a EnteredScores for assessments.score_entry.save_scores."""
        data = self.cleaned_data
        return EnteredScores(
            official_score=data["official_score"],
            official_level=data["official_level"],
            tools={
                (t.pk, part): data[f"tool-{t.pk}-{part}"]
                for t in self.tools
                for part in self.tool_parts(t)
            },
            indicators={i.pk: data[f"ind-{i.pk}"] for i in self.indicators},
            sub_indicators={s.pk: data[f"sub-{s.pk}"] for s in self.sub_indicators},
            questions={
                q.pk: QuestionEntry(
                    score=data[f"q-{q.pk}-score"],
                    lowest_option_share=data.get(f"q-{q.pk}-share"),
                    remark=data[f"q-{q.pk}-remark"].strip(),
                )
                for q in self.questions
            },
        )
