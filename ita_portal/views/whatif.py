"""The what-if simulator of a unit's dashboard: target scores in, the result that follows out.

A GET form (nothing is written): every indicator, sub-indicator and question whose change moves
the overall can take a target, and the unit may state an overall target of its own. The
arithmetic is :mod:`assessments.simulation`; this view only reads the form and the assessment.
"""

from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from assessments.frameworks import unit_target
from assessments.models import Assessment
from assessments.scoring import ScoreSet
from assessments.simulation import FrameworkItems, Targets, simulate
from ita_portal import dashboards


def _score_field(label: str, current: Decimal | None) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text="ยังไม่มีคะแนน" if current is None else f"คะแนนจริง {current}",
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class TargetsForm(forms.Form):
    """A target score for any indicator (``ind-9``), sub-indicator (``sub-9.1``) or question
    (``q-O1``) of the year's framework, and the unit's own overall target (``goal``)."""

    goal = forms.DecimalField(
        label="ค่าเป้าหมายคะแนนรวมของหน่วยงาน",
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )

    def __init__(self, data, *, items: FrameworkItems, scores: ScoreSet):
        super().__init__(data)
        self.items = items
        self.rows = []  # (indicator, field, [sub-indicator fields], [question fields])
        subs_of = {}
        for sub in items.sub_indicators:
            name = f"sub-{sub.code}"
            self.fields[name] = _score_field(
                f"ตัวชี้วัดย่อยที่ {sub.code} {sub.name}", scores.sub_indicators.get(sub.pk)
            )
            subs_of.setdefault(sub.indicator_id, []).append((name, sub))
        questions_of = {}
        for question in items.questions:
            if not items.moves_its_indicator(question):
                continue
            name = f"q-{question.code}"
            self.fields[name] = _score_field(
                f"{question.code} {question.display_text}", scores.questions.get(question.pk)
            )
            questions_of.setdefault(question.indicator_id, []).append((name, question))
        for indicator in items.indicators:
            name = f"ind-{indicator.number}"
            self.fields[name] = _score_field(
                f"ตัวชี้วัดที่ {indicator.number} {indicator.name}",
                scores.indicators.get(indicator.pk),
            )
            self.rows.append(
                (
                    indicator,
                    name,
                    subs_of.get(indicator.pk, []),
                    questions_of.get(indicator.pk, []),
                )
            )

    def targets(self) -> Targets:
        """The targets typed in (none when the form is not valid)."""
        if not self.is_valid():
            return Targets()
        data = self.cleaned_data

        def typed(pairs):
            return {item.pk: data[name] for name, item in pairs if data.get(name) is not None}

        return Targets(
            indicators=typed((f"ind-{i.number}", i) for i in self.items.indicators),
            sub_indicators=typed((f"sub-{s.code}", s) for s in self.items.sub_indicators),
            questions=typed((name, q) for _i, _n, _s, qs in self.rows for name, q in qs),
        )

    def unit_target(self) -> Decimal | None:
        return self.cleaned_data.get("goal") if self.is_valid() else None


@login_required
def simulate_unit(request, code: str, year: int):
    """What the scores typed in would make of the unit's result of ``year``, and the smallest
    changes that reach the pass mark and the unit's target (404 outside the user's units)."""
    assessment = get_object_or_404(
        Assessment.objects.select_related(
            "unit", "fiscal_year__framework", "fiscal_year__district_framework"
        ).prefetch_related(
            "tool_scores", "indicator_scores", "sub_indicator_scores", "question_scores"
        ),
        unit__in=dashboards.dashboard_units(request.user),
        unit__code=code,
        fiscal_year__year=year,
    )
    unit, fiscal_year = assessment.unit, assessment.fiscal_year
    framework = assessment.framework
    target = unit_target(unit, framework)
    items = FrameworkItems(framework)
    form = TargetsForm(request.GET or None, items=items, scores=ScoreSet.of(assessment))
    targets = form.targets()
    goal = form.unit_target() or (target.score if target.own else None)
    result = simulate(assessment, targets, items=items, unit_target=goal)
    after = result.after.scores
    rows = [
        {
            "indicator": indicator,
            "field": form[name],
            "before": result.before.scores.indicators.get(indicator.pk),
            "after": after.indicators.get(indicator.pk),
            "subs": [
                (
                    form[n],
                    result.before.scores.sub_indicators.get(s.pk),
                    after.sub_indicators.get(s.pk),
                )
                for n, s in subs
            ],
            "questions": [
                (form[n], result.before.scores.questions.get(q.pk), after.questions.get(q.pk))
                for n, q in questions
            ],
            # keep the detail open where a target was typed, so it stays in sight
            "open": any(form.data.get(n) for n, _item in [*subs, *questions]),
        }
        for indicator, name, subs, questions in form.rows
    ]
    context = {
        "unit": unit,
        "fiscal_year": fiscal_year,
        "assessment": assessment,
        "form": form,
        "rows": rows,
        "result": result,
        "tools": list(zip(result.before.tools, result.after.tools, strict=True)),
        "changed": bool(targets),
        "framework": framework,
        "target": framework.pass_mark,
        "unit_target": target,
    }
    return render(request, "portal/simulate.html", context)
