"""The state machine of a contribution, through the real services: every action from every state
either leads where ``TRANSITIONS`` says or is refused and changes nothing; and the rules around it
(who may take which action, messages that are required, endorsements)."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select

from cop.contributions import Contribution, EndorsementRow, LessonOrigin, services
from cop.contributions.models import ContributionEvent
from cop.contributions.states import (
    MODERATOR_ACTIONS,
    TRANSITIONS,
    WRITER_ACTIONS,
    Action,
    Status,
    allowed,
)
from cop.extensions import db
from cop.guide import queries as guide_queries
from cop.transactions import DomainError
from tests.contributions.factories import PRACTICE, in_review, practice, promote_into, submitted
from tests.factories import make_user
from tests.guide.factories import import_shipped
from tests.places.factories import import_places, place

PAIRS = list(itertools.product(Status, Action))


@pytest.fixture
def guide():
    import_shipped()


@pytest.fixture
def people():
    return {
        "writer": make_user(display_name="Wendy Schrijver"),
        "moderator": make_user("moderator", display_name="Mo Derator"),
        "other_moderator": make_user("moderator", display_name="Olga Moderator"),
        "member": make_user(display_name="Mees Lid"),
    }


def _lesson():
    return guide_queries.lesson_by_ref("1.2")


def _promote(contribution, moderator):
    return promote_into(contribution, moderator, _lesson())


def contribution_in(status: Status, people) -> Contribution:
    """A practice experience brought into ``status`` the way members and moderators do it."""
    writer, moderator = people["writer"], people["moderator"]
    contribution = practice(writer, f"Buurttafels ({status.value})")
    if status == Status.DRAFT:
        pass
    elif status == Status.SUBMITTED:
        submitted(contribution, writer)
    elif status == Status.WITHDRAWN:
        submitted(contribution, writer)
        services.withdraw(contribution, writer)
    else:
        in_review(contribution, writer, moderator)
        if status == Status.CHANGES_REQUESTED:
            services.decide(contribution, moderator, "request_changes", "Beschrijf het doel.")
        elif status == Status.DECLINED:
            services.decide(contribution, moderator, "decline", "Dit past niet in de gids.")
        elif status == Status.PROMOTED:
            _promote(contribution, moderator)
    assert contribution.status == status
    return contribution


def perform(action: Action, contribution: Contribution, people) -> None:
    writer, moderator = people["writer"], people["moderator"]
    if action == Action.EDIT:
        values = {
            "title": "Buurttafels, herschreven",
            "themes": guide_queries.themes()[:1],
            "places": [],
            "fields": {**PRACTICE, "goal": "Een nieuw doel."},
            "result_bases": ["gemeten"],
        }
        services.update(contribution, writer, values, contribution.version)
    elif action == Action.SUBMIT:
        services.submit(contribution, writer, privacy_confirmed=True)
    elif action == Action.WITHDRAW:
        services.withdraw(contribution, writer)
    elif action == Action.TAKE:
        # another moderator than the one who has it: taking it is a real change
        services.take(contribution, people["other_moderator"])
    elif action == Action.RELEASE:
        services.release(contribution, moderator)
    elif action in (Action.REQUEST_CHANGES, Action.DECLINE, Action.REOPEN):
        services.decide(contribution, moderator, action.value, "Een bericht voor de schrijvers.")
    elif action == Action.PROMOTE:
        _promote(contribution, moderator)
    else:  # pragma: no cover - a new action needs a line here
        raise AssertionError(f"no way to perform {action}")


def event_count(contribution) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(ContributionEvent)
        .where(ContributionEvent.contribution_id == contribution.id)
    )


def origin_count() -> int:
    return db.session.scalar(select(func.count()).select_from(LessonOrigin))


def stored_status(contribution) -> Status:
    return Status(db.session.scalar(select(Contribution.status).where(Contribution.id == contribution.id)))


def test_the_table_names_every_action_and_only_known_states():
    assert set(TRANSITIONS) == set(Action)
    assert set(Action) == WRITER_ACTIONS | MODERATOR_ACTIONS
    assert not WRITER_ACTIONS & MODERATOR_ACTIONS
    for targets in TRANSITIONS.values():
        assert set(targets) <= set(Status) and set(targets.values()) <= set(Status)
    # nothing leads out of the guide, and nothing back into a draft
    assert not any(Status.PROMOTED in targets for targets in TRANSITIONS.values())
    assert all(
        source == Status.DRAFT
        for targets in TRANSITIONS.values()
        for source, target in targets.items()
        if target == Status.DRAFT
    )


@pytest.mark.parametrize(("status", "action"), PAIRS, ids=[f"{s.value}-{a.value}" for s, a in PAIRS])
def test_every_action_from_every_state(guide, people, status, action):
    contribution = contribution_in(status, people)
    events_before = event_count(contribution)
    assignee_before, title_before = contribution.assignee_id, contribution.title
    lesson_before = (_lesson().current_revision.number, origin_count())
    if allowed(status, action):
        perform(action, contribution, people)
        db.session.expire_all()
        contribution = db.session.get(Contribution, contribution.id)
        assert contribution.status == TRANSITIONS[action][status]
        if action != Action.EDIT:  # every change of state is in the trail
            last = db.session.scalar(
                select(ContributionEvent)
                .where(ContributionEvent.contribution_id == contribution.id)
                .order_by(ContributionEvent.id.desc())
            )
            assert event_count(contribution) == events_before + 1
            assert (last.action, last.from_status, last.to_status) == (
                action.value,
                status.value,
                TRANSITIONS[action][status].value,
            )
            if action == Action.PROMOTE:  # the lesson has a new version that names where it came from
                assert _lesson().current_revision.number == lesson_before[0] + 1
                assert origin_count() == lesson_before[1] + 1
        else:
            assert contribution.title == "Buurttafels, herschreven"
            assert contribution.field("goal") == "Een nieuw doel."
    else:
        with pytest.raises(DomainError) as refused:
            perform(action, contribution, people)
        assert refused.value.message
        # a refused action leaves nothing behind, not even in the session
        assert contribution.status == status
        assert contribution.assignee_id == assignee_before
        assert stored_status(contribution) == status
        assert event_count(contribution) == events_before
        db.session.expire_all()
        stored = db.session.get(Contribution, contribution.id)
        assert (stored.assignee_id, stored.title) == (assignee_before, title_before)
        assert (_lesson().current_revision.number, origin_count()) == lesson_before


@pytest.mark.parametrize("decision", ["decline", "request_changes"])
@pytest.mark.parametrize("message", ["", "   \n  "])
def test_declining_and_requesting_changes_need_a_message(guide, people, decision, message):
    contribution = in_review(practice(people["writer"]), people["writer"], people["moderator"])
    events_before = event_count(contribution)
    with pytest.raises(DomainError) as refused:
        services.decide(contribution, people["moderator"], decision, message)
    assert refused.value.field == "message"
    assert refused.value.message.strip()
    assert stored_status(contribution) == Status.IN_REVIEW
    assert event_count(contribution) == events_before


def test_an_unknown_decision_is_refused(guide, people):
    contribution = in_review(practice(people["writer"]), people["writer"], people["moderator"])
    with pytest.raises(DomainError) as refused:
        services.decide(contribution, people["moderator"], "promote", "Mooi.")
    assert refused.value.field == "action"
    assert stored_status(contribution) == Status.IN_REVIEW


@pytest.mark.parametrize("who", ["member", "writer"])
def test_only_moderators_take_decide_and_promote(guide, people, who):
    actor = people[who]
    waiting = submitted(practice(people["writer"], "Wacht"), people["writer"])
    reviewed = in_review(practice(people["writer"], "In behandeling"), people["writer"], people["moderator"])
    attempts = [
        (waiting, lambda: services.take(waiting, actor)),
        (reviewed, lambda: services.take(reviewed, actor)),
        (reviewed, lambda: services.release(reviewed, actor)),
        (reviewed, lambda: services.decide(reviewed, actor, "request_changes", "Doe het anders.")),
        (reviewed, lambda: services.decide(reviewed, actor, "decline", "Niet nodig.")),
        (reviewed, lambda: _promote(reviewed, actor)),
    ]
    for contribution, attempt in attempts:
        status, events_before = contribution.status, event_count(contribution)
        with pytest.raises(DomainError) as refused:
            attempt()
        assert refused.value.message
        assert stored_status(contribution) == status
        assert event_count(contribution) == events_before
    assert reviewed.assignee_id == people["moderator"].id
    assert origin_count() == 0


def test_a_moderator_cannot_give_it_to_a_member(guide, people):
    contribution = submitted(practice(people["writer"]), people["writer"])
    with pytest.raises(DomainError) as refused:
        services.take(contribution, people["moderator"], people["member"])
    assert refused.value.field == "assignee"
    assert stored_status(contribution) == Status.SUBMITTED


def test_only_writers_take_the_writers_actions(guide, people):
    other = people["member"]
    draft = practice(people["writer"], "Concept")
    waiting = submitted(practice(people["writer"], "Ingediend"), people["writer"])
    for contribution, attempt in [
        (draft, lambda: services.submit(draft, other, privacy_confirmed=True)),
        (waiting, lambda: services.withdraw(waiting, other)),
        (waiting, lambda: services.update(waiting, other, {"title": "Overgenomen"}, None)),
    ]:
        status = contribution.status
        with pytest.raises(DomainError):
            attempt()
        assert stored_status(contribution) == status
    db.session.expire_all()
    assert db.session.get(Contribution, waiting.id).title == "Ingediend"


def test_submitting_needs_the_privacy_confirmation(guide, people):
    draft = practice(people["writer"])
    with pytest.raises(DomainError) as refused:
        services.submit(draft, people["writer"], privacy_confirmed=False)
    assert refused.value.field == "privacy" and refused.value.message
    assert stored_status(draft) == Status.DRAFT


# --- endorsements ---------------------------------------------------------------------------------


@pytest.fixture
def places():
    import_places()


def counts(contribution) -> tuple[int, int, int]:
    db.session.expire_all()
    row = db.session.get(Contribution, contribution.id)
    return row.recognised_count, row.works_here_count, row.endorsement_count


def test_the_writers_cannot_endorse_their_own_contribution(guide, people):
    writer = people["writer"]
    coauthor = make_user(display_name="Co Auteur")
    contribution = practice(writer)
    services.invite_coauthor(contribution, writer, coauthor.handle)
    services.answer_invitation(contribution, coauthor, True)
    submitted(contribution, writer)
    for user in (writer, coauthor):
        with pytest.raises(DomainError) as refused:
            services.endorse(contribution, user, "herkenbaar")
        assert refused.value.message
    assert counts(contribution) == (0, 0, 0)
    assert db.session.scalar(select(func.count()).select_from(EndorsementRow)) == 0


def test_a_draft_cannot_be_endorsed(guide, people):
    contribution = practice(people["writer"])
    with pytest.raises(DomainError):
        services.endorse(contribution, people["member"], "herkenbaar")
    assert counts(contribution) == (0, 0, 0)


def test_endorsing_twice_counts_once(guide, places, people):
    contribution = submitted(practice(people["writer"]), people["writer"])
    member = people["member"]
    assert services.endorse(contribution, member, "herkenbaar") is True
    assert services.endorse(contribution, member, "herkenbaar") is False
    assert counts(contribution) == (1, 0, 1)
    ondiep = place("ondiep-utrecht")
    assert services.endorse(contribution, member, "werkt_ook_bij_ons", str(ondiep.id)) is True
    assert services.endorse(contribution, member, "werkt_ook_bij_ons", str(ondiep.id)) is False
    assert counts(contribution) == (1, 1, 2)
    assert db.session.scalar(select(func.count()).select_from(EndorsementRow)) == 2


def test_withdrawing_an_endorsement_updates_the_counts(guide, places, people):
    contribution = submitted(practice(people["writer"]), people["writer"])
    anna, bram = people["member"], make_user(display_name="Bram")
    ondiep = place("ondiep-utrecht")
    services.endorse(contribution, anna, "herkenbaar")
    services.endorse(contribution, anna, "werkt_ook_bij_ons", ondiep.id)
    services.endorse(contribution, bram, "herkenbaar")
    assert counts(contribution) == (2, 1, 3)
    assert services.withdraw_endorsement(contribution, anna, "werkt_ook_bij_ons") is True
    assert counts(contribution) == (2, 0, 2)
    assert services.withdraw_endorsement(contribution, anna, "werkt_ook_bij_ons") is False
    assert counts(contribution) == (2, 0, 2)
    assert services.withdraw_endorsement(contribution, bram, "herkenbaar") is True
    assert counts(contribution) == (1, 0, 1)
    assert services.withdraw_endorsement(contribution, anna, "herkenbaar") is True
    assert counts(contribution) == (0, 0, 0)
    assert db.session.scalar(select(func.count()).select_from(EndorsementRow)) == 0


@pytest.mark.parametrize("neighbourhood", [None, "", "999999", "geen-getal"])
def test_works_for_us_too_needs_a_neighbourhood(guide, places, people, neighbourhood):
    contribution = submitted(practice(people["writer"]), people["writer"])
    with pytest.raises(DomainError) as refused:
        services.endorse(contribution, people["member"], "werkt_ook_bij_ons", neighbourhood)
    assert refused.value.field == "neighbourhood"
    assert refused.value.message.strip()
    assert counts(contribution) == (0, 0, 0)
    assert db.session.scalar(select(func.count()).select_from(EndorsementRow)) == 0
