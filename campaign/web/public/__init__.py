"""Pages for supporters and the public: importing the package registers every route on `bp`."""

from campaign.web.public import challenge, metrics, supporter, views  # noqa: F401 - add their routes
from campaign.web.public.blueprint import bp

__all__ = ["bp"]
