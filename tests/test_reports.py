"""The four-monthly report: a seeded period with known figures, found in the studio page, the CSV
and the PDF's text; the routes' answers to bad input; and the cron making and mailing each ended
period's report exactly once, with two schedulers or a restarted one."""

import csv
import io
import threading

import pytest
from pypdf import PdfReader

from campaign.extensions import db
from campaign.models import ReportRun, ReportRunStatus
from campaign.models.base import utcnow
from campaign.reports.periods import Period, utc_of
from campaign.reports.runs import claim_report
from tests.report_seed import PERIOD, seed_period
from tests.studio_support import account, logged_in
from workers import reports as report_jobs


@pytest.fixture
def seeded(app):
    return seed_period()


@pytest.fixture
def viewer(app):
    return logged_in(app, "viewer")


def test_periods_are_four_months_in_amsterdam():
    period = Period.from_slug("2025-3")
    assert (period.start.isoformat(), period.end.isoformat()) == ("2025-09-01", "2026-01-01")
    assert period.previous() == Period(2025, 2) and period.year_before() == Period(2024, 3)
    assert Period(2025, 1).previous() == Period(2024, 3)
    assert utc_of(period.start).isoformat() == "2025-08-31T22:00:00"  # midnight in Amsterdam, summer time
    assert Period.current(utc_of(Period(2026, 2).start)) == Period(2026, 2)
    for bad in ("2025-4", "2025-0", "25-1", "2025-1.5", "", "1999-1"):
        assert Period.from_slug(bad) is None


def test_report_page_shows_the_seeded_figures(seeded, viewer):
    html = viewer.get(f"/studio/reports/{PERIOD}").get_data(as_text=True)
    assert "Viermaandenrapportage september-december 2025" in html
    # 9 signatures in the period (7 + 2), 3 in the one before, 4 a year earlier; 16 in all by its end.
    assert (
        '<tr><th scope="row">Bevestigd in de periode</th><td class="num">9</td><td class="num">3</td><td class="num">4</td></tr>'
        in html
    )
    assert "<strong>16</strong> handtekeningen in totaal" in html
    assert (
        '<th scope="row">Utrecht</th><td class="num">5</td><td class="num">0</td><td class="num">4</td>'
        in html
    )
    assert (
        '<th scope="row">Noord-Holland</th><td class="num">0</td><td class="num">3</td><td class="num">0</td>'
        in html
    )
    assert '<th scope="row">Duitsland</th><td class="num">2</td>' in html
    assert (
        '<th scope="row">Brieven van ondertekenaars</th><td class="num">3</td><td class="num">1</td><td class="num">0</td>'
        in html
    )
    assert '<th scope="row">Overhandigingen</th><td class="num">1</td>' in html
    assert '<th scope="row">Mislukt</th><td class="num">1</td>' in html
    assert "Kamer neemt verbod op gezichtsherkenning aan" in html and "Aanzienlijk" in html
    assert "Internationaal secretariaat, Bits of Freedom" in html
    assert "https://www.rijksoverheid.nl/besluit" in html
    assert "Oud resultaat" not in html  # an outcome of another period
    assert "Verhalen van getroffenen overtuigden Kamerleden." in html
    assert "doel bereikt" in html  # the technology petition passed its goal of 10 in the period
    assert "Geheime Naam" not in html and "@example.nl" not in html
    assert html.count("<svg") >= 2  # charts drawn as vectors, themes and provinces


def test_report_per_theme(seeded, viewer):
    html = viewer.get(f"/studio/reports/{PERIOD}?theme=discriminatie").get_data(as_text=True)
    assert (
        '<tr><th scope="row">Bevestigd in de periode</th><td class="num">2</td><td class="num">0</td><td class="num">0</td></tr>'
        in html
    )
    assert "Stop etnisch profileren" in html and "Stop gezichtsherkenning" not in html
    assert "Politie stopt met profileren" in html and "Kamer neemt verbod" not in html
    assert "Eerder samenwerken met lokale organisaties." in html


def test_report_csv_holds_the_figures(seeded, viewer):
    response = viewer.get(f"/studio/reports/{PERIOD}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="viermaandenrapportage-2025-3.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][2:5] == ["september-december 2025", "mei-augustus 2025", "september-december 2024"]
    by_name = {(row[0], row[1]): row[2:] for row in rows[1:]}
    assert by_name[("handtekeningen", "bevestigd in de periode")][:3] == ["9", "3", "4"]
    assert by_name[("handtekeningen", "totaal tot het einde van de periode")][0] == "16"
    assert by_name[("provincie", "Utrecht")][:3] == ["5", "0", "4"]
    assert by_name[("provincie", "Groningen")][:3] == ["2", "0", "0"]
    assert by_name[("land", "Duitsland")][:3] == ["2", "0", "0"]
    assert by_name[("thema", "Technologie en mensenrechten")][:3] == ["7", "3", "4"]
    assert by_name[("bezorging", "Brieven van ondertekenaars")][:3] == ["3", "1", "0"]
    assert by_name[("mijlpaal", "Stop gezichtsherkenning")][0] == "10"
    law = by_name[("Verandering in wet- en regelgeving", "Kamer neemt verbod op gezichtsherkenning aan")]
    assert "bijdrage: Aanzienlijk" in law[3] and "Bits of Freedom" in law[3]
    assert "Geheime Naam" not in response.get_data(as_text=True)


def test_report_pdf_is_print_quality_with_the_figures(seeded, viewer):
    response = viewer.get(f"/studio/reports/{PERIOD}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "Viermaandenrapportage september-december 2025" in flat
    assert "Bevestigd in de periode 9 3 4" in flat
    assert "Utrecht 5 0 4" in flat
    assert "16" in flat and "Kamer neemt verbod op gezichtsherkenning aan" in flat
    assert "Verhalen van getroffenen overtuigden Kamerleden." in flat
    fonts, images = set(), 0
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
        for item in resources.get("/XObject", {}).values():
            images += item.get_object().get("/Subtype") == "/Image"
    assert any("Source-Sans-3" in name for name in fonts), fonts  # our own font, embedded
    assert images == 0  # the charts are vectors, not pictures


def test_report_routes_refuse_bad_input_clearly(seeded, app, client, viewer):
    assert viewer.get("/studio/reports/2025-4").status_code == 404
    future = viewer.get(f"/studio/reports/{Period.current(utcnow()).next().slug}")
    assert future.status_code == 404 and "nog niet begonnen" in future.get_data(as_text=True)
    unknown = viewer.get(f"/studio/reports/{PERIOD}?theme=bestaat-niet")
    assert unknown.status_code == 404 and "Dit thema bestaat niet." in unknown.get_data(as_text=True)
    assert viewer.get(f"/studio/reports/{PERIOD}.xlsx").status_code == 404
    assert client.get(f"/studio/reports/{PERIOD}.pdf").status_code in (302, 303)  # no login: no report
    listing = viewer.get("/studio/reports").get_data(as_text=True)
    assert f"/studio/reports/{PERIOD}.pdf" in listing and "loopt nog" in listing


def test_current_period_reads_as_so_far(app, viewer):
    current = Period.current(utcnow())
    html = viewer.get(f"/studio/reports/{current.slug}").get_data(as_text=True)
    assert "De periode loopt nog" in html


# --- the cron ---


def _report_mails(mailbox):
    return [m for m in mailbox.messages if "Viermaandenrapportage" in m["Subject"]]


def _schedulers_enqueue(app, count: int) -> None:
    """`count` cron schedulers (as separate processes would build them) each enqueue the report job."""
    from workers.cron import build_scheduler

    for _ in range(count):
        scheduler = build_scheduler(app)
        [job] = [job for job in scheduler._cron_jobs if job.func_name == "workers.reports.make_due"]
        job.enqueue(scheduler.connection)


def test_two_schedulers_make_and_mail_the_report_once(app, mailbox, run_jobs):
    account("admin", "directeur@example.org")
    account("admin", "beheer@example.org")
    account("campaigner", "campagne@example.org")
    _schedulers_enqueue(app, 2)
    run_jobs()
    ended = Period.current(utcnow()).previous()
    [run] = db.session.execute(db.select(ReportRun)).scalars().all()
    assert (run.period, run.status, run.recipients) == (ended.slug, ReportRunStatus.SENT, 2)
    [message] = _report_mails(mailbox)
    assert set(message["To"].replace(" ", "").split(",")) == {"directeur@example.org", "beheer@example.org"}
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    pdf = attachments[f"viermaandenrapportage-{ended.slug}.pdf"].get_content()
    assert ended.label in " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert f"viermaandenrapportage-{ended.slug}.csv" in attachments

    # A restarted scheduler (a new process, mid-period) enqueues again: nothing new is made or sent.
    _schedulers_enqueue(app, 1)
    run_jobs()
    assert db.session.execute(db.select(db.func.count(ReportRun.id))).scalar_one() == 1
    assert len(_report_mails(mailbox)) == 1


def test_racing_cron_jobs_insert_one_report(app, mailbox, run_jobs):
    """Two make_due jobs at the same moment, in two threads with their own sessions: the unique
    period lets one insert win; the other finds the row taken and makes nothing."""
    account("admin", "directeur@example.org")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def cron_job():
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                results.append(report_jobs.make_due())
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=cron_job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    assert sorted(result.split()[0] for result in results) == ["made", "nothing"]
    run_jobs()
    assert db.session.execute(db.select(db.func.count(ReportRun.id))).scalar_one() == 1
    assert len(_report_mails(mailbox)) == 1


def test_one_claim_wins_and_a_sent_report_is_not_sent_again(app, mailbox, run_jobs):
    account("admin", "directeur@example.org")
    report_jobs.make_due()
    run_id = db.session.execute(db.select(ReportRun.id)).scalar_one()
    now = utcnow()
    assert claim_report(run_id, now) is True  # a worker takes it (and is busy with the PDF)
    db.session.commit()
    assert claim_report(run_id, now) is False  # a second worker, or a duplicate job
    db.session.rollback()
    run_jobs()  # the job the cron enqueued: it finds the run taken and leaves it
    assert _report_mails(mailbox) == []
    assert report_jobs.send_report(run_id) == "another worker has it"


@pytest.fixture
def config_overrides(request, faulty_smtp):
    if "faulty" in request.node.name:
        return {"MAIL_PORT": faulty_smtp[0]}
    return {}


def test_faulty_smtp_leaves_the_report_owed_and_the_next_round_sends_it(app, smtp, run_jobs):
    handler, mailbox = smtp
    account("admin", "directeur@example.org")
    handler.fail_next("451")
    report_jobs.make_due()
    run = db.session.execute(db.select(ReportRun)).scalar_one()
    with pytest.raises(Exception, match="451|SMTP"):
        report_jobs.send_report(run.id)
    db.session.expire_all()
    assert (run.status, run.attempts, run.mailed_at) == (ReportRunStatus.QUEUED, 1, None)
    assert "SMTP" in run.last_error
    from campaign.queueing import get_queue

    get_queue().empty()  # the job make_due enqueued ran above by hand
    report_jobs.make_due()  # the next cron round owes it again
    run_jobs()
    db.session.expire_all()
    assert run.status == ReportRunStatus.SENT
    assert len(_report_mails(mailbox)) == 1
