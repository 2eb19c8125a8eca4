"""One meaning per sign: ◆ marks a score below the pass mark and ▼ only a fall since the year
before, on every page that shows scores, with a legend naming both."""

import pytest
from django.urls import reverse

FALL = '<span class="change down"><span aria-hidden="true">▼ </span>'
LEGEND_FALL = '<span class="change down" aria-hidden="true">▼</span>'
pytestmark = pytest.mark.django_db


def _signs(content: str) -> tuple[str, int]:
    """The page without its falls and legend, and how many scores below target it marks."""
    return content.replace(FALL, "").replace(LEGEND_FALL, ""), content.count('class="score below"')


@pytest.mark.parametrize(
    "url, login",
    [
        ("/dashboards/overview/?year=2566", True),
        ("/dashboards/units/bma/2566/", True),
        ("/dashboards/units/dusit/2564/", True),
        ("/bma/2566/", False),
        ("/bma/", False),
        ("/", False),
    ],
)
def test_the_fall_sign_never_marks_a_score_below_target(client, central_team, url, login):
    if login:
        client.force_login(central_team)
    content = client.get(url).content.decode()
    rest, below = _signs(content)
    assert "▼" not in rest
    assert below > 0
    assert "ต่ำกว่าเกณฑ์" in content and "ลดลงจากปีก่อน" in content  # the legend


def test_the_overview_shows_both_signs_with_their_meanings(client, central_team):
    client.force_login(central_team)
    content = client.get(reverse("dashboards:overview"), {"year": 2566}).content.decode()
    assert FALL in content
    assert '<span aria-hidden="true">◆ </span>' in content
    assert '<p class="legend signs">เครื่องหมาย:' in content
