"""Charts as inline SVG, drawn by matplotlib with the portal's Sarabun font.

Every glyph is written as a path, so the same SVG looks identical in a browser and in WeasyPrint,
which cannot reach @font-face fonts from inside an SVG (reference memo_and_pdf.md §7).

A chart is a pure function of its numbers and drawing one costs 50–150 ms, far more than the
queries behind it, so each process keeps the last CHART_CACHE_SIZE charts it drew (a few MB),
keyed by those numbers: a new score gives a new key, so nothing is ever stale.
"""

import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache, lru_cache

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from portal_core.thai import digits

PASS_COLOUR = "#1b6e3a"
BELOW_COLOUR = "#b3261e"
LINE_COLOURS = ("#0b5cad", "#c05a00", "#5b2a86", "#1b6e3a")
CHART_CACHE_SIZE = 128
PNG_DPI = 150
NO_DATA = "ไม่มีข้อมูล"


@cache
def _pyplot():
    """Import matplotlib once, headless, with Sarabun registered."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    for path in sorted((settings.BASE_DIR / "static" / "fonts" / "sarabun").glob("*.ttf")):
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams.update(
        {
            "font.family": "Sarabun",
            "font.size": 11,
            "svg.fonttype": "path",
            "svg.hashsalt": "ita-portal",
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


_ID = re.compile(r'id="([^"]+)"')
_STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"\s*<style[^>]*>.*?</style>", re.S)
_ROOT_STYLE = 'stroke-linejoin="round" stroke-linecap="butt"'


def _presentation_attributes(match: re.Match) -> str:
    """``style="fill: #fff; stroke-width: 0.8"`` as ``fill="#fff" stroke-width="0.8"``."""
    pairs = (part.split(":", 1) for part in match[1].split(";") if ":" in part)
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)


def _without_inline_css(text: str) -> str:
    """The SVG with matplotlib's CSS turned into SVG presentation attributes.

    The Content-Security-Policy allows no inline style (``style-src 'self'``): matplotlib's
    ``<style>*{stroke-linejoin: round; stroke-linecap: butt}</style>`` becomes inherited attributes
    on the root element, and every ``style`` attribute (fill, stroke, stroke-width, dashes…, all
    presentation attributes) becomes attributes, which browsers and WeasyPrint draw alike.
    """
    text = _STYLE_ELEMENT.sub("", text)
    text = text.replace("<svg ", f"<svg {_ROOT_STYLE} ", 1)
    return _STYLE_ATTRIBUTE.sub(_presentation_attributes, text)


def _png(fig) -> bytes:
    """The figure as a PNG at print resolution (the memo's Word copy cannot hold an SVG)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=PNG_DPI, bbox_inches="tight", metadata={"Software": None})
    _pyplot().close(fig)
    return buffer.getvalue()


def _drawn(fig, fmt: str) -> str | bytes:
    return _png(fig) if fmt == "png" else _svg(fig)


def _svg(fig) -> SafeString:
    """The figure as an inline <svg>, its ids prefixed so two charts on one page never clash;
    drawn from the portal's own numbers, so safe to embed as is."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    _pyplot().close(fig)
    text = buffer.getvalue()
    text = _without_inline_css(text[text.index("<svg") :])
    prefix = "c" + hashlib.sha1(text.encode()).hexdigest()[:8] + "-"
    text = _ID.sub(lambda m: f'id="{prefix}{m[1]}"', text)
    return mark_safe(text.replace('href="#', f'href="#{prefix}').replace("url(#", f"url(#{prefix}"))


def forget_drawn_charts() -> None:
    """Empty this process's chart cache (the benchmark times a first drawing)."""
    _indicator_chart.cache_clear()
    _trend_chart.cache_clear()
    _bar_chart.cache_clear()


def _bar_values(rows, target: Decimal) -> tuple[list[float], list[str]]:
    """Bar lengths (0 for a missing score) and colours: green from the target up, else red."""
    values = [float(value) if value is not None else 0.0 for _, value in rows]
    colours = [
        PASS_COLOUR if value is not None and value >= target else BELOW_COLOUR for _, value in rows
    ]
    return values, colours


def indicator_chart_svg(
    rows: Sequence[tuple[str, Decimal | None]],
    *,
    target: Decimal = Decimal("85"),
    thai_numerals: bool = False,
    width_cm: float = 16,
    fmt: str = "svg",
) -> str | bytes:
    """Bars of indicator scores against the target line; bars below the target in red.
    An inline SVG, or PNG bytes with ``fmt="png"``."""
    return _indicator_chart(tuple(rows), target, thai_numerals, width_cm, fmt)


@lru_cache(maxsize=CHART_CACHE_SIZE)
def _indicator_chart(
    rows: tuple[tuple[str, Decimal | None], ...],
    target: Decimal,
    thai_numerals: bool,
    width_cm: float,
    fmt: str,
) -> str | bytes:
    plt = _pyplot()
    labels = [label for label, _ in rows]
    values, colours = _bar_values(rows, target)
    fig, ax = plt.subplots(figsize=(width_cm / 2.54, 0.42 * len(rows) + 0.9))
    positions = range(len(rows))
    ax.barh(list(positions), values, color=colours, height=0.62)
    ax.axvline(float(target), color="#333333", linestyle="--", linewidth=1)
    ax.text(
        float(target),
        -0.6,
        digits(f"เป้าหมาย {target:.0f}", thai=thai_numerals),
        ha="center",
        va="bottom",
        fontsize=9,
    )
    for y, (_, value) in zip(positions, rows, strict=True):
        text = NO_DATA if value is None else digits(f"{value:.2f}", thai=thai_numerals)
        ax.text(min(float(value or 0), 100) + 1, y, text, va="center", fontsize=9)
    ax.set_yticks(list(positions), labels)
    ax.set_ylim(len(rows) - 0.5, -1.1)
    ax.set_xlim(0, 110)
    ticks = [0, 20, 40, 60, 80, 100]
    ax.set_xticks(ticks, [digits(t, thai=thai_numerals) for t in ticks])
    return _drawn(fig, fmt)


def bar_chart_svg(
    bars: Sequence[tuple[str, Decimal | None]],
    *,
    target: Decimal = Decimal("85"),
    thai_numerals: bool = False,
    width_cm: float = 12,
    fmt: str = "svg",
) -> str | bytes:
    """Upright bars (a year's overall score, scores over years, scores by tool) against the
    target line, each labelled with its score; a bar without a score reads ไม่มีข้อมูล.
    An inline SVG, or PNG bytes with ``fmt="png"``."""
    return _bar_chart(tuple(bars), target, thai_numerals, width_cm, fmt)


@lru_cache(maxsize=CHART_CACHE_SIZE)
def _bar_chart(
    bars: tuple[tuple[str, Decimal | None], ...],
    target: Decimal,
    thai_numerals: bool,
    width_cm: float,
    fmt: str,
) -> str | bytes:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(width_cm / 2.54, 2.6))
    positions = list(range(len(bars)))
    values, colours = _bar_values(bars, target)
    ax.bar(positions, values, color=colours, width=0.55)
    for x, (_, value) in zip(positions, bars, strict=True):
        text = NO_DATA if value is None else digits(f"{value:.2f}", thai=thai_numerals)
        ax.text(x, float(value or 0) + 1.5, text, ha="center", va="bottom", fontsize=9)
    ax.axhline(float(target), color="#333333", linestyle="--", linewidth=1)
    ax.set_xticks(positions, [label for label, _ in bars])
    ax.set_xlim(-0.6, len(bars) - 0.4)
    ax.set_ylim(0, 110)
    ticks = [0, 20, 40, 60, 80, 100]
    ax.set_yticks(ticks, [digits(t, thai=thai_numerals) for t in ticks])
    return _drawn(fig, fmt)


def trend_chart_svg(
    series: Mapping[str, Sequence[tuple[int, Decimal | None]]],
    *,
    target: Decimal = Decimal("85"),
    thai_numerals: bool = False,
    width_cm: float = 16,
    fmt: str = "svg",
) -> str | bytes:
    """Lines of scores over fiscal years (gaps where a year has no score) with the target line.
    An inline SVG, or PNG bytes with ``fmt="png"``."""
    frozen = tuple((name, tuple(points)) for name, points in series.items())
    return _trend_chart(frozen, target, thai_numerals, width_cm, fmt)


@lru_cache(maxsize=CHART_CACHE_SIZE)
def _trend_chart(
    series: tuple[tuple[str, tuple[tuple[int, Decimal | None], ...]], ...],
    target: Decimal,
    thai_numerals: bool,
    width_cm: float,
    fmt: str,
) -> str | bytes:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(width_cm / 2.54, 2.6))
    years = sorted({year for _, points in series for year, _ in points})
    for colour, (name, points) in zip(LINE_COLOURS * 4, series, strict=False):
        by_year = dict(points)
        ys = [float(by_year[y]) if by_year.get(y) is not None else float("nan") for y in years]
        ax.plot(years, ys, marker="o", color=colour, label=name)
        for x, y in zip(years, ys, strict=True):
            if y == y:  # skip the NaN gaps
                label = digits(f"{y:.2f}", thai=thai_numerals)
                ax.annotate(
                    label,
                    (x, y),
                    textcoords="offset points",
                    xytext=(0, 6),
                    ha="center",
                    fontsize=8,
                )
    ax.axhline(float(target), color="#333333", linestyle="--", linewidth=1)
    ax.set_xticks(years, [digits(y, thai=thai_numerals) for y in years])
    low = min([float(v) for _, pts in series for _, v in pts if v is not None] + [80.0])
    bottom = max(0, low - 5)
    ax.set_ylim(bottom, 102)
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)  # every year, even where no line reaches
    ticks = [t for t in ax.get_yticks() if bottom <= t <= 102]
    ax.set_yticks(ticks, [digits(f"{t:.0f}", thai=thai_numerals) for t in ticks])
    scored = {year for _, points in series for year, value in points if value is not None}
    for year in years:
        if year not in scored:  # say why the line breaks there
            ax.text(year, bottom + 1, NO_DATA, ha="center", va="bottom", fontsize=8, color="#555")
    if len(series) > 1:
        ax.legend(loc="lower left", fontsize=8, frameon=False)
    return _drawn(fig, fmt)
