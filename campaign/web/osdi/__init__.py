"""The OSDI API under /api/v1/: importing the package registers every route on `bp`."""

from campaign.web.osdi import openapi, record, views  # noqa: F401 - add their routes
from campaign.web.osdi.blueprint import bp

__all__ = ["bp"]
