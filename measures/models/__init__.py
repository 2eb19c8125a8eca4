"""Weaknesses, corrective measures, their progress, constraints and memos."""

from measures.models.disclosure import DisclosureItem, DisclosureLink
from measures.models.measure import Limitation, Measure, MeasureStep, ProgressUpdate
from measures.models.memo import (
    Memo,
    MemoNumberCounter,
    MemoPhoto,
    MemoRevision,
    MemoSignature,
)
from measures.models.memo_defaults import MemoTemplate, Signatory
from measures.models.weakness import IndicatorAnalysis, Weakness

__all__ = [
    "DisclosureItem",
    "DisclosureLink",
    "IndicatorAnalysis",
    "Limitation",
    "Measure",
    "MeasureStep",
    "Memo",
    "MemoNumberCounter",
    "MemoPhoto",
    "MemoRevision",
    "MemoSignature",
    "MemoTemplate",
    "ProgressUpdate",
    "Signatory",
    "Weakness",
]
