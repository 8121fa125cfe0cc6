"""Server-rendered charts: the geometry is computed here, the templates only draw it as SVG.

No JavaScript and no third-party service. Every chart is drawn from the same list of points that
fills the table beside it, so the two cannot disagree.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_left: int
    plot_bottom: int
    bars: list[Bar]
    ticks: list[Tick]
    first_label: str
    last_label: str

    @property
    def points(self) -> list[tuple[str, int]]:
        return [(bar.label, bar.value) for bar in self.bars]

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 x 10^n at or above value (at least 1): a clean top for the axis."""
    if value <= 1:
        return 1
    magnitude = 1
    while magnitude * 10 < value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def bar_chart(points: list[tuple[str, int]], width: int = 640, height: int = 200) -> BarChart:
    """Vertical bars for (label, value) points, left to right, on a zero-based axis.

    The SVG holds only the plot (bars and grid lines) and is stretched to its box; the axis labels
    are HTML beside it (templates/public/_charts.html), so their size is the page's, in CSS pixels,
    on a phone as on a desktop, instead of shrinking with the drawing."""
    top = 1  # room for the top grid line
    plot_width, plot_height = width, height - top
    top_value = nice_ceiling(max((value for _, value in points), default=0))
    slot = plot_width / max(len(points), 1)
    gap = min(2.0, slot / 4)
    bars = []
    for index, (label, value) in enumerate(points):
        bar_height = plot_height * value / top_value
        bars.append(
            Bar(
                x=round(index * slot + gap / 2, 2),
                y=round(top + plot_height - bar_height, 2),
                width=round(slot - gap, 2),
                height=round(bar_height, 2),
                label=label,
                value=value,
            )
        )
    steps = (top_value, top_value // 2, 0) if top_value % 2 == 0 else (top_value, 0)
    ticks = [Tick(y=round(top + plot_height * (1 - value / top_value), 2), value=value) for value in steps]
    return BarChart(
        width=width,
        height=height,
        plot_left=0,
        plot_bottom=top + plot_height,
        bars=bars,
        ticks=ticks,
        first_label=points[0][0] if points else "",
        last_label=points[-1][0] if points else "",
    )
