"""Admins manage the themes in the browser: create, rename (the slug stays), describe, order, retire
(gone from the choices and grids, its page and threads still readable) and restore; each change
sends ``theme_saved``; the content files still round-trip."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from cop import signals
from cop.guide import queries
from cop.guide.content import export_content, import_content
from cop.guide.models import Theme
from cop.guide.services import themes as services
from cop.transactions import DomainError
from tests.conftest import logged_in
from tests.discussions.factories import start_thread
from tests.guide.factories import make_theme


@pytest.fixture
def heard():
    events = []

    def receive(sender, **facts):
        events.append((sender.slug, facts["action"], facts["actor"].id))

    signals.theme_saved.connect(receive)
    yield events
    signals.theme_saved.disconnect(receive)


@pytest.fixture
def themes():
    return [
        make_theme("burgerschap", "Burgerschap", 1),
        make_theme("zorg", "Zorg en welzijn", 2),
        make_theme("wonen", "Wonen", 3),
    ]


def slugs(items) -> list[str]:
    return [theme.slug for theme in items]


def test_an_admin_creates_a_theme_with_a_slug_at_the_end(app, admin, themes, heard):
    client = logged_in(app, admin)
    response = client.post(
        "/beheer/themas/nieuw",
        data={"title": "Veiligheid & toezicht", "description": "Over *veiligheid*.", "group": "thema"},
    )
    assert response.status_code == 302
    theme = db_theme("veiligheid-toezicht")
    assert theme.title == "Veiligheid & toezicht"
    assert "<em>veiligheid</em>" in theme.description_html
    assert slugs(queries.themes())[-1] == "veiligheid-toezicht"
    assert heard == [("veiligheid-toezicht", "create", admin.id)]
    # the same title again gets a free slug
    services.create_theme(admin, "Veiligheid & toezicht")
    assert db_theme("veiligheid-toezicht-2") is not None


def db_theme(slug):
    from cop.extensions import db

    return db.session.scalar(select(Theme).where(Theme.slug == slug))


def test_bad_input_is_shown_at_the_field_and_nothing_is_stored(app, admin, themes):
    client = logged_in(app, admin)
    response = client.post(
        "/beheer/themas/nieuw", data={"title": "", "description": "Iets", "group": "thema"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Vul een titel in" in page and "Iets" in page
    response = client.post("/beheer/themas/nieuw", data={"title": "!!!", "group": "thema"})
    assert "Gebruik minstens één letter of cijfer" in response.get_data(as_text=True)
    response = client.post("/beheer/themas/nieuw", data={"title": "Goed", "group": "onzin"})
    assert "Kies een groep" in response.get_data(as_text=True)
    assert len(queries.themes(include_retired=True)) == 3


def test_renaming_keeps_the_slug_and_old_links(app, admin, themes, heard):
    theme = themes[0]
    start_thread(admin, theme, title="Een discussie", body="Tekst.")
    client = logged_in(app, admin)
    page = client.get("/beheer/themas/burgerschap").get_data(as_text=True)
    assert 'value="Burgerschap"' in page
    response = client.post(
        "/beheer/themas/burgerschap",
        data={"title": "Actief burgerschap", "description": "Nieuwe uitleg.", "group": "algemeen"},
    )
    assert response.status_code == 302
    theme = db_theme("burgerschap")
    assert (theme.title, theme.description, theme.group) == (
        "Actief burgerschap",
        "Nieuwe uitleg.",
        "algemeen",
    )
    assert [action for _slug, action, _actor in heard] == ["rename", "describe"]
    anonymous = app.test_client()
    assert "Actief burgerschap" in anonymous.get("/thema/burgerschap").get_data(as_text=True)
    assert "Een discussie" in anonymous.get("/thema/burgerschap/discussies").get_data(as_text=True)
    # saving the same again changes nothing and says so
    assert services.update_theme(theme, admin, "Actief burgerschap", "Nieuwe uitleg.", "algemeen") is False


def test_ordering_moves_a_theme_up_and_down(app, admin, themes, heard):
    client = logged_in(app, admin)
    assert client.post("/beheer/themas/wonen/omhoog").status_code == 302
    assert slugs(queries.themes()) == ["burgerschap", "wonen", "zorg"]
    client.post("/beheer/themas/burgerschap/omlaag")
    assert slugs(queries.themes()) == ["wonen", "burgerschap", "zorg"]
    assert services.move_theme(db_theme("wonen"), admin, "up") is False  # already first
    assert [action for _slug, action, _actor in heard] == ["order", "order"]
    page = client.get("/beheer/themas").get_data(as_text=True)
    assert page.index("Wonen") < page.index("Burgerschap") < page.index("Zorg en welzijn")


def test_a_retired_theme_leaves_the_choices_and_grids_but_stays_readable(app, admin, member, themes, heard):
    thread = start_thread(member, themes[1], title="Over zorg", body="Tekst.")
    client = logged_in(app, admin)
    assert client.post("/beheer/themas/zorg/intrekken").status_code == 302
    assert heard[-1][:2] == ("zorg", "retire")
    assert "zorg" not in slugs(queries.themes())
    assert "zorg" in slugs(queries.themes(include_retired=True))
    assert "zorg" not in [theme.slug for theme, _count in queries.themes_with_counts()]
    anonymous = app.test_client()
    theme_page = anonymous.get("/thema/zorg")
    assert theme_page.status_code == 200 and "niet meer in gebruik" in theme_page.get_data(as_text=True)
    assert anonymous.get(f"/discussie/{thread.ref}").status_code == 200
    assert "Zorg en welzijn" not in anonymous.get("/gids/").get_data(as_text=True)
    assert "Ingetrokken" in client.get("/beheer/themas").get_data(as_text=True)

    assert client.post("/beheer/themas/zorg/herstellen").status_code == 302
    assert heard[-1][:2] == ("zorg", "restore")
    assert "zorg" in slugs(queries.themes())


def test_only_admins_manage_themes(app, moderator, themes):
    client = logged_in(app, moderator)
    assert client.get("/beheer/themas").status_code == 403
    assert client.post("/beheer/themas/zorg/intrekken").status_code == 403
    with pytest.raises(DomainError):
        services.retire_theme(themes[1], moderator)
    with pytest.raises(DomainError):
        services.create_theme(moderator, "Nieuw")
    assert db_theme("zorg").retired_at is None


def test_the_content_files_still_round_trip_with_a_retired_theme(tmp_path, admin, shipped_guide):
    theme = queries.themes()[0]
    services.retire_theme(theme, admin)
    export_content(tmp_path)
    before = {t.slug: (t.title, t.description, t.group) for t in queries.themes(include_retired=True)}
    import_content(tmp_path)
    after = {t.slug: (t.title, t.description, t.group) for t in queries.themes(include_retired=True)}
    assert before == after
    assert db_theme(theme.slug).is_retired  # the import leaves the platform's own state alone


def test_a_retired_theme_takes_no_new_discussions(app, admin, member, themes):
    services.retire_theme(themes[1], admin)
    client = logged_in(app, member)
    assert "/thema/zorg/discussies/nieuw" not in client.get("/thema/zorg/discussies").get_data(as_text=True)
    response = client.get("/thema/zorg/discussies/nieuw")
    assert response.status_code == 302 and response.headers["Location"].endswith("/thema/zorg/discussies")
