"""The report with its rows named and its charts drawn, in the reader's language: what templates show."""

from dataclasses import dataclass

from campaign.metrics.opendata import country_name
from campaign.metrics.regions import PROVINCES
from campaign.reports.charts import ComparisonChart, comparison_chart
from campaign.reports.figures import Compared
from campaign.reports.labels import delivery_label
from campaign.reports.report import Report


@dataclass(frozen=True)
class ReportPage:
    report: Report
    theme_rows: list[tuple[str, Compared]]
    theme_outcomes: dict[str, int]
    province_rows: list[tuple[str, Compared]]
    country_rows: list[tuple[str, Compared]]
    delivery_rows: list[tuple[str, Compared]]
    theme_chart: ComparisonChart
    province_chart: ComparisonChart
    country_chart: ComparisonChart


def report_page(report: Report, locale: str) -> ReportPage:
    theme_rows = [(theme.name(locale), row) for theme, row, _n in report.theme_lines]
    province_rows = [(PROVINCES.get(row.key, row.key), row) for row in report.provinces]
    country_rows = [(country_name(row.key, locale) if row.key else "?", row) for row in report.countries]
    return ReportPage(
        report=report,
        theme_rows=theme_rows,
        theme_outcomes={theme.name(locale): n for theme, _row, n in report.theme_lines},
        province_rows=province_rows,
        country_rows=country_rows,
        delivery_rows=[(delivery_label(row.key), row) for row in report.deliveries],
        theme_chart=comparison_chart(theme_rows),
        province_chart=comparison_chart(province_rows),
        country_chart=comparison_chart(country_rows[:10]),
    )
