"""The peer of the score import: django-import-export with its defaults on a plain ModelResource.

It reads the same question rows as the portal (unit code, year, question code, score, lowest-option
share, remark) and resolves the two foreign keys with stock ForeignKeyWidgets narrowed to the
row's year, as one would write it without the portal's preloading, bulk writes and checks.
"""

from import_export import fields, resources, widgets

from assessments.models import Assessment, Question, QuestionScore


class AssessmentOfYearWidget(widgets.ForeignKeyWidget):
    """The assessment of a unit code in the row's fiscal year."""

    def __init__(self):
        super().__init__(Assessment, field="unit__code")

    def get_queryset(self, value, row, *args, **kwargs):
        return Assessment.objects.filter(fiscal_year__year=row["year"])


class QuestionOfYearWidget(widgets.ForeignKeyWidget):
    """A question code in the framework of the row's fiscal year."""

    def __init__(self):
        super().__init__(Question, field="code")

    def get_queryset(self, value, row, *args, **kwargs):
        return Question.objects.filter(framework__fiscal_years__year=row["year"])


class PeerQuestionScoreResource(resources.ModelResource):
    assessment = fields.Field(
        attribute="assessment", column_name="unit", widget=AssessmentOfYearWidget()
    )
    question = fields.Field(
        attribute="question", column_name="question", widget=QuestionOfYearWidget()
    )

    class Meta:
        model = QuestionScore
        fields = ("assessment", "question", "score", "lowest_option_share", "remark")
        import_id_fields = ("assessment", "question")
