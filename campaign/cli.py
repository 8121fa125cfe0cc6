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


@campaign_group.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "campaigner", "viewer"]), required=True)
@click.option("--name", default="")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email, role, name, password_stdin):
    """Create a studio account (the first admin, for instance)."""
    import sys

    from campaign import audit
    from campaign.accounts import AccountError, create_account

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        account = create_account(email, password, role, name=name)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    audit.record("account.create", f"account:{account.id}", details=f"role={role} (cli)")
    db.session.commit()
    click.echo(f"created {role} account {account.id}")
