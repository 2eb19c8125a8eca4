"""Portal pages."""

from django.shortcuts import render

from assessments.models import Assessment


def home(request):
    """The landing page: every unit's latest published result."""
    latest = (
        Assessment.objects.published()
        .select_related("unit", "fiscal_year__framework")
        .order_by("unit__order", "unit__name", "-fiscal_year__year")
    )
    seen: set[int] = set()
    rows = []
    for assessment in latest:  # ordered so the first row of each unit is its latest year
        if assessment.unit_id not in seen:
            seen.add(assessment.unit_id)
            rows.append(assessment)
    return render(request, "portal/home.html", {"assessments": rows})
