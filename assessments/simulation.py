"""What-if: the scores, overall, level and pass that follow from target scores, and the smallest
changes that reach a goal.

Everything is computed by the rules of :mod:`assessments.scoring`, level and pass included, on an
in-memory :class:`~assessments.scoring.ScoreSet`; nothing here restates the arithmetic.
A target moves the level above it by what it moves that level's rule: a question moves its
sub-indicator by the change of :func:`~assessments.scoring.sub_indicator_score` over the
sub-indicator's items (or, for a question outside any sub-indicator, its indicator by the change
of the mean of the indicator's questions), a sub-indicator moves its indicator by the change of
the mean of the indicator's sub-indicators, and an indicator moves its tool's published scores
(EIT ส่วนที่ 1/2, the tool as published) by the change of the mean of the tool's indicators, so a
tool scored from its parts follows its indicators too. Scores not held count as unchanged, which
leaves these changes exact for the means; an item not held counts as passed.

A goal's smallest change is found by the same rules: each indicator's gain in the overall per
point is a finite difference of the simulated overall, and the fewest points that reach a goal
raise the indicators with the largest gain first (a greedy fill, which is the least total for a
weighted sum with a ceiling of 100 per indicator).
"""

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.db.models import Prefetch, prefetch_related_objects

from assessments.models import Assessment, Framework, Indicator, LevelBand, Question, SubIndicator
from assessments.scoring import (
    PASSED_ITEM,
    ScoreSet,
    ToolResult,
    exact_overall,
    mean,
    round_score,
    standing,
    sub_indicator_score,
    tool_results_for,
)

HIGHEST = Decimal("100.00")
LOWEST = Decimal("0.00")
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Targets:
    """Target scores by the pk of their indicator, sub-indicator or question."""

    indicators: Mapping[int, Decimal] = field(default_factory=dict)
    sub_indicators: Mapping[int, Decimal] = field(default_factory=dict)
    questions: Mapping[int, Decimal] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.indicators or self.sub_indicators or self.questions)


@dataclass(frozen=True)
class Outcome:
    """Scores and what follows from them under one framework."""

    scores: ScoreSet
    tools: list[ToolResult]
    exact: Decimal | None  # the overall before rounding
    overall: Decimal | None
    level: LevelBand | None
    passed: bool | None

    def reaches(self, goal: Decimal) -> bool:
        """Whether the overall, as published (two places), is at least ``goal``."""
        return self.overall is not None and self.overall >= goal


class FrameworkItems:
    """A framework's tools, levels, indicators, sub-indicators and questions, read once (five
    queries, none when prefetched already) and grouped as the rules need them."""

    def __init__(self, framework: Framework):
        prefetch_related_objects(
            [framework],
            "tools",
            "levels",
            Prefetch("indicators", queryset=Indicator.objects.select_related("tool")),
            "indicators__sub_indicators",
            "questions",
        )
        self.framework = framework
        self.indicators: list[Indicator] = list(framework.indicators.all())
        self.sub_indicators: list[SubIndicator] = [
            sub for indicator in self.indicators for sub in indicator.sub_indicators.all()
        ]
        self.questions: list[Question] = list(framework.questions.all())
        self.subs_of: dict[int, list[int]] = defaultdict(list)
        for sub in self.sub_indicators:
            self.subs_of[sub.indicator_id].append(sub.pk)
        self.items_of_sub: dict[int, list[int]] = defaultdict(list)
        self.questions_of: dict[int, list[int]] = defaultdict(list)
        for question in self.questions:
            if question.sub_indicator_id:
                self.items_of_sub[question.sub_indicator_id].append(question.pk)
            elif not self.subs_of.get(question.indicator_id):
                self.questions_of[question.indicator_id].append(question.pk)
        self.indicators_of_tool: dict[int, list[int]] = defaultdict(list)
        for indicator in self.indicators:
            self.indicators_of_tool[indicator.tool_id].append(indicator.pk)

    def moves_its_indicator(self, question: Question) -> bool:
        """A question outside any sub-indicator of an indicator that has them moves nothing."""
        return bool(question.sub_indicator_id) or not self.subs_of.get(question.indicator_id)


def outcome(items: FrameworkItems, scores: ScoreSet) -> Outcome:
    """The tool scores, overall, level and pass that ``scores`` give under the framework."""
    tools = tool_results_for(items.framework, scores)
    exact = exact_overall(tools)
    overall = None if exact is None else round_score(exact)
    level, passed = standing(items.framework, overall)
    return Outcome(scores, tools, exact, overall, level, passed)


def _clamp(value: Decimal) -> Decimal:
    return min(max(value, LOWEST), HIGHEST)


def _moved(
    parent: Decimal | None,
    children: Sequence[int],
    old: Mapping[int, Decimal],
    new: Mapping[int, Decimal],
    rule: Callable[[Sequence[Decimal]], Decimal],
    filler: Decimal,
    bounded: bool = True,
) -> Decimal | None:
    """``parent`` moved by what moving its children from ``old`` to ``new`` moves ``rule`` of
    them; children held in neither count as ``filler``. A parent not held is taken as the rule
    of its children when all of them are held, else it stays unknown. ``bounded`` keeps the
    result within 0–100."""
    before = [old.get(pk, filler) for pk in children]
    after = [new.get(pk, old.get(pk, filler)) for pk in children]
    if before == after:
        return parent
    if parent is None:
        if not all(pk in new or pk in old for pk in children):
            return None
        return _clamp(rule(after))
    moved = parent + rule(after) - rule(before)
    return _clamp(moved) if bounded else moved


def apply_targets(items: FrameworkItems, scores: ScoreSet, targets: Targets) -> ScoreSet:
    """The scores with ``targets`` set and every level above them moved by its rule; a target
    set on a level wins over what the levels below it would give."""
    questions = {**scores.questions, **targets.questions}
    subs = dict(scores.sub_indicators)
    for sub in items.sub_indicators:
        moved = _moved(
            subs.get(sub.pk),
            items.items_of_sub[sub.pk],
            scores.questions,
            questions,
            sub_indicator_score,
            PASSED_ITEM,
        )
        if moved is not None:
            subs[sub.pk] = round_score(moved)
    subs.update(targets.sub_indicators)

    indicators = dict(scores.indicators)
    for indicator in items.indicators:
        if items.subs_of.get(indicator.pk):
            children, old, new = items.subs_of[indicator.pk], scores.sub_indicators, subs
        else:
            children, old, new = items.questions_of[indicator.pk], scores.questions, questions
        moved = _moved(indicators.get(indicator.pk), children, old, new, mean, LOWEST)
        if moved is not None:
            indicators[indicator.pk] = moved
    indicators.update(targets.indicators)

    tools = dict(scores.tools)
    for (tool_pk, part), value in scores.tools.items():
        # Unbounded: EIT's two parts move together, so capping the higher one at 100 would keep
        # EIT below 100 with all its indicators at 100; the tool, their mean, moves exactly as
        # its indicators' mean does.
        tools[(tool_pk, part)] = _moved(
            value,
            items.indicators_of_tool[tool_pk],
            scores.indicators,
            indicators,
            mean,
            LOWEST,
            bounded=False,
        )
    return ScoreSet(tools=tools, indicators=indicators, sub_indicators=subs, questions=questions)


@dataclass(frozen=True)
class Gain:
    """What one more point on an indicator adds to the overall (before rounding)."""

    indicator: Indicator
    current: Decimal
    per_point: Decimal


def indicator_gains(items: FrameworkItems, scores: ScoreSet) -> list[Gain]:
    """Each scored indicator's gain in the overall per point, largest first, measured as the
    change of the simulated overall when the indicator moves by one point."""
    base = outcome(items, scores).exact
    if base is None:
        return []
    gains = []
    for indicator in items.indicators:
        current = scores.indicators.get(indicator.pk)
        if current is None:
            continue
        step = Decimal(1) if current <= HIGHEST - 1 else Decimal(-1)
        moved = outcome(
            items, apply_targets(items, scores, Targets(indicators={indicator.pk: current + step}))
        ).exact
        gains.append(Gain(indicator, current, (moved - base) / step))
    return sorted(gains, key=lambda g: (-g.per_point, g.indicator.number))


@dataclass(frozen=True)
class Change:
    """Raising one indicator from its score to a target."""

    indicator: Indicator
    current: Decimal
    target: Decimal
    per_point: Decimal

    @property
    def points(self) -> Decimal:
        return self.target - self.current


@dataclass(frozen=True)
class Goal:
    """An overall score to reach and what it is."""

    label: str
    value: Decimal


@dataclass(frozen=True)
class GoalPlan:
    """The ways to reach a goal: one indicator alone (None where 100 is not enough) and the
    fewest points over several indicators (None when even 100 on all of them is not enough)."""

    goal: Goal
    reached: bool
    alone: list[tuple[Gain, Change | None]]
    combined: list[Change] | None

    @property
    def combined_points(self) -> Decimal | None:
        if self.combined is None:
            return None
        return sum((change.points for change in self.combined), Decimal(0))


def _lowest_target(
    items: FrameworkItems,
    scores: ScoreSet,
    gain: Gain,
    fixed: Mapping[int, Decimal],
    goal: Decimal,
) -> Decimal | None:
    """The lowest score (in hundredths) on ``gain``'s indicator that, with ``fixed``, reaches
    ``goal``; None if 100 does not. A search over the simulated outcome, which rises with it."""

    def reaches(score: Decimal) -> bool:
        targets = Targets(indicators={**fixed, gain.indicator.pk: score})
        return outcome(items, apply_targets(items, scores, targets)).reaches(goal)

    if not reaches(HIGHEST):
        return None
    low = int((gain.current * 100).to_integral_value(rounding=ROUND_CEILING))
    high = int(HIGHEST * 100)  # reaches(high) holds
    while low < high:
        middle = (low + high) // 2
        if reaches(Decimal(middle) * HUNDREDTH):
            high = middle
        else:
            low = middle + 1
    return Decimal(high) * HUNDREDTH


def plan(items: FrameworkItems, scores: ScoreSet, goal: Goal) -> GoalPlan:
    """The smallest changes of indicator scores that bring the overall to ``goal``."""
    if outcome(items, scores).reaches(goal.value):
        return GoalPlan(goal, True, [], [])
    gains = [g for g in indicator_gains(items, scores) if g.per_point > 0 and g.current < HIGHEST]
    alone = []
    for gain in gains:
        target = _lowest_target(items, scores, gain, {}, goal.value)
        change = (
            None if target is None else Change(gain.indicator, gain.current, target, gain.per_point)
        )
        alone.append((gain, change))
    combined: list[Change] | None = None
    fixed: dict[int, Decimal] = {}
    steps = []
    for gain in gains:  # largest gain first
        target = _lowest_target(items, scores, gain, fixed, goal.value)
        if target is not None:
            steps.append(Change(gain.indicator, gain.current, target, gain.per_point))
            combined = [step for step in steps if step.points > 0]
            break
        fixed[gain.indicator.pk] = HIGHEST
        steps.append(Change(gain.indicator, gain.current, HIGHEST, gain.per_point))
    return GoalPlan(goal, False, alone, combined)


def goals(framework: Framework, unit_target: Decimal | None = None) -> list[Goal]:
    """The overall scores worth reaching: the pass mark, the framework's target when it differs,
    and the unit's own target when it has one."""
    found = [Goal("คะแนนผ่านเกณฑ์", framework.pass_mark)]
    if framework.weakness_target != framework.pass_mark:
        found.append(Goal("ค่าเป้าหมายของเกณฑ์", framework.weakness_target))
    if unit_target is not None:
        found.append(Goal("ค่าเป้าหมายของหน่วยงาน", unit_target))
    return found


@dataclass(frozen=True)
class Simulation:
    """An assessment's scores as held, the same with the targets set, and the plans to reach
    each goal from the targets' scores."""

    items: FrameworkItems
    before: Outcome
    after: Outcome
    gains: list[Gain]
    plans: list[GoalPlan]


def simulate(
    assessment: Assessment,
    targets: Targets,
    *,
    items: FrameworkItems | None = None,
    unit_target: Decimal | None = None,
) -> Simulation:
    """What ``targets`` make of ``assessment`` under its year's framework, and how to reach the
    pass mark and the other goals from there (``unit_target``: the unit's own overall target)."""
    items = items or FrameworkItems(assessment.framework)
    scores = ScoreSet.of(assessment)
    simulated = apply_targets(items, scores, targets)
    return Simulation(
        items=items,
        before=outcome(items, scores),
        after=outcome(items, simulated),
        gains=indicator_gains(items, simulated),
        plans=[plan(items, simulated, goal) for goal in goals(items.framework, unit_target)],
    )
