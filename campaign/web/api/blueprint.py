"""The machine-readable blueprint (counts, health, open data). Its route modules add their routes to
`bp`; the package (campaign/web/api/__init__.py) imports them, and the factory registers it."""

from flask import Blueprint

bp = Blueprint("api", __name__)
