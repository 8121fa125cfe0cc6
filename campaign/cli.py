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
    audit.record("account.create", f"account:{account.id}", details=f"role={role} (cli)", actor=None)
    db.session.commit()
    click.echo(f"created {role} account {account.id}")


@campaign_group.command("erase")
@click.option(
    "--email-stdin",
    is_flag=True,
    help="Read the address from standard input (keeps it out of shell history).",
)
@click.argument("email", required=False)
def erase(email_stdin, email):
    """Erase one person's signatures on every petition, by email address (logged without the address)."""
    import sys

    from campaign.privacy import erase_by_email

    if email_stdin:
        email = sys.stdin.readline().strip()
    elif not email:
        email = click.prompt("Email address", hide_input=True)
    erased = erase_by_email(email, actor=None)
    db.session.commit()
    click.echo(f"erased {erased} signatures")


@campaign_group.command("retention")
@click.option("--dry-run", is_flag=True, help="Only show what would be anonymised.")
@click.option("--months", type=int, default=None, help="Override RETENTION_MONTHS.")
def retention(dry_run, months):
    """Anonymise the signatures of petitions closed more than RETENTION_MONTHS ago."""
    from flask import current_app

    from campaign.models.base import utcnow
    from campaign.privacy import apply_retention

    months = current_app.config["RETENTION_MONTHS"] if months is None else months
    report = apply_retention(utcnow(), months, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would anonymise" if dry_run else "anonymised"
    click.echo(f"closed before {report.cutoff:%Y-%m-%d}: {verb} {report.total} signatures")
    for slug, n in report.per_petition.items():
        click.echo(f"  {slug}: {n}")
