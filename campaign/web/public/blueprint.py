"""The public blueprint: pages for supporters and the public.

Its route modules (views, metrics, supporter, challenge) add their routes to `bp`; the package
(campaign/web/public/__init__.py) imports them, and the factory registers the blueprint.
"""

from flask import Blueprint

bp = Blueprint("public", __name__)
# Pages reached by a token that stands for one supporter: never stored by a cache, no Referer onwards.
PRIVATE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}
