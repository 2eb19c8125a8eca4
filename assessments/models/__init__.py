"""Units, fiscal years, the ITA framework and the scores of each assessment."""

from assessments.models.framework import (
    Confidence,
    FiscalYear,
    Framework,
    Indicator,
    LevelBand,
    Question,
    SubIndicator,
    Tool,
)
from assessments.models.org import Membership, OrgUnit
from assessments.models.publication import PublicationVersion
from assessments.models.results import (
    Assessment,
    IndicatorScore,
    QuestionScore,
    SubIndicatorScore,
    ToolScore,
)
from assessments.models.state_change import StateChange
from assessments.models.submission import FormSubmission

__all__ = [
    "Assessment",
    "Confidence",
    "FiscalYear",
    "FormSubmission",
    "Framework",
    "Indicator",
    "IndicatorScore",
    "LevelBand",
    "Membership",
    "OrgUnit",
    "PublicationVersion",
    "Question",
    "QuestionScore",
    "StateChange",
    "SubIndicator",
    "SubIndicatorScore",
    "Tool",
    "ToolScore",
]
