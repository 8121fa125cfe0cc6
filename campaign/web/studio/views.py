"""Studio: login, logout and the start page."""

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from campaign.accounts.login import LoginResult, log_in
from campaign.accounts.manage import end_sessions
from campaign.extensions import db
from campaign.models.base import utcnow
from campaign.netaddr import client_ip
from campaign.petitions.home import amsterdam_today, studio_home
from campaign.web.redirects import local_path
from campaign.web.studio.access import viewer
from campaign.web.studio.blueprint import bp
from campaign.web.studio.forms import LoginForm


@bp.route("/login", methods=["GET", "POST"], endpoint="login")
def login_page():
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("studio/login.html", form=form), 400 if form.errors else 200
    result, account = log_in(form.email.data, form.password.data, client_ip(), utcnow())
    if result is LoginResult.OK:
        # A fresh CSRF token for the logged-in session: one seen before the login is worth nothing.
        session.pop("csrf_token", None)
        g.pop("csrf_token", None)
        login_user(account)
    db.session.commit()
    if result is LoginResult.OK:
        return redirect(local_path(request.args.get("next")) or url_for("studio.index"), 303)
    if result is LoginResult.REFUSED:
        flash(_("Te veel mislukte pogingen. Probeer het over een kwartier opnieuw."), "error")
        return render_template("studio/login.html", form=form), 429
    flash(_("Dit e-mailadres en wachtwoord horen niet bij elkaar."), "error")
    return render_template("studio/login.html", form=form), 401


@bp.post("/logout")
@login_required
def logout():
    end_sessions(current_user)
    db.session.commit()
    logout_user()
    flash(_("U bent uitgelogd."), "success")
    return redirect(url_for("studio.login"), 303)


@bp.get("/")
@viewer
def index():
    now = utcnow()
    return render_template(
        "studio/index.html", account=current_user, home=studio_home(now, amsterdam_today(now))
    )
