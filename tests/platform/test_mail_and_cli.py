"""Command-line account management, the mail outbox and the health check."""

from __future__ import annotations

from unittest import mock

from sqlalchemy import select

from cop import mail
from cop.accounts.models import Role, User
from cop.extensions import db
from tests.conftest import login, mails_to
from tests.factories import make_user


def test_user_create_makes_a_confirmed_admin_from_stdin_password(runner, client):
    result = runner.invoke(
        args=[
            "user",
            "create",
            "Beheer@Example.nl",
            "--name",
            "Eerste Beheerder",
            "--role",
            "admin",
            "--password-stdin",
        ],
        input="een lang en sterk wachtwoord\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.email == "beheer@example.nl" and user.role is Role.ADMIN and user.is_confirmed
    assert login(client, "beheer@example.nl", "een lang en sterk wachtwoord").status_code == 302
    assert client.get("/beheer/leden").status_code == 200


def test_user_create_prompts_for_the_password(runner):
    result = runner.invoke(
        args=["user", "create", "m@example.nl", "--name", "M"],
        input="een lang en sterk wachtwoord\neen lang en sterk wachtwoord\n",
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User)).role is Role.MEMBER


def test_user_create_refuses_weak_passwords_and_duplicates(runner):
    weak = runner.invoke(
        args=["user", "create", "a@example.nl", "--name", "A", "--password-stdin"], input="password123\n"
    )
    assert weak.exit_code != 0 and "too common" in weak.output
    make_user(email="b@example.nl")
    dup = runner.invoke(
        args=["user", "create", "B@example.nl", "--name", "B", "--password-stdin"],
        input="een lang en sterk wachtwoord\n",
    )
    assert dup.exit_code != 0 and "exists already" in dup.output
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1


def test_set_role(runner):
    user = make_user(email="c@example.nl")
    result = runner.invoke(args=["user", "set-role", "C@example.nl", "moderator"])
    assert result.exit_code == 0, result.output
    db.session.refresh(user)
    assert user.role is Role.MODERATOR
    assert runner.invoke(args=["user", "set-role", "nobody@example.nl", "admin"]).exit_code != 0
    assert runner.invoke(args=["user", "set-role", "c@example.nl", "emperor"]).exit_code != 0


def test_mail_waits_in_the_outbox_when_smtp_is_down_and_is_sent_once_later(app, runner):
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens
    try:
        user = make_user(confirmed=False, email="wacht@example.nl")
    finally:
        app.config.update(MAIL_BACKEND="file")
    waiting = db.session.scalars(select(mail.OutboxMail)).all()
    assert len(waiting) == 1 and waiting[0].sent_at is None and waiting[0].last_error
    assert mails_to(app, user.email) == []

    result = runner.invoke(args=["mail", "send"])
    assert "1 sent, 0 waiting" in result.output
    assert len(mails_to(app, user.email)) == 1
    again = runner.invoke(args=["mail", "send"])
    assert "0 sent, 0 waiting" in again.output
    assert len(mails_to(app, user.email)) == 1


def test_a_claimed_mail_is_not_sent_by_a_second_worker(app):
    user = make_user(confirmed=False)
    outgoing = db.session.scalars(select(mail.OutboxMail)).one()
    outgoing.sent_at = outgoing.claimed_at = None  # as if it were still waiting
    db.session.commit()
    with mock.patch("cop.mail._transmit") as transmit:
        assert mail._claim(outgoing.id) is True  # worker one claims it
        assert mail.deliver([outgoing.id]) == 0  # worker two finds it claimed
        transmit.assert_not_called()
    assert user


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_fails_when_the_database_is_unreachable(tmp_path):
    from tests.conftest import make_test_app

    broken = make_test_app("postgresql+psycopg://nobody@127.0.0.1:1/none", tmp_path)
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable"


def test_development_mail_is_also_written_as_plain_text_and_logged_with_its_links(app, caplog):
    """The .eml is quoted-printable, which breaks a long link over lines; a newcomer clicks the link
    in the .txt next to it, or in the log line."""
    import logging
    from pathlib import Path

    from tests.conftest import link_in

    caplog.set_level(logging.INFO, logger="cop.mail")
    user = make_user(confirmed=False, email="nieuw@example.nl")
    [message] = mails_to(app, user.email)
    link = link_in(message)
    [eml] = Path(app.config["MAIL_FILE_DIR"]).glob("*.eml")
    text = eml.with_suffix(".txt").read_text(encoding="utf-8")
    assert "To: nieuw@example.nl" in text and f"Subject: {message['Subject']}" in text
    assert f"\n{link}\n" in text  # whole, on a line of its own
    [record] = [r for r in caplog.records if r.name == "cop.mail"]
    logged = record.getMessage()
    assert "written" in logged and "nieuw@example.nl" in logged
    assert link in logged.split() and str(eml.with_suffix(".txt")) in logged
