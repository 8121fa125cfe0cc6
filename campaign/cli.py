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
    days = current_app.config["UNCONFIRMED_DAYS"]
    report = apply_retention(utcnow(), months, dry_run=dry_run, unconfirmed_days=days)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would anonymise" if dry_run else "anonymised"
    click.echo(f"closed before {report.cutoff:%Y-%m-%d}: {verb} {report.total} signatures")
    for slug, n in report.per_petition.items():
        click.echo(f"  {slug}: {n}")


@campaign_group.group("api-key")
def api_key_group():
    """Keys for the OSDI API (/api/v1/)."""


@api_key_group.command("create")
@click.argument("name")
@click.option("--scope", type=click.Choice(["read", "write"]), required=True)
def api_key_create(name, scope):
    """Create a key and print it once (only a hash is stored)."""
    from campaign.api.keys import ApiKeyError, create_key
    from campaign.models.base import utcnow

    try:
        row, key = create_key(name, scope, None, utcnow())
    except ApiKeyError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"created {scope} key {row.id} ({row.name}); it is shown only now:", err=True)
    click.echo(key)


@api_key_group.command("revoke")
@click.argument("key_id", type=int)
def api_key_revoke(key_id):
    """Revoke a key by its id."""
    from campaign.api.keys import revoke_key
    from campaign.models import ApiKey
    from campaign.models.base import utcnow

    row = db.session.get(ApiKey, key_id)
    if row is None:
        raise click.ClickException(f"no key {key_id}")
    revoke_key(row, None, utcnow())
    db.session.commit()
    click.echo(f"revoked key {key_id}")


@api_key_group.command("list")
def api_key_list():
    from campaign.api.keys import active_keys

    for row in active_keys():
        state = "revoked" if row.revoked_at else "active"
        click.echo(f"{row.id}\t{row.prefix}…\t{row.scope}\t{state}\t{row.use_count} uses\t{row.name}")


@campaign_group.group("webhook")
def webhook_group():
    """Webhook endpoints (Standard Webhooks)."""


@webhook_group.command("add")
@click.argument("url")
@click.option("--events", required=True, help="Comma-separated, e.g. signature.confirmed,signature.withdrawn")
@click.option("--description", default="")
def webhook_add(url, events, description):
    """Register an endpoint and print its signing secret once."""
    from campaign.models.base import utcnow
    from campaign.webhooks import WebhookError, add_endpoint

    chosen = [event.strip() for event in events.split(",") if event.strip()]
    try:
        endpoint = add_endpoint(url, chosen, None, utcnow(), description=description)
    except WebhookError as error:
        raise click.ClickException(str(error)) from None
    secret = endpoint.secret
    db.session.commit()
    click.echo(
        f"added webhook {endpoint.id} for {endpoint.events}; its signing secret (shown once):", err=True
    )
    click.echo(secret)


@webhook_group.command("list")
def webhook_list():
    from campaign.models import WebhookEndpoint

    for row in db.session.execute(db.select(WebhookEndpoint).order_by(WebhookEndpoint.id)).scalars():
        state = "removed" if not row.active else ("paused" if row.paused_at else "active")
        click.echo(f"{row.id}\t{state}\t{row.url}\t{row.events}")


@webhook_group.command("remove")
@click.argument("endpoint_id", type=int)
def webhook_remove(endpoint_id):
    from campaign.models import WebhookEndpoint
    from campaign.webhooks import remove_endpoint

    row = db.session.get(WebhookEndpoint, endpoint_id)
    if row is None:
        raise click.ClickException(f"no webhook {endpoint_id}")
    remove_endpoint(row, None)
    db.session.commit()
    click.echo(f"removed webhook {endpoint_id}")
