"""Studio: login, logout and the start page."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from campaign import audit
from campaign.accounts import authenticate
from campaign.accounts.throttle import clear_login_failures, login_refused, note_login_failure
from campaign.extensions import db
from campaign.models.base import utcnow
from campaign.netaddr import client_ip
from campaign.web.safety import local_path
from campaign.web.studio.access import viewer
from campaign.web.studio.blueprint import bp
from campaign.web.studio.forms import LoginForm


@bp.route("/login", methods=["GET", "POST"], endpoint="login")
def login_page():
    form = LoginForm()
    if form.validate_on_submit():
        ip = client_ip()
        if login_refused(form.email.data, ip):
            # Checked before the password, so guessing stops here whether or not the account exists.
            audit.record("account.login_refused", "login", details="too many failures")
            db.session.commit()
            flash(_("Te veel mislukte pogingen. Probeer het over een kwartier opnieuw."), "error")
            return render_template("studio/login.html", form=form), 429
        account = authenticate(form.email.data, form.password.data)
        if account is not None:
            clear_login_failures(form.email.data)
            login_user(account)
            account.last_login_at = utcnow()
            audit.record("account.login", f"account:{account.id}", actor=account)
            db.session.commit()
            return redirect(local_path(request.args.get("next")) or url_for("studio.index"), 303)
        note_login_failure(form.email.data, ip)
        audit.record("account.login_failed", "login")
        db.session.commit()
        flash(_("Dit e-mailadres en wachtwoord horen niet bij elkaar."), "error")
        return render_template("studio/login.html", form=form), 401
    return render_template("studio/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("U bent uitgelogd."), "success")
    return redirect(url_for("studio.login"), 303)


@bp.get("/")
@viewer
def index():
    return render_template("studio/index.html", account=current_user)
