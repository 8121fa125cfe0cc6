"""The report as CSV: one row per figure, with the period, the one before and the same one a year earlier.

Aggregates and the organisation's own texts only; no supporter's or reviewer's personal data.
"""

import csv
import io

from flask_babel import gettext as _

from campaign.csvcells import cell
from campaign.metrics.opendata import country_name
from campaign.metrics.regions import PROVINCES
from campaign.reports.labels import delivery_label
from campaign.reports.report import Report


def report_csv(report: Report, locale: str = "nl") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    period = report.period
    writer.writerow(
        [
            _("onderdeel"),
            _("onderwerp"),
            period.label,
            period.previous().label,
            period.year_before().label,
            _("toelichting"),
        ]
    )

    def compared(section: str, name: str, row, note: str = "") -> None:
        writer.writerow([cell(section), cell(name), row.now, row.previous, row.year_before, cell(note)])

    def text(section: str, name: str, note: str, value="") -> None:
        writer.writerow([cell(section), cell(name), value, "", "", cell(note)])

    compared(_("handtekeningen"), _("bevestigd in de periode"), report.signatures)
    text(_("handtekeningen"), _("totaal tot het einde van de periode"), "", report.signatures_total)
    for theme, row, outcomes in report.theme_lines:
        compared(_("thema"), theme.name(locale), row, _("%(n)s veranderingen", n=outcomes))
    for row in report.provinces:
        compared(_("provincie"), PROVINCES.get(row.key, row.key), row)
    for row in report.countries:
        compared(_("land"), country_name(row.key, locale) if row.key else _("onbekend"), row)
    for row in report.deliveries:
        compared(_("bezorging"), delivery_label(row.key), row)
    compared(_("bezorging"), _("mislukt"), report.delivery_failures)
    compared(_("bezorging"), _("reacties van beslissers"), report.responses_compared)
    for response in report.responses:
        who = response.target.name if response.target else ""
        text(
            _("reactie"),
            response.petition.title,
            f"{who}: {response.summary}" if who else response.summary,
            response.received_on.isoformat(),
        )
    for group, lines in (
        (_("petitie actief"), report.petitions["active"]),
        (_("petitie geopend"), report.petitions["opened"]),
        (_("petitie gesloten"), report.petitions["closed"]),
    ):
        for line in lines:
            text(group, line.title, _("%(n)s in totaal", n=line.signatures_total), line.signatures_in_period)
    for _key, label, outcomes in report.outcomes:
        for outcome in outcomes:
            validation = "; ".join(f"{r.status_label}: {r.shown_name}" for r in outcome.reviews if r.answered)
            note = " | ".join(
                part
                for part in (
                    outcome.happened_on.isoformat(),
                    _("bijdrage: %(level)s", level=outcome.contribution_label),
                    ", ".join(outcome.contributor_names),
                    validation,
                )
                if part
            )
            text(label, outcome.title, note)
    for milestone in report.milestones:
        text(_("mijlpaal"), milestone.petition_title, milestone.reached_on.isoformat(), milestone.threshold)
    for lesson in report.lessons:
        text(_("les: wat werkte"), lesson.petition.title, lesson.what_worked)
        text(_("les: wat we veranderen"), lesson.petition.title, lesson.what_we_change)
    for review in report.reviews:
        if review.answered:
            text(_("externe validatie"), review.shown_name, review.comment, review.status_label)
    return out.getvalue()
