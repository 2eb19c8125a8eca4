"""The SVG charts: drawn from the numbers given, without inline CSS, and drawn once per data."""

from decimal import Decimal

from ita_portal import charts

ROWS = [("1 การปฏิบัติหน้าที่", Decimal("90.40")), ("2 การใช้งบประมาณ", Decimal("70.10"))]


def test_an_indicator_chart_shows_each_score_and_colours_the_one_below_target():
    svg = charts.indicator_chart_svg(ROWS, target=Decimal("85"))

    assert svg.startswith("<svg")
    assert f'fill="{charts.PASS_COLOUR}"' in svg
    assert f'fill="{charts.BELOW_COLOUR}"' in svg
    assert "style=" not in svg  # the Content-Security-Policy allows no inline style


def test_the_same_numbers_give_the_chart_already_drawn():
    first = charts.indicator_chart_svg(list(ROWS), target=Decimal("85"))

    again = charts.indicator_chart_svg(list(ROWS), target=Decimal("85"))

    assert again is first


def test_a_changed_score_draws_a_new_chart():
    before = charts.indicator_chart_svg(ROWS, target=Decimal("85"))

    after = charts.indicator_chart_svg(
        [ROWS[0], (ROWS[1][0], Decimal("86.00"))], target=Decimal("85")
    )

    assert after != before
    assert f'fill="{charts.BELOW_COLOUR}"' not in after


def test_trend_charts_are_kept_by_their_series_and_years():
    series = {"เขตดุสิต": [(2565, Decimal("88.10")), (2566, Decimal("90.40"))]}

    first = charts.trend_chart_svg(series)

    assert charts.trend_chart_svg({"เขตดุสิต": list(series["เขตดุสิต"])}) is first
    assert charts.trend_chart_svg({"เขตดุสิต": [(2565, Decimal("88.10"))]}) != first
