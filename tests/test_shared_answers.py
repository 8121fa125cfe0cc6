"""count.json answered again for COUNT_CACHE_SECONDS without running the application
(campaign.web.shared_answers): the same status, headers and body; only what is the same for everyone
is kept; anything else goes to the application."""

import pytest

from campaign.metrics.counts import forget_cached_counts
from campaign.web import shared_answers
from campaign.web.shared_answers import _same_for_everyone
from tests import factories


@pytest.fixture
def config_overrides():
    return {"COUNT_CACHE_SECONDS": 30}


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = 1000.0

        def monotonic(self):
            return self.now

    clock = Clock()
    monkeypatch.setattr(shared_answers, "time", clock)
    return clock


@pytest.fixture
def view_calls(app, monkeypatch):
    calls = []
    view = app.view_functions["api.count"]

    def counted(**kwargs):
        calls.append(kwargs)
        return view(**kwargs)

    monkeypatch.setitem(app.view_functions, "api.count", counted)
    return calls


def test_the_same_answer_again_without_the_application_until_it_expires(app, client, clock, view_calls):
    petition = factories.petition(slug="gedeeld")
    url = f"/petitions/{petition.slug}/count.json"
    first = client.get(url)
    again = client.get(url)
    assert first.status_code == again.status_code == 200
    assert again.get_data() == first.get_data() and again.get_json()["slug"] == "gedeeld"
    assert list(again.headers) == list(first.headers)
    assert "Content-Security-Policy" in again.headers and again.headers["ETag"] == first.headers["ETag"]
    assert len(view_calls) == 1
    clock.now += 31  # COUNT_CACHE_SECONDS later the application answers again
    assert client.get(url).status_code == 200 and len(view_calls) == 2


def test_a_revalidation_is_kept_apart_from_the_full_answer(app, client, clock, view_calls):
    petition = factories.petition(slug="etag")
    url = f"/petitions/{petition.slug}/count.json"
    etag = client.get(url).headers["ETag"]
    for _ in range(2):
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url).status_code == 200
    assert len(view_calls) == 2  # the 200 and the first 304


def test_what_is_not_the_same_for_everyone_goes_to_the_application(app, client, clock, view_calls):
    petition = factories.petition(slug="anders")
    url = f"/petitions/{petition.slug}/count.json"
    assert client.get("/petitions/komt-nog/count.json").status_code == 404
    factories.petition(slug="komt-nog")
    forget_cached_counts()  # the application's own cache of slugs (campaign.metrics.counts)
    assert client.get("/petitions/komt-nog/count.json").status_code == 200  # a 404 was not kept
    client.get(url)
    client.get(url + "?lang=en")  # a query string: the application (it may set the language cookie)
    client.head(url)
    assert client.get(f"/petitions/{petition.slug}").status_code == 200  # other paths: untouched
    assert [call["slug"] for call in view_calls] == ["komt-nog", "komt-nog", "anders", "anders", "anders"]
    assert client.get(url).status_code == 200 and len(view_calls) == 5  # the plain GET was kept


def test_only_answers_without_cookies_or_other_variants_are_kept():
    assert _same_for_everyone([("Content-Type", "application/json"), ("Vary", "Cookie")])
    assert not _same_for_everyone([("Set-Cookie", "lang=en; Path=/")])
    assert not _same_for_everyone([("Vary", "Cookie, Accept-Language")])


def test_nothing_is_kept_when_counts_are_not_cached(app, client, view_calls):
    app.wsgi_app.seconds = 0  # as in the other tests (COUNT_CACHE_SECONDS 0)
    petition = factories.petition(slug="vers")
    for _ in range(2):
        client.get(f"/petitions/{petition.slug}/count.json")
    assert len(view_calls) == 2
