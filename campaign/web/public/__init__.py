"""Pages for supporters and the public: importing the package registers every route on `bp`."""

from campaign.web.public import (  # noqa: F401 - add their routes
    challenge,
    check_email,
    embed,
    media,
    metrics,
    review,
    supporter,
    unsubscribe,
    views,
)
from campaign.web.public.blueprint import bp

__all__ = ["bp"]
