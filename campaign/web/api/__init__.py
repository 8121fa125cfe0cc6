"""Machine-readable answers: importing the package registers every route on `bp`."""

from campaign.web.api import opendata, views  # noqa: F401 - add their routes
from campaign.web.api.blueprint import bp

__all__ = ["bp"]
