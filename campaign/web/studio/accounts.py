"""Studio: accounts. Admins list, invite, create and change accounts; everyone changes their own password."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from campaign.accounts import AccountError
from campaign.accounts.manage import (
    accept_invite,
    account_for_invite,
    add_account,
    all_accounts,
    change_password,
    invite_account,
    update_account,
)
from campaign.extensions import db
from campaign.models import Account
from campaign.web.lookups import row_or_404
from campaign.web.studio.access import admin, viewer
from campaign.web.studio.blueprint import bp
from campaign.web.studio.forms import AccountCreateForm, AccountEditForm, PasswordChangeForm, SetPasswordForm


@bp.get("/accounts")
@admin
def accounts():
    items = all_accounts()
    return render_template("studio/accounts/list.html", accounts=items)


@bp.route("/accounts/new", methods=["GET", "POST"])
@admin
def account_new():
    form = AccountCreateForm()
    template = "studio/accounts/new.html"
    if not form.validate_on_submit():
        return render_template(template, form=form), 400 if form.is_submitted() else 200
    try:
        if form.password.data:
            add_account(
                form.email.data, form.password.data, form.role.data, form.name.data or "", current_user
            )
            message = _("Het account is aangemaakt.")
        else:
            invite_account(form.email.data, form.role.data, form.name.data or "", current_user)
            message = _("De uitnodiging is verstuurd.")
    except AccountError as error:
        db.session.rollback()
        field = form.password if error.field == "password" else form.email
        field.errors.append(str(error))
        return render_template(template, form=form), 400
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("studio.accounts"), 303)


@bp.route("/accounts/<int:account_id>", methods=["GET", "POST"])
@admin
def account_edit(account_id: int):
    account = row_or_404(Account, account_id)
    form = AccountEditForm(obj=account)
    template = "studio/accounts/edit.html"
    if not form.validate_on_submit():
        return render_template(template, form=form, account=account), 400 if form.is_submitted() else 200
    try:
        update_account(account, form.role.data, bool(form.active.data), current_user)
    except AccountError as error:
        db.session.rollback()
        form.role.errors.append(str(error))
        return render_template(template, form=form, account=account), 409
    db.session.commit()
    flash(_("Het account is bijgewerkt."), "success")
    return redirect(url_for("studio.accounts"), 303)


@bp.route("/password", methods=["GET", "POST"])
@viewer
def password_change():
    form = PasswordChangeForm()
    template = "studio/accounts/password.html"
    if not form.validate_on_submit():
        return render_template(template, form=form), 400 if form.is_submitted() else 200
    account = current_user._get_current_object()
    try:
        change_password(account, form.current.data, form.new.data)
    except AccountError as error:
        db.session.rollback()
        field = form.current if error.field == "current" else form.new
        field.errors.append(str(error))
        return render_template(template, form=form), 400
    db.session.commit()
    login_user(account)  # this session carries on with the new session_version; all others end
    flash(_("Uw wachtwoord is gewijzigd. Andere sessies zijn uitgelogd."), "success")
    return redirect(url_for("studio.index"), 303)


@bp.route("/invite/<token>", methods=["GET", "POST"], endpoint="accept_invite")
def accept_invite_page(token: str):
    """Public: the invitee chooses a password (the token is the credential, single use)."""
    account = account_for_invite(token)
    if account is None:
        abort(404)
    form = SetPasswordForm()
    template = "studio/accounts/invite.html"
    if not form.validate_on_submit():
        return render_template(template, form=form, account=account), 400 if form.is_submitted() else 200
    try:
        accept_invite(account, form.new.data)
    except AccountError as error:
        db.session.rollback()
        form.new.errors.append(str(error))
        return render_template(template, form=form, account=account), 400
    db.session.commit()
    logout_user()
    flash(_("Uw wachtwoord is ingesteld. U kunt nu inloggen."), "success")
    return redirect(url_for("studio.login"), 303)
