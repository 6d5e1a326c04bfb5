"""Neighbourhoods: the import of the shipped list, the directory, members' proposals and the
moderators' decisions on them, a member's working area, and the pages' query counts.

Messages of this package may not be translated yet: the tests look at names, addresses, status
codes, the field an error is shown at, and the rows in the database."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from cop.accounts import services as accounts
from cop.circles.models import Circle
from cop.extensions import db
from cop.places import services
from cop.places.models import MemberArea, Neighbourhood, PlaceStatus, match_key
from cop.transactions import DomainError
from tests.circles.factories import make_circle
from tests.conftest import logged_in
from tests.factories import make_user
from tests.places.factories import SHIPPED, import_places, place, propose

UTRECHT = ("Overvecht", "Kanaleneiland", "Ondiep", "Zuilen-Oost", "Hoograven")


def neighbourhood_count(status: PlaceStatus | None = None) -> int:
    stmt = select(func.count()).select_from(Neighbourhood)
    if status is not None:
        stmt = stmt.where(Neighbourhood.status == status)
    return db.session.scalar(stmt)


def all_rows() -> list[tuple]:
    columns = (Neighbourhood.id, Neighbourhood.slug, Neighbourhood.key, Neighbourhood.name)
    columns += (Neighbourhood.municipality, Neighbourhood.programme, Neighbourhood.note, Neighbourhood.status)
    return [tuple(row) for row in db.session.execute(select(*columns).order_by(Neighbourhood.id))]


def write_csv(tmp_path, text: str, name: str = "wijken.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def proposal_form(**changes) -> dict:
    data = {"name": "Lombok", "municipality": "Utrecht", "programme": "other", "description": ""}
    data.update(changes)
    return data


def field_error(page: str, field: str) -> bool:
    return f'id="{field}-error"' in page


def links_to(page: str, slug: str) -> bool:
    return f'href="/wijk/{slug}"' in page


@pytest.fixture
def places():
    return import_places()


@pytest.fixture
def kanaleneiland(places):
    return place("kanaleneiland-utrecht")


@pytest.fixture
def lombok(member, places):
    """A member's proposal, waiting for a moderator."""
    return propose(member, "Lombok", "Utrecht")


# --- the import -----------------------------------------------------------------------------------


def test_the_import_adds_41_neighbourhoods_and_twice_is_once(places):
    assert (places.added, places.updated, places.unchanged) == (41, 0, 0)
    before = all_rows()
    again = import_places()
    assert (again.added, again.updated, again.unchanged) == (0, 0, 41)
    assert all_rows() == before and len(before) == 41
    utrecht = db.session.scalars(select(Neighbourhood).where(Neighbourhood.municipality == "Utrecht")).all()
    assert sorted(n.key for n in utrecht) == sorted(match_key(name, "Utrecht") for name in UTRECHT)
    assert all(n.status == PlaceStatus.APPROVED for n in utrecht)
    hoograven = place("hoograven-utrecht")
    assert hoograven.programme == "other" and hoograven.municipality == "Utrecht"
    assert place("kanaleneiland-utrecht").programme == "40"


def test_another_spelling_of_a_known_neighbourhood_is_no_second_one(places, tmp_path):
    before = all_rows()
    csv = write_csv(tmp_path, "name,municipality,programme\nZuilen-Oost,Utrecht,40\nzuilen-oost,utrecht,40\n")
    report = services.import_csv(csv)
    assert report.added == 0 and all_rows() == before
    zuilen = db.session.scalars(select(Neighbourhood).where(Neighbourhood.key == "utrecht/zuilenoost")).all()
    assert len(zuilen) == 1


def test_a_list_that_spells_one_neighbourhood_twice_adds_it_once(runner, tmp_path):
    csv = write_csv(
        tmp_path, "name,municipality,programme,note\nZuilen Oost,Utrecht,40,\nzuilen-oost,utrecht,40,\n"
    )
    result = runner.invoke(args=["places", "import", str(csv)])
    assert result.exit_code == 0, result.output
    assert "2 added, 0 updated, 1 unchanged" in result.output  # Zuilen Oost and Hoograven
    assert sorted(db.session.scalars(select(Neighbourhood.slug))) == [
        "hoograven-utrecht",
        "zuilen-oost-utrecht",
    ]


def test_the_command_prints_its_report_and_the_second_run_adds_nothing(runner):
    first = runner.invoke(args=["places", "import"])
    assert first.exit_code == 0, first.output
    assert "41 added, 0 updated, 0 unchanged" in first.output
    before = all_rows()
    second = runner.invoke(args=["places", "import"])
    assert second.exit_code == 0, second.output
    assert "0 added, 0 updated, 41 unchanged" in second.output
    assert all_rows() == before


def test_a_changed_programme_is_updated_and_reported(runner, places, tmp_path):
    csv = write_csv(tmp_path, "name,municipality,programme\nZuilen-Oost,Utrecht,40plus\n")
    result = runner.invoke(args=["places", "import", str(csv)])
    assert "0 added, 1 updated, 1 unchanged" in result.output, result.output
    assert place("zuilen-oost-utrecht").programme == "40plus"
    assert neighbourhood_count() == 41


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("name,programme\nLombok,other\n", "missing column(s) municipality"),
        (
            "naam,gemeente,programma\nLombok,Utrecht,other\n",
            "missing column(s) municipality, name, programme",
        ),
        # a bad row after good ones: nothing of the file is kept
        ("name,municipality,programme\nLombok,Utrecht,other\nTaka,Utrecht,99\n", "wijken.csv:3"),
        ("name,municipality,programme\nLombok,Utrecht,other\n,Utrecht,other\n", "wijken.csv:3"),
    ],
)
def test_a_broken_list_fails_with_a_clear_message_and_stores_nothing(runner, tmp_path, text, says):
    csv = write_csv(tmp_path, text)
    result = runner.invoke(args=["places", "import", str(csv)])
    assert result.exit_code != 0
    assert says in result.output and "Traceback" not in result.output
    assert neighbourhood_count() == 0
    # and the next import in the same process does not store what the failed one had read
    assert runner.invoke(args=["places", "import"]).exit_code == 0
    assert neighbourhood_count() == 41 and place("lombok-utrecht") is None


def test_a_list_saved_by_a_spreadsheet_with_a_byte_order_mark_imports(runner, tmp_path):
    csv = write_csv(tmp_path, "name,municipality,programme\nLombok,Utrecht,other\n", encoding="utf-8-sig")
    result = runner.invoke(args=["places", "import", str(csv)])
    assert result.exit_code == 0, result.output
    assert place("lombok-utrecht") is not None


def test_a_list_with_only_its_header_adds_only_hoograven(runner, tmp_path):
    csv = write_csv(tmp_path, "name,municipality,programme,note\n")
    result = runner.invoke(args=["places", "import", str(csv)])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output
    assert list(db.session.scalars(select(Neighbourhood.slug))) == ["hoograven-utrecht"]


def test_the_shipped_list_is_the_default(runner):
    assert SHIPPED.exists()
    result = runner.invoke(args=["places", "import", str(SHIPPED)])
    assert "41 added" in result.output and neighbourhood_count() == 41


# --- the directory --------------------------------------------------------------------------------


def test_the_directory_groups_the_neighbourhoods_by_municipality(client, places):
    page = client.get("/wijken/").get_data(as_text=True)
    assert page.count('href="/wijk/') == 41
    assert ">Utrecht</h2>" in page and ">Rotterdam</h2>" in page
    # Amsterdam's Noord and Rotterdam's Noord are two neighbourhoods
    assert links_to(page, "noord-amsterdam") and links_to(page, "noord-rotterdam")
    utrecht = page.split(">Utrecht</h2>", 1)[1].split("</section>", 1)[0]
    assert utrecht.count('href="/wijk/') == 5 and links_to(utrecht, "hoograven-utrecht")


@pytest.mark.parametrize("q", ["zuilen oost", "Zuilen-Oost", "ZUILENOOST", "zuilen"])
def test_a_search_finds_a_neighbourhood_however_it_is_written(client, places, q):
    page = client.get("/wijken/", query_string={"q": q}).get_data(as_text=True)
    assert links_to(page, "zuilen-oost-utrecht")
    assert page.count('href="/wijk/') == 1


def test_a_search_by_municipality_lists_its_neighbourhoods(client, places):
    page = client.get("/wijken/", query_string={"q": "utrecht"}).get_data(as_text=True)
    assert page.count('href="/wijk/') == 5
    for slug in ("overvecht", "kanaleneiland", "ondiep", "zuilen-oost", "hoograven"):
        assert links_to(page, f"{slug}-utrecht"), slug


def test_the_programme_filter(client, places, moderator):
    shrinking = propose(moderator, "Delfzijl Noord", "Eemsdelta", programme="krimp")
    services.decide(shrinking, "approve", moderator)
    other = client.get("/wijken/?programma=other").get_data(as_text=True)
    assert other.count('href="/wijk/') == 1 and links_to(other, "hoograven-utrecht")
    forty = client.get("/wijken/?programma=40").get_data(as_text=True)
    assert forty.count('href="/wijk/') == 40 and not links_to(forty, "hoograven-utrecht")
    krimp = client.get("/wijken/?programma=krimp").get_data(as_text=True)
    assert krimp.count('href="/wijk/') == 1 and links_to(krimp, "delfzijl-noord-eemsdelta")
    assert client.get("/wijken/?programma=40plus").get_data(as_text=True).count('href="/wijk/') == 0
    # an unknown programme is no filter
    assert client.get("/wijken/?programma=vijftig").get_data(as_text=True).count('href="/wijk/') == 42


def test_the_municipality_filter(client, places):
    page = client.get("/wijken/?gemeente=rotterdam").get_data(as_text=True)
    assert page.count('href="/wijk/') == 7 and links_to(page, "noord-rotterdam")
    assert not links_to(page, "noord-amsterdam")
    both = client.get("/wijken/", query_string={"gemeente": "Rotterdam", "q": "noord"}).get_data(as_text=True)
    assert both.count('href="/wijk/') == 1 and links_to(both, "noord-rotterdam")
    assert client.get("/wijken/?gemeente=Atlantis").get_data(as_text=True).count('href="/wijk/') == 0


def test_proposals_are_not_in_the_directory(app, client, member, lombok):
    for viewer in (client, logged_in(app, make_user())):
        assert not links_to(viewer.get("/wijken/").get_data(as_text=True), lombok.slug)
        assert not links_to(viewer.get("/wijken/?q=lombok").get_data(as_text=True), lombok.slug)
    # the proposer finds it among their own proposals, not in the list
    own = logged_in(app, member).get("/wijken/?q=lombok").get_data(as_text=True)
    assert own.count(f'href="/wijk/{lombok.slug}"') == 1
    assert own.split('id="my-proposals-title"', 1)[0].count('href="/wijk/') == 0


@pytest.mark.parametrize(
    "q",
    ["x" * 100_000, "%", "_", "' OR 1=1 --", "<script>alert(1)</script>", "  ", "é" * 500],
)
def test_hostile_searches_are_answered(client, places, q):
    for args in ({"q": q}, {"gemeente": q}, {"programma": q}, {"q": q, "gemeente": q, "programma": q}):
        response = client.get("/wijken/", query_string=args)
        assert response.status_code == 200, args
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


@pytest.mark.parametrize("q", ["%", "_", "%%", "zuil_n", "zuil%oost", "100%", "\\"])
def test_a_wildcard_in_a_search_is_a_character_not_anything(client, places, q):
    for args in ({"q": q}, {"gemeente": q}):
        page = client.get("/wijken/", query_string=args).get_data(as_text=True)
        assert page.count('href="/wijk/') == 0, args


# --- proposing ------------------------------------------------------------------------------------


def test_a_member_proposes_a_neighbourhood_that_only_they_and_moderators_see(
    app, client, member, member_client, moderator_client, places
):
    response = member_client.post("/wijken/voorstellen", data=proposal_form(description="Een **wijk**."))
    assert response.status_code == 302 and response.location.endswith("/wijk/lombok-utrecht")
    lombok = place("lombok-utrecht")
    assert lombok.status == PlaceStatus.PROPOSED and lombok.proposed_by_id == member.id
    assert neighbourhood_count() == 42
    own = member_client.get("/wijk/lombok-utrecht")
    assert own.status_code == 200 and "<strong>wijk</strong>" in own.get_data(as_text=True)
    assert moderator_client.get("/wijk/lombok-utrecht").status_code == 200
    assert logged_in(app, make_user()).get("/wijk/lombok-utrecht").status_code == 404
    assert client.get("/wijk/lombok-utrecht").status_code == 404
    waiting = moderator_client.get("/moderatie/wijken").get_data(as_text=True)
    assert f'href="/moderatie/wijken/{lombok.id}"' in waiting and "Marieke Lid" in waiting


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "kanaleneiland", "municipality": "utrecht"}, "name"),
        ({"name": "Zuilen Oost"}, "name"),
        ({"name": "  "}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 100_000}, "name"),
        ({"municipality": ""}, "municipality"),
        ({"municipality": "y" * 100_000}, "municipality"),
        ({"programme": "vijftig"}, "programme"),
        ({"description": "z" * 100_000}, "description"),
    ],
)
def test_a_bad_proposal_is_refused_at_the_field_and_nothing_is_stored(member_client, places, changes, field):
    before = all_rows()
    response = member_client.post("/wijken/voorstellen", data=proposal_form(**changes))
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), field)
    assert all_rows() == before


def test_a_second_proposal_of_a_waiting_one_is_refused(app, lombok):
    other = logged_in(app, make_user())
    response = other.post("/wijken/voorstellen", data=proposal_form(name="lombok"))
    assert field_error(response.get_data(as_text=True), "name")
    assert neighbourhood_count(PlaceStatus.PROPOSED) == 1


def test_an_unconfirmed_member_cannot_propose(app, places):
    pending = logged_in(app, make_user(confirmed=False))
    assert pending.get("/wijken/voorstellen").location.startswith("/account/bevestigen")
    response = pending.post("/wijken/voorstellen", data=proposal_form())
    assert response.location.startswith("/account/bevestigen")
    assert neighbourhood_count() == 41 and place("lombok-utrecht") is None


def test_a_visitor_is_sent_to_log_in(client, places):
    assert "/account/inloggen" in client.post("/wijken/voorstellen", data=proposal_form()).location
    assert neighbourhood_count() == 41


# --- deciding -------------------------------------------------------------------------------------


def test_an_approved_proposal_is_public(app, client, moderator, moderator_client, lombok):
    response = moderator_client.post(f"/moderatie/wijken/{lombok.id}", data={"decision": "approve"})
    assert response.status_code == 302
    db.session.refresh(lombok)
    assert lombok.status == PlaceStatus.APPROVED and lombok.decided_by_id == moderator.id
    assert client.get("/wijk/lombok-utrecht").status_code == 200
    assert links_to(client.get("/wijken/").get_data(as_text=True), "lombok-utrecht")
    assert f"/moderatie/wijken/{lombok.id}" not in moderator_client.get("/moderatie/wijken").get_data(
        as_text=True
    )


def test_a_declined_proposal_stays_hidden_from_others(app, client, member_client, moderator_client, lombok):
    moderator_client.post(f"/moderatie/wijken/{lombok.id}", data={"decision": "decline"})
    db.session.refresh(lombok)
    assert lombok.status == PlaceStatus.DECLINED
    assert client.get("/wijk/lombok-utrecht").status_code == 404
    assert logged_in(app, make_user()).get("/wijk/lombok-utrecht").status_code == 404
    assert member_client.get("/wijk/lombok-utrecht").status_code == 200
    assert not links_to(client.get("/wijken/").get_data(as_text=True), "lombok-utrecht")


def test_a_merge_repoints_working_areas_and_circles_and_the_old_address_redirects(
    app, client, member, member_client, moderator_client, kanaleneiland
):
    proposal = propose(member, "Kanaleneiland Zuid", "Utrecht")
    assert (
        member_client.post(
            "/account/werkgebied", data={"neighbourhood": str(proposal.id), "public": "y"}
        ).status_code
        == 302
    )
    circle = make_circle(member, name="Kring Kanaleneiland Zuid", neighbourhood=str(proposal.id))
    assert circle.neighbourhood_id == proposal.id
    response = moderator_client.post(
        f"/moderatie/wijken/{proposal.id}", data={"decision": "merge", "merge_into": str(kanaleneiland.id)}
    )
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == PlaceStatus.MERGED and proposal.merged_into_id == kanaleneiland.id
    assert db.session.get(MemberArea, member.id).neighbourhood_id == kanaleneiland.id
    assert db.session.get(Circle, circle.id).neighbourhood_id == kanaleneiland.id
    moved = client.get("/wijk/kanaleneiland-zuid-utrecht")
    assert moved.status_code == 301 and moved.location.endswith("/wijk/kanaleneiland-utrecht")
    page = logged_in(app, make_user()).get("/wijk/kanaleneiland-utrecht").get_data(as_text=True)
    assert "Marieke Lid" in page and "Kring Kanaleneiland Zuid" in page


@pytest.mark.parametrize(("first", "second"), [("approve", "decline"), ("decline", "approve")])
def test_a_proposal_is_decided_once(moderator, moderator_client, admin, lombok, first, second):
    moderator_client.post(f"/moderatie/wijken/{lombok.id}", data={"decision": first})
    db.session.refresh(lombok)
    decided = (lombok.status, lombok.decided_at, lombok.decided_by_id)
    again = logged_in(moderator_client.application, admin).post(
        f"/moderatie/wijken/{lombok.id}", data={"decision": second}
    )
    assert again.status_code == 200
    db.session.refresh(lombok)
    assert (lombok.status, lombok.decided_at, lombok.decided_by_id) == decided
    with pytest.raises(DomainError):
        services.decide(lombok, second, admin)
    db.session.refresh(lombok)
    assert (lombok.status, lombok.decided_at, lombok.decided_by_id) == decided


def test_a_merged_proposal_cannot_be_approved_afterwards(member, moderator_client, kanaleneiland):
    proposal = propose(member, "Kanaleneiland Zuid", "Utrecht")
    moderator_client.post(
        f"/moderatie/wijken/{proposal.id}", data={"decision": "merge", "merge_into": str(kanaleneiland.id)}
    )
    moderator_client.post(f"/moderatie/wijken/{proposal.id}", data={"decision": "approve"})
    db.session.refresh(proposal)
    assert proposal.status == PlaceStatus.MERGED


@pytest.mark.parametrize("target", ["", "999999", "abc", "-1", "own", "other proposal", "declined"])
def test_a_merge_without_a_neighbourhood_in_the_list_is_refused_at_the_field(
    app, member, moderator, moderator_client, lombok, target
):
    other = propose(make_user(), "Oog in Al", "Utrecht")
    declined = propose(make_user(), "Tuinwijk", "Utrecht")
    services.decide(declined, "decline", moderator)
    member_client = logged_in(app, member)
    member_client.post("/account/werkgebied", data={"neighbourhood": str(lombok.id), "public": "y"})
    value = {"own": lombok.id, "other proposal": other.id, "declined": declined.id}.get(target, target)
    before = all_rows()
    response = moderator_client.post(
        f"/moderatie/wijken/{lombok.id}", data={"decision": "merge", "merge_into": str(value)}
    )
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "merge_into")
    assert all_rows() == before
    assert db.session.get(MemberArea, member.id).neighbourhood_id == lombok.id
    target_place = db.session.get(Neighbourhood, value) if str(value).isdigit() else None
    with pytest.raises(DomainError) as refused:
        services.decide(lombok, "merge", moderator, merge_into=target_place)
    assert refused.value.field == "merge_into"
    assert all_rows() == before


def test_only_moderators_decide(app, member_client, lombok):
    assert member_client.get("/moderatie/wijken").status_code == 403
    assert member_client.get(f"/moderatie/wijken/{lombok.id}").status_code == 403
    response = member_client.post(f"/moderatie/wijken/{lombok.id}", data={"decision": "approve"})
    assert response.status_code == 403
    db.session.refresh(lombok)
    assert lombok.status == PlaceStatus.PROPOSED


def test_deciding_on_a_neighbourhood_that_does_not_exist_is_404(moderator_client, places):
    assert moderator_client.get("/moderatie/wijken/999999").status_code == 404
    assert moderator_client.post("/moderatie/wijken/999999", data={"decision": "approve"}).status_code == 404


# --- the working area -----------------------------------------------------------------------------


def test_a_public_working_area_is_on_the_neighbourhood_page_and_the_profile(
    app, member, member_client, kanaleneiland
):
    response = member_client.post(
        "/account/werkgebied", data={"neighbourhood": str(kanaleneiland.id), "public": "y"}
    )
    assert response.status_code == 302
    area = db.session.get(MemberArea, member.id)
    assert (area.neighbourhood_id, area.public) == (kanaleneiland.id, True)
    colleague = logged_in(app, make_user())
    page = colleague.get("/wijk/kanaleneiland-utrecht").get_data(as_text=True)
    assert "Marieke Lid" in page and f'href="/leden/{member.handle}"' in page
    assert links_to(colleague.get(f"/leden/{member.handle}").get_data(as_text=True), "kanaleneiland-utrecht")
    # the form shows what was saved
    form = member_client.get("/account/werkgebied").get_data(as_text=True)
    assert f'<option selected value="{kanaleneiland.id}">' in form or (
        f'value="{kanaleneiland.id}" selected' in form
    )


def test_a_private_working_area_is_only_on_the_members_own_dashboard(
    app, member, member_client, kanaleneiland
):
    member_client.post("/account/werkgebied", data={"neighbourhood": str(kanaleneiland.id)})
    area = db.session.get(MemberArea, member.id)
    assert (area.neighbourhood_id, area.public) == (kanaleneiland.id, False)
    colleague = logged_in(app, make_user())
    assert "Marieke Lid" not in colleague.get("/wijk/kanaleneiland-utrecht").get_data(as_text=True)
    assert not links_to(
        colleague.get(f"/leden/{member.handle}").get_data(as_text=True), "kanaleneiland-utrecht"
    )
    assert links_to(member_client.get("/mijn").get_data(as_text=True), "kanaleneiland-utrecht")


def test_choosing_no_neighbourhood_removes_the_working_area(member, member_client, kanaleneiland):
    member_client.post("/account/werkgebied", data={"neighbourhood": str(kanaleneiland.id), "public": "y"})
    assert member_client.post("/account/werkgebied", data={"neighbourhood": ""}).status_code == 302
    assert db.session.get(MemberArea, member.id) is None


def test_who_is_listed_as_working_in_a_neighbourhood(app, client, admin, kanaleneiland):
    def works_here(user, public=True):
        logged_in(app, user).post(
            "/account/werkgebied",
            data={"neighbourhood": str(kanaleneiland.id), **({"public": "y"} if public else {})},
        )
        return user

    open_profile = make_user(display_name="Olga Openbaar")
    accounts.update_profile(open_profile, profile_public=True)
    works_here(open_profile)
    works_here(make_user(display_name="Lotte Leden"))
    works_here(make_user(display_name="Pieter Prive"), public=False)
    works_here(make_user(display_name="Onno Onbevestigd", confirmed=False))
    suspended = works_here(make_user(display_name="Sjoerd Geschorst"))
    accounts.suspend(suspended, 7, "test", admin)
    colleague = logged_in(app, make_user()).get("/wijk/kanaleneiland-utrecht").get_data(as_text=True)
    assert "Olga Openbaar" in colleague and "Lotte Leden" in colleague
    for hidden in ("Pieter Prive", "Onno Onbevestigd", "Sjoerd Geschorst"):
        assert hidden not in colleague, hidden
    visitor = client.get("/wijk/kanaleneiland-utrecht").get_data(as_text=True)
    assert "Olga Openbaar" in visitor
    for hidden in ("Lotte Leden", "Pieter Prive", "Onno Onbevestigd", "Sjoerd Geschorst"):
        assert hidden not in visitor, hidden


@pytest.mark.parametrize("choice", ["someone else's proposal", "declined proposal", "999999", "abc", "-1"])
def test_a_working_area_outside_the_list_is_refused_and_nothing_changes(
    app, member, member_client, moderator, kanaleneiland, choice
):
    member_client.post("/account/werkgebied", data={"neighbourhood": str(kanaleneiland.id), "public": "y"})
    others = propose(make_user(), "Lombok", "Utrecht")
    own_declined = propose(member, "Tuinwijk", "Utrecht")
    services.decide(own_declined, "decline", moderator)
    value = {"someone else's proposal": others.id, "declined proposal": own_declined.id}.get(choice, choice)
    response = member_client.post("/account/werkgebied", data={"neighbourhood": str(value), "public": "y"})
    assert response.status_code == 200
    assert field_error(response.get_data(as_text=True), "neighbourhood")
    area = db.session.get(MemberArea, member.id)
    assert (area.neighbourhood_id, area.public) == (kanaleneiland.id, True)


def test_a_working_area_in_ones_own_proposal_is_not_shown_to_others_before_approval(
    app, client, member, member_client, lombok
):
    response = member_client.post(
        "/account/werkgebied", data={"neighbourhood": str(lombok.id), "public": "y"}
    )
    assert response.status_code == 302
    colleague = logged_in(app, make_user())
    accounts.update_profile(member, profile_public=True)
    for viewer in (colleague, client):
        profile = viewer.get(f"/leden/{member.handle}").get_data(as_text=True)
        assert "Lombok" not in profile and not links_to(profile, "lombok-utrecht")
    assert links_to(member_client.get("/mijn").get_data(as_text=True), "lombok-utrecht")


# --- query counts ---------------------------------------------------------------------------------


def _counts(count_queries, clients: dict, path: str) -> dict:
    counts = {}
    for name, client in clients.items():
        client.get(path)
        with count_queries() as counter:
            assert client.get(path).status_code == 200, (name, path)
        counts[name] = counter.count
    return counts


def test_the_directory_runs_the_same_queries_for_41_and_400_neighbourhoods(
    app, client, member, member_client, places, count_queries
):
    propose(member, "Lombok", "Utrecht")  # the member's own proposals are on the page too
    small = _counts(count_queries, {"visitor": client, "member": member_client}, "/wijken/")
    db.session.execute(
        insert(Neighbourhood),
        [
            {
                "slug": f"wijk-{n}-gemeente-{n % 60}",
                "key": f"gemeente{n % 60}/wijk{n}",
                "name": f"Wijk {n}",
                "municipality": f"Gemeente {n % 60}",
                "programme": ("40plus", "other", "krimp")[n % 3],
                "description": "",
                "description_html": "",
                "note": "",
                "status": "approved",
            }
            for n in range(360)
        ],
    )
    db.session.commit()
    large = _counts(count_queries, {"visitor": client, "member": member_client}, "/wijken/")
    assert client.get("/wijken/").get_data(as_text=True).count('href="/wijk/') == 401
    assert small == large, (small, large)
    assert max(large.values()) <= 8, large


def test_a_neighbourhood_page_runs_the_same_queries_for_1_and_50_members(
    app, client, kanaleneiland, count_queries
):
    ondiep = place("ondiep-utrecht")
    people = [make_user(display_name=f"Collega {n:02d}") for n in range(51)]
    for person in people:
        accounts.update_profile(person, profile_public=True)
    rows = [{"user_id": people[0].id, "neighbourhood_id": ondiep.id, "public": True}]
    rows += [{"user_id": p.id, "neighbourhood_id": kanaleneiland.id, "public": True} for p in people[1:]]
    db.session.execute(insert(MemberArea), rows)
    facilitator = make_user()
    for target in (ondiep, kanaleneiland):
        make_circle(facilitator, name=f"Kring {target.name}", neighbourhood=str(target.id))
    viewers = {"visitor": client, "member": logged_in(app, make_user())}
    one = _counts(count_queries, viewers, "/wijk/ondiep-utrecht")
    fifty = _counts(count_queries, viewers, "/wijk/kanaleneiland-utrecht")
    page = client.get("/wijk/kanaleneiland-utrecht").get_data(as_text=True)
    assert page.count('href="/leden/') == 50 and "Kring Kanaleneiland" in page
    assert one == fifty, (one, fifty)
    assert max(fifty.values()) <= 8, fifty
