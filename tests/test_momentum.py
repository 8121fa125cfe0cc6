"""Momentum (issue 10, point 4): "n mensen tekenden het afgelopen uur" from the fold's minute tallies,
the people figure on /metrics right within a minute or not shown, and the real province map."""

import re
from datetime import timedelta

from campaign.extensions import db
from campaign.metrics.cache import forget_all
from campaign.metrics.provincemap import province_map
from campaign.metrics.recent import signed_last_hour
from campaign.metrics.supporters import recount_if_stale
from campaign.models import MetricTotal, PetitionTally, RecentTally, Signature, SignatureStatus
from campaign.models.base import utcnow
from campaign.signing import confirm_signature
from tests import factories
from tests.test_metrics_counts import pending_signatures
from workers import tally as tally_jobs


def _confirm(petition, n, *, ago=timedelta(0), prefix="m"):
    for signature in pending_signatures(petition, n, prefix=prefix):
        confirm_signature(signature.token, utcnow() - ago)
    db.session.commit()
    tally_jobs.fold()


def _petition_html(client, petition) -> str:
    forget_all()
    return client.get(f"/petitions/{petition.slug}").get_data(as_text=True)


def test_the_last_hour_counts_only_recent_counted_signatures(app, client):
    petition = factories.petition(slug="vaart")
    _confirm(petition, 4, ago=timedelta(minutes=90), prefix="oud")  # before the hour
    _confirm(petition, 12, ago=timedelta(minutes=5))
    assert signed_last_hour(petition.id, utcnow()) == 12
    html = _petition_html(client, petition)
    assert '<p class="momentum"><strong>12 mensen tekenden het afgelopen uur</strong></p>' in html
    assert "Naam" not in re.search(r'<p class="momentum">.*?</p>', html).group(0)  # no names

    # A withdrawn (no longer counted) signature leaves the hour too, through the same fold.
    assert db.session.get(PetitionTally, petition.id).confirmed == 16
    one = db.session.execute(
        db.select(Signature).where(Signature.email == "m0@example.nl", Signature.petition_id == petition.id)
    ).scalar_one()
    one.status = SignatureStatus.WITHDRAWN
    db.session.commit()
    tally_jobs.fold()
    assert signed_last_hour(petition.id, utcnow()) == 11


def test_below_the_threshold_nothing_is_said(app, client):
    petition = factories.petition(slug="stil")
    _confirm(petition, app.config["SOCIAL_PROOF_MIN"] - 1)
    assert 'class="momentum"' not in _petition_html(client, petition)
    _confirm(petition, 1, prefix="nog")
    assert "10 mensen tekenden het afgelopen uur" in _petition_html(client, petition)


def test_the_fold_keeps_only_two_hours_of_minutes(app):
    petition = factories.petition(slug="kort")
    _confirm(petition, 2, ago=timedelta(minutes=30))
    db.session.add(RecentTally(petition_id=petition.id, minute=utcnow() - timedelta(hours=3), confirmed=9))
    db.session.commit()
    _confirm(petition, 1, prefix="later")
    minutes = db.session.execute(db.select(RecentTally.minute)).scalars().all()
    assert minutes and all(minute > utcnow() - timedelta(hours=2, minutes=1) for minute in minutes)


def test_people_figure_follows_within_the_fold_not_the_recount(app, client):
    """The bug: "5 handtekeningen / 0 mensen tekenden" until the ten-minute reconciliation ran."""
    petition = factories.petition(slug="mensen")
    _confirm(petition, 5)
    forget_all()
    html = client.get("/metrics").get_data(as_text=True)
    assert re.search(r'id="total-signatures">5<', html)
    assert re.search(r'id="total-supporters">5</strong> mensen tekenden', html)
    assert client.get("/metrics.json").get_json()["supporters"] == 5


def test_a_stale_people_figure_is_not_shown(app, client):
    petition = factories.petition(slug="oud-getal")
    _confirm(petition, 3)
    stored = db.session.get(MetricTotal, "supporters")
    assert stored.value == 3
    # The count fell behind (the worker stopped after a fold): two minutes old, tallies moved since.
    stored.computed_at = utcnow() - timedelta(minutes=2)
    db.session.get(PetitionTally, petition.id).updated_at = utcnow() - timedelta(seconds=10)
    db.session.commit()
    forget_all()
    html = client.get("/metrics").get_data(as_text=True)
    assert 'id="total-supporters"' not in html and "mensen tekenden" not in html
    assert client.get("/metrics.json").get_json()["supporters"] is None
    # The next fold recounts it, and it shows again.
    assert recount_if_stale(utcnow())
    db.session.commit()
    forget_all()
    assert 'id="total-supporters">3<' in client.get("/metrics").get_data(as_text=True)


def test_a_fresh_count_is_not_recounted(app):
    petition = factories.petition(slug="vers")
    _confirm(petition, 2)
    assert not recount_if_stale(utcnow())  # counted by the fold just now


def test_province_map_is_drawn_from_the_cbs_boundaries_with_legend_and_credit(app, client):
    drawn = province_map({"NL-UT": 10, "NL-NH": 1})
    assert len(drawn.provinces) == 12
    by_code = {p.code: p for p in drawn.provinces}
    # Real outlines: hundreds of points each (the old grid had a few squares), islands as parts.
    assert all(p.path.count("L") > 30 for p in drawn.provinces)
    assert by_code["NL-FR"].path.count("M") >= 5  # the Wadden islands
    assert by_code["NL-UT"].fill != by_code["NL-NH"].fill != by_code["NL-GR"].fill
    assert drawn.legend[0].high == 0 and drawn.legend[-1].high == 10
    # Geography: Groningen lies north-east of Zeeland (y grows southwards in SVG).
    first_point = {p.code: tuple(map(float, p.path[1:].split("L")[0].split())) for p in drawn.provinces}
    assert (
        first_point["NL-GR"][0] > first_point["NL-ZE"][0]
        and first_point["NL-GR"][1] < first_point["NL-ZE"][1]
    )
    assert 0 < drawn.height < 600 and drawn.width == 400

    html = client.get("/metrics").get_data(as_text=True)
    assert html.count('class="map-province"') == 12
    assert 'class="map-legend"' in html and "CC BY 4.0" in html and "cartomap/nl" in html
