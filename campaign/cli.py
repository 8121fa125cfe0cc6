"""`flask --app wsgi campaign ...`: seeding and administration."""

import click
from flask import Flask

from campaign.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(campaign_group)


@click.group("campaign")
def campaign_group():
    """Seed data and administration."""


@campaign_group.command("seed")
def seed():
    """Create the five priority themes (idempotent)."""
    from campaign.seeding import seed_themes

    created = seed_themes()
    db.session.commit()
    click.echo(f"themes: {created} created, {5 - created} already there")


@campaign_group.command("demo")
def demo():
    """Create demo targets and open petitions (idempotent)."""
    from campaign.seeding import seed_demo

    created = seed_demo()
    db.session.commit()
    click.echo(f"demo petitions: {created} created")
