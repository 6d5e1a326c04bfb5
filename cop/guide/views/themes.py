"""Admins manage the themes: /beheer/themas (list, order, retire, restore), a new theme, and a
theme's title, description and group."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cop.forms import EmptyForm, show_error
from cop.guide import bp, queries
from cop.guide.forms.themes import GROUP_LABELS, ThemeForm
from cop.guide.services import themes as services
from cop.guide.views.loaders import theme_from_slug
from cop.permissions import is_admin, requires
from cop.transactions import DomainError


@bp.route("/beheer/themas")
@requires(is_admin)
def themes_admin():
    return render_template(
        "guide/themes_admin.html",
        themes=queries.themes(include_retired=True),
        groups=GROUP_LABELS,
        action_form=EmptyForm(),
    )


@bp.route("/beheer/themas/nieuw", methods=["GET", "POST"])
@requires(is_admin)
def theme_new():
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            theme = services.create_theme(
                current_user, form.title.data, form.description.data, form.group.data
            )
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The theme %(title)s has been created.", title=theme.title), "success")
            return redirect(url_for("guide.themes_admin"))
    return render_template("guide/theme_form.html", form=form, theme=None)


@bp.route("/beheer/themas/<slug>", methods=["GET", "POST"])
@requires(is_admin)
@theme_from_slug
def theme_edit(theme):
    form = ThemeForm(obj=theme if not ThemeForm().is_submitted() else None)
    if form.validate_on_submit():
        try:
            changed = services.update_theme(
                theme, current_user, form.title.data, form.description.data, form.group.data
            )
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Your changes have been saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("guide.themes_admin"))
    return render_template("guide/theme_form.html", form=form, theme=theme)


@bp.route("/beheer/themas/<slug>/<any(omhoog, omlaag, intrekken, herstellen):action>", methods=["POST"])
@requires(is_admin)
@theme_from_slug
def theme_action(theme, action: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    if action in ("omhoog", "omlaag"):
        services.move_theme(theme, current_user, "up" if action == "omhoog" else "down")
        flash(_("The order has been saved."), "success")
    elif action == "intrekken":
        services.retire_theme(theme, current_user)
        flash(
            _(
                "%(title)s is retired: no longer offered for new discussions; its page stays.",
                title=theme.title,
            ),
            "success",
        )
    else:
        services.restore_theme(theme, current_user)
        flash(_("%(title)s is in use again.", title=theme.title), "success")
    return redirect(url_for("guide.themes_admin") + f"#thema-{theme.slug}")
