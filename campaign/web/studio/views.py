"""The studio blueprint, login/logout and the start page. Other studio pages live in sibling modules
that add routes to `bp`; they are imported at the bottom so they register."""

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired

from campaign import audit
from campaign.accounts import authenticate, load_session_account
from campaign.accounts.manage import end_sessions
from campaign.accounts.throttle import clear_login_failures, login_refused, note_login_failure
from campaign.extensions import db, login
from campaign.models.base import utcnow
from campaign.netaddr import client_ip
from campaign.petitions.home import amsterdam_today, studio_home
from campaign.web.safety import local_path
from campaign.web.studio.access import viewer

bp = Blueprint("studio", __name__)

login.login_view = "studio.login"
login.login_message = _l("Log in om verder te gaan.")
login.session_protection = "strong"


@login.user_loader
def load_user(session_id: str):
    return load_session_account(session_id)


@bp.context_processor
def studio_context():
    return {"current_user": current_user}


@bp.after_request
def never_cache(response):
    # Studio pages hold personal data: no shared or browser cache keeps them.
    response.headers["Cache-Control"] = "no-store"
    return response


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[InputRequired(_l("Vul uw e-mailadres in."))])
    password = PasswordField(_l("Wachtwoord"), validators=[InputRequired(_l("Vul uw wachtwoord in."))])


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
            # A fresh CSRF token for the logged-in session: one seen before the login is worth nothing.
            session.pop("csrf_token", None)
            g.pop("csrf_token", None)
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


# Studio pages register on `bp` when imported (one line per module).
from campaign.web.studio import accounts, audit_log, petitions, signatures, targets  # noqa: E402, F401, I001
from campaign.web.studio import abuse  # noqa: E402, F401
from campaign.web.studio import privacy  # noqa: E402, F401
from campaign.web.studio import impact  # noqa: E402, F401
from campaign.web.studio import deliveries  # noqa: E402, F401
from campaign.web.studio import translations  # noqa: E402, F401
from campaign.web.studio import evidence, learning, reports  # noqa: E402, F401
from campaign.web.studio import integrations  # noqa: E402, F401
from campaign.web.studio import confirmations  # noqa: E402, F401
from campaign.web.studio import updates  # noqa: E402, F401
from campaign.web.studio import images  # noqa: E402, F401 - a petition's hero image
