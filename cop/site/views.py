"""Home page, health check and the static pages."""

from __future__ import annotations

from flask import jsonify, render_template
from flask_login import current_user
from sqlalchemy import text

from cop.extensions import db
from cop.panels import contributions, panels
from cop.permissions import login_required
from cop.site import bp


@bp.route("/")
def home():
    return render_template(
        "site/home.html", intro=panels("home-intro", current_user), panels=panels("home", current_user)
    )


@bp.route("/mijn")
@login_required
def dashboard():
    """The member's own page: what each package adds for them (their circles, meetings, followed
    threads with unread posts), and where to start when there is nothing yet."""
    parts = panels("dashboard", current_user)
    steps = sorted(
        (step for fn in contributions("first-steps") if (step := fn(current_user)) is not None),
        key=lambda step: step.order,
    )
    return render_template("site/dashboard.html", panels=parts, steps=steps)


@bp.route("/over")
def about():
    """What the Wijkengids is, where it comes from, how the platform works, and whom to write to."""
    from cop.guide import queries as guide_queries

    return render_template("site/about.html", edition=guide_queries.latest_edition())


@bp.route("/toegankelijkheid")
def accessibility():
    return render_template("site/accessibility.html")


@bp.route("/privacy")
def privacy():
    return render_template("site/privacy.html")


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any database failure means unhealthy
        db.session.rollback()
        return jsonify(status="error", database="unavailable", detail=type(error).__name__), 503
    return jsonify(status="ok", database="ok")
