"""The floor under the sign figures: what gunicorn, and Flask with the same database and Redis, cost
for a signature when nothing else is done (`make bench --only floor`).

Served by its own gunicorn, with the platform's gunicorn.conf.py, beside the platform:
- POST /raw-sign: a bare WSGI function answering 303: gunicorn's own cost per request;
- POST /flask-sign: a Flask view that reads the form, checks three fields, inserts a row with
  SQLAlchemy Core in a transaction (the same database as the platform), sets a Redis key and
  answers 303: the least a signature can cost on the stack the platform is built on (no session,
  CSRF, screening, security headers or templates);
- GET /form: a page with a token and a cookie, so the bench's sign.lua drives both unchanged.
"""

import os

import redis
import sqlalchemy as sa
from flask import Flask, redirect, request

import campaign.dbutil  # noqa: F401 - SQLite's pragmas, as the platform sets them
from campaign.config import _database_url, _engine_options

metadata = sa.MetaData()
rows = sa.Table(
    "bench_floor",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("email", sa.String(254), nullable=False, unique=True),
    sa.Column("postcode", sa.String(12), nullable=False),
    sa.Column("country", sa.String(2), nullable=False),
)
url = _database_url(os.environ["DATABASE_URL"])
engine = sa.create_engine(url, **_engine_options(url))  # the platform's pool settings
try:
    metadata.create_all(engine)  # each worker, at once: the table may be there already
except sa.exc.DBAPIError:
    pass  # another worker created it in the same moment (PostgreSQL says so with an error)
store = redis.Redis.from_url(os.environ["REDIS_URL"])
flask_app = Flask(__name__)

FORM = b'<form><input name="csrf_token" value="floor"></form>'


@flask_app.post("/flask-sign")
def flask_sign():
    form = request.form
    name, email = form.get("name", "").strip(), form.get("email", "").strip()
    if not name or not email or not form.get("consent"):
        return "name, email and consent", 400
    with engine.begin() as connection:
        connection.execute(
            rows.insert(),
            {
                "name": name,
                "email": email,
                "postcode": form.get("postcode", ""),
                "country": form.get("country", "NL"),
            },
        )
    store.set("bench-floor-nudge", 1, nx=True, px=200)
    return redirect("/form", 303)


def app(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if path == "/raw-sign":
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        start_response("303 See Other", [("Location", "/form"), ("Content-Length", "0")])
        return [b""]
    if path in ("/form", "/healthz"):
        headers = [("Content-Type", "text/html"), ("Content-Length", str(len(FORM)))]
        start_response("200 OK", [*headers, ("Set-Cookie", "session=floor; Path=/")])
        return [FORM]
    return flask_app(environ, start_response)
