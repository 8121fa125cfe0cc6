"""The WSGI entry point: the only module-level application object."""

from campaign import create_app

app = create_app()
