"""The front page renders once per process until a figure or a petition changes (as the petition
page does): the first byte comes sooner, and what changed still shows at once."""

from sqlalchemy import event

from campaign.extensions import db
from campaign.metrics.cache import forget_all
from tests import factories


def _statements_during(client, url):
    statements = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement.lower())

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    return response, statements


def test_the_front_page_comes_from_the_cache_until_something_changes(app, client):
    forget_all()
    factories.petition(slug="eerste", title="De eerste petitie")
    first, rendering = _statements_during(client, "/")
    assert first.status_code == 200 and "De eerste petitie" in first.get_data(as_text=True)
    again, cached = _statements_during(client, "/")
    assert again.get_data() == first.get_data()
    assert len(cached) < len(rendering) and not any(
        "from petitions " in s and "where" in s for s in cached[1:]
    )

    factories.petition(slug="tweede", title="Een nieuwe petitie")  # a petition changed: the version moves
    assert "Een nieuwe petitie" in client.get("/").get_data(as_text=True)


def test_each_language_has_its_own_front_page(app, client):
    forget_all()
    dutch = client.get("/").get_data(as_text=True)
    english = client.get("/?lang=en").get_data(as_text=True)
    assert 'lang="nl"' in dutch and 'lang="en"' in english
