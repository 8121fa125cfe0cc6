"""Vector charts for the report: horizontal bars comparing a figure across three periods.

The geometry is computed here; templates draw it as inline SVG, so the page and the PDF carry
the same chart, sharp at any zoom and in print.
"""

from dataclasses import dataclass

from campaign.metrics.charts import nice_ceiling
from campaign.reports.figures import Compared

SERIES = ("now", "previous", "year_before")  # CSS classes; the legend names them
# Drawn as SVG fill attributes, so a PDF renderer that ignores the page's CSS for SVG colours them too.
COLOURS = {"now": "#111111", "previous": "#c9a400", "year_before": "#bbbbbb"}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str
    value: int

    @property
    def colour(self) -> str:
        return COLOURS[self.series]


@dataclass(frozen=True)
class Row:
    label: str
    y: float  # the baseline of the label
    bars: list[Bar]


@dataclass(frozen=True)
class ComparisonChart:
    width: int
    height: int
    top: int
    rows: list[Row]

    @property
    def empty(self) -> bool:
        return not self.rows


def comparison_chart(
    rows: list[tuple[str, Compared]], width: int = 420, bar_height: int = 13
) -> ComparisonChart:
    """One group per row: its label on a line of its own (long theme names stay whole, also on a
    phone), then three bars: this period, the one before, the same one a year earlier."""
    top = nice_ceiling(max([max(r.now, r.previous, r.year_before) for _label, r in rows] or [1]))
    plot = width - 45  # room for the value after the longest bar
    label_height, gap = 19, 12
    group = label_height + 3 * bar_height + gap
    drawn = []
    for index, (label, row) in enumerate(rows):
        y0 = index * group
        bars = [
            Bar(
                x=0,
                y=y0 + label_height + i * bar_height,
                width=round(plot * value / top, 1),
                height=bar_height - 2,
                series=series,
                value=value,
            )
            for i, (series, value) in enumerate(
                zip(SERIES, (row.now, row.previous, row.year_before), strict=True)
            )
        ]
        drawn.append(Row(label=label, y=y0 + label_height - 4, bars=bars))
    return ComparisonChart(width=width, height=max(len(rows) * group - gap + 2, 1), top=top, rows=drawn)
