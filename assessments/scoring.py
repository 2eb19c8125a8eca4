"""Scoring rules of the ITA: levels, tool scores and the weighted overall score.

The arithmetic follows ../shared/reference/ita_framework.md §4: a tool's score is the plain mean of
its indicators (or, for EIT from 2566, of its two parts), an OIT sub-indicator is the share of its
items passed, and ITA = Σ tool weight × tool score / 100. Nothing is rounded until the end, which is
what reproduces the published figures (Trat 2564: 81.4548 → 81.45, not 81.46).

The two rules the result pages also compute in the database, the level and pass of an overall
score and the score of a tool, are written here twice, in Python and as SQL expressions, side by
side; tests/assessments/test_results_parity.py holds each pair equal. A change to either rule is
made in both forms at once.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from assessments.models import (
    Assessment,
    Framework,
    Indicator,
    IndicatorScore,
    LevelBand,
    SubIndicator,
    Tool,
    ToolScore,
)

TWO_PLACES = Decimal("0.01")
MISMATCH_TOLERANCE = Decimal("0.01")
PASSED_ITEM = Decimal("100")


def round_score(value: Decimal) -> Decimal:
    """Round half up to two places, as the NACC publishes scores."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def mean(values: Sequence[Decimal]) -> Decimal:
    """The unrounded mean of a non-empty sequence of scores."""
    if not values:
        raise ValueError("mean of no scores")
    return sum(values, Decimal(0)) / len(values)


def weighted_sum(parts: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """ITA overall from (tool weight in percent, tool score) pairs, not yet rounded."""
    return sum((weight * value / 100 for weight, value in parts), Decimal(0))


def weighted_overall(parts: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    """ITA overall from (tool weight in percent, tool score) pairs, rounded to two places."""
    return round_score(weighted_sum(parts))


def sub_indicator_score(item_scores: Sequence[Decimal]) -> Decimal:
    """An OIT sub-indicator: the percentage of its items that scored 100 (passed)."""
    if not item_scores:
        raise ValueError("a sub-indicator needs at least one item")
    passed = sum(1 for score in item_scores if score == PASSED_ITEM)
    return round_score(Decimal(passed) * 100 / len(item_scores))


# --- Level and pass of an overall score: in Python, then as SQL --------------------------------


def level_for(
    framework: Framework, score: Decimal | None, tool_scores: list[Decimal] | None = None
) -> LevelBand | None:
    """The level band a score falls in under ``framework`` (None for no score): the highest band
    whose minimum the score reaches.

    A band that also asks every tool to reach a score (ผ่านดี, ผ่านดีเยี่ยม from 2567) is given only
    when ``tool_scores`` holds every tool's score and each reaches it.
    """
    if score is None:
        return None
    for band in framework.levels.all():  # ordered highest first
        if score >= band.min_score and band.tools_reach(tool_scores):
            return band
    return None


def standing(
    framework: Framework, score: Decimal | None, tool_scores: list[Decimal] | None = None
) -> tuple[LevelBand | None, bool | None]:
    """The level band of an overall score and whether it passes: at least the pass mark, or in a
    band marked as passing (None, None for no score)."""
    if score is None:
        return None, None
    band = level_for(framework, score, tool_scores)
    return band, score >= framework.pass_mark or bool(band and band.passed)


def shown_level(official_level: str, band: LevelBand | None) -> str:
    """The level a result shows: as the NACC published it, else the band of its score."""
    return official_level or (band.label if band else "")


def standing_annotations() -> tuple[dict, dict]:
    """:func:`standing` and :func:`shown_level` of an Assessment queryset's official score, as
    annotations: ``level_label``, ``band_passed`` and ``pass_mark``, then ``passed`` (which
    reads ``band_passed``, hence the two steps)."""
    band = LevelBand.objects.filter(
        framework=OuterRef("fiscal_year__framework"),
        min_score__lte=OuterRef("official_score"),
        # A per-tool condition needs the tools' scores, which standing() is not given either.
        min_tool_score__isnull=True,
    ).order_by("-min_score")
    pass_mark = F("fiscal_year__framework__pass_mark")
    first = {
        "pass_mark": pass_mark,
        "level_label": Coalesce(
            NullIf(F("official_level"), Value("")), Subquery(band.values("label")[:1])
        ),
        "band_passed": Subquery(band.values("passed")[:1], output_field=BooleanField()),
    }
    second = {
        "passed": Case(
            When(official_score__isnull=True, then=Value(None)),
            When(Q(official_score__gte=pass_mark) | Q(band_passed=True), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    }
    return first, second


# --- The score of a tool: in Python, then as SQL -----------------------------------------------


def tool_score(
    tool: Tool,
    tool_scores: Mapping[tuple[int, int], Decimal],
    indicators: Sequence[Decimal | None],
) -> tuple[Decimal | None, str]:
    """One tool's score and its basis, from the assessment's tool scores by (tool pk, part) —
    part 0 is the tool score as published — and the tool's indicators' scores (None where not
    scored).

    Order of preference: the mean of the tool's parts (EIT ส่วนที่ 1/2 from 2566), the mean of its
    indicators when every indicator is scored, the tool score as published, else missing.
    """
    parts = [tool_scores.get((tool.pk, part)) for part in range(1, tool.parts + 1)]
    if parts and all(value is not None for value in parts):
        return mean(parts), "parts"
    if indicators and all(value is not None for value in indicators):
        return mean(indicators), "indicators"
    published = tool_scores.get((tool.pk, 0))
    if published is not None:
        return published, "official"
    return None, "missing"


def tool_score_expression(code: str) -> Coalesce:
    """:func:`tool_score` of the tool ``code`` for each row of an Assessment queryset, as one SQL
    expression (unrounded; None where the tool is missing)."""
    parts = (
        ToolScore.objects.filter(assessment=OuterRef("pk"), tool__code=code, part__gt=0)
        .order_by()
        .values("assessment", "tool__parts")
        .annotate(value=Avg("score"), scored=Count("pk"))
        .filter(scored=F("tool__parts"))
        .values("value")
    )
    indicators = (
        IndicatorScore.objects.filter(assessment=OuterRef("pk"), indicator__tool__code=code)
        .order_by()
        .values("assessment", "indicator__tool")
        .annotate(
            value=Avg("score"),
            scored=Count("pk", distinct=True),
            expected=Count("indicator__tool__indicators", distinct=True),
        )
        .filter(scored=F("expected"))
        .values("value")
    )
    published = ToolScore.objects.filter(
        assessment=OuterRef("pk"), tool__code=code, part=0
    ).order_by()
    return Coalesce(Subquery(parts), Subquery(indicators), Subquery(published.values("score")[:1]))


# --- Scores in memory and the overall ----------------------------------------------------------


@dataclass(frozen=True)
class ToolResult:
    """A tool's computed score and where it came from."""

    tool: Tool
    value: Decimal | None
    basis: str  # "parts", "indicators", "official" or "missing"


@dataclass(frozen=True)
class ScoreSet:
    """One assessment's scores held in memory, so the rules below run on stored scores and on
    what-if ones alike: tool scores by (tool pk, part) — part 0 is the tool as published — and
    indicator, sub-indicator and question scores by the pk of their framework item."""

    tools: Mapping[tuple[int, int], Decimal] = field(default_factory=dict)
    indicators: Mapping[int, Decimal] = field(default_factory=dict)
    sub_indicators: Mapping[int, Decimal] = field(default_factory=dict)
    questions: Mapping[int, Decimal] = field(default_factory=dict)

    @classmethod
    def of(cls, assessment: Assessment, *, items: bool = True) -> "ScoreSet":
        """The stored scores of an assessment (its prefetched score rows when present); without
        ``items`` only the tool and indicator scores, which are all the overall needs."""
        scores = cls(
            tools={(s.tool_id, s.part): s.score for s in assessment.tool_scores.all()},
            indicators={s.indicator_id: s.score for s in assessment.indicator_scores.all()},
        )
        if not items:
            return scores
        return replace(
            scores,
            sub_indicators={
                s.sub_indicator_id: s.score for s in assessment.sub_indicator_scores.all()
            },
            questions={s.question_id: s.score for s in assessment.question_scores.all()},
        )


def tool_results_for(framework: Framework, scores: ScoreSet) -> list[ToolResult]:
    """Each tool of ``framework`` scored by :func:`tool_score` from ``scores``."""
    indicators_by_tool: dict[int, list[int]] = {}
    for indicator in framework.indicators.all():
        indicators_by_tool.setdefault(indicator.tool_id, []).append(indicator.id)

    results = []
    for tool in framework.tools.all():
        own = [scores.indicators.get(pk) for pk in indicators_by_tool.get(tool.id, [])]
        value, basis = tool_score(tool, scores.tools, own)
        results.append(ToolResult(tool, value, basis))
    return results


def tool_results(assessment: Assessment) -> list[ToolResult]:
    """Each tool's score computed from the assessment's parts, by :func:`tool_score`."""
    return tool_results_for(assessment.framework, ScoreSet.of(assessment, items=False))


def exact_overall(results: Sequence[ToolResult]) -> Decimal | None:
    """The unrounded overall of tool results by their weights; None if a tool is missing."""
    if not results or any(r.value is None for r in results):
        return None
    return weighted_sum((r.tool.weight, r.value) for r in results)


def compute_overall(assessment: Assessment) -> Decimal | None:
    """The overall score from the parts by the framework's weights; None if a tool is missing."""
    overall = exact_overall(tool_results(assessment))
    return None if overall is None else round_score(overall)


@dataclass(frozen=True)
class OverallCheck:
    """The official overall score beside the computed one."""

    official: Decimal | None
    computed: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        if self.official is None or self.computed is None:
            return None
        return self.computed - self.official

    @property
    def mismatch(self) -> bool:
        """True when both exist and differ by more than 0.01."""
        return self.difference is not None and abs(self.difference) > MISMATCH_TOLERANCE


def check_overall(assessment: Assessment) -> OverallCheck:
    """Compare the official overall score with the one computed from the parts."""
    return OverallCheck(official=assessment.official_score, computed=compute_overall(assessment))


@dataclass(frozen=True)
class SubIndicatorCheck:
    """An OIT sub-indicator's published score beside the one its items give."""

    sub_indicator: SubIndicator
    items: int
    failed: int
    official: Decimal | None
    computed: Decimal

    @property
    def mismatch(self) -> bool:
        return self.official is not None and abs(self.computed - self.official) > MISMATCH_TOLERANCE


@dataclass(frozen=True)
class IndicatorCheck:
    """An OIT indicator's published score beside the mean of its sub-indicators' computed
    scores, each computed from its items (:func:`sub_indicator_score`)."""

    indicator: Indicator
    official: Decimal | None
    computed: Decimal
    subs: list[SubIndicatorCheck]

    @property
    def mismatch(self) -> bool:
        return self.official is not None and abs(self.computed - self.official) > MISMATCH_TOLERANCE

    @property
    def consistent(self) -> bool:
        """The items reproduce the published indicator score: then a sub-indicator figure that
        differs from its computed value is the source's error (seed 001's 9.1 = 83.33), not the
        items'."""
        return self.official is not None and not self.mismatch


def check_sub_indicators(assessment: Assessment) -> list[IndicatorCheck]:
    """Every OIT indicator whose sub-indicators list their items, computed from the items.

    The NACC's evaluator names only the items that failed, so an item without a score counts as
    passed; the result is trusted only when it reproduces the published indicator score
    (:attr:`IndicatorCheck.consistent`). Dusit 2564: 9.1 has 9 items with O1 failed (88.89) and
    9.5 has 5 with O29 failed (80.00), so indicator 9 = mean(88.89, 100, 100, 100, 80) = 93.78 as
    published, while the memo's "9.1 = 83.33" cannot be (it would give 92.67).
    """
    framework = assessment.framework
    scores = ScoreSet.of(assessment)
    items_of: dict[int, list[int]] = {}
    for pk, sub_id in framework.questions.filter(
        indicator__tool__code=Tool.Code.OIT, sub_indicator__isnull=False
    ).values_list("pk", "sub_indicator_id"):
        items_of.setdefault(sub_id, []).append(pk)
    subs_of: dict[int, list[SubIndicator]] = {}
    for sub in SubIndicator.objects.filter(pk__in=items_of).select_related("indicator"):
        subs_of.setdefault(sub.indicator_id, []).append(sub)
    checks = []
    for indicator in framework.indicators.filter(pk__in=subs_of).order_by("number"):
        subs = []
        for sub in sorted(subs_of[indicator.pk], key=lambda s: s.code):
            item_scores = [scores.questions.get(pk, PASSED_ITEM) for pk in items_of[sub.pk]]
            subs.append(
                SubIndicatorCheck(
                    sub_indicator=sub,
                    items=len(item_scores),
                    failed=sum(1 for score in item_scores if score != PASSED_ITEM),
                    official=scores.sub_indicators.get(sub.pk),
                    computed=sub_indicator_score(item_scores),
                )
            )
        computed = round_score(mean([sub.computed for sub in subs]))
        checks.append(
            IndicatorCheck(indicator, scores.indicators.get(indicator.pk), computed, subs)
        )
    return checks
