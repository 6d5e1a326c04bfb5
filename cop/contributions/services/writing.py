"""Writing a contribution: a draft, edits, co-authors, submitting and withdrawing. Public functions
own the commit."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from cop import signals
from cop.accounts import User
from cop.contributions.kinds import RESULT_BASES, Kind
from cop.contributions.models import Contribution, ContributionWriter
from cop.contributions.services.common import TITLE_MAX, check_message, clean_fields, event, transition
from cop.contributions.states import Action, Status, next_status
from cop.db_types import utcnow
from cop.extensions import db
from cop.guide.rules import content_problems
from cop.permissions import can_write
from cop.places import queries as places_queries
from cop.transactions import CONFLICT_MESSAGE, DomainError, commit

MAX_WRITERS = 10
MAX_PLACES = 10


def _check_writer(contribution: Contribution, actor, action: Action) -> None:
    if not can_write(actor):
        raise DomainError(_("Confirm your email address first; then you can take part."))
    if not contribution.is_writer(actor):
        raise DomainError(_("Only its writers can do that."))
    next_status(contribution.status, action)  # refused where the state machine says so


def _places(ids, actor, current: list) -> list:
    """The chosen neighbourhoods: ones already chosen, approved ones, or the actor's own proposals."""
    chosen = []
    allowed = {n.id: n for n in places_queries.choices_for(actor)} | {n.id: n for n in current}
    for value in ids or []:
        try:
            place = allowed[int(value)]
        except (KeyError, TypeError, ValueError):
            raise DomainError(_("Choose neighbourhoods from the list."), "places") from None
        if place not in chosen:
            chosen.append(place)
    if len(chosen) > MAX_PLACES:
        raise DomainError(_("Choose at most %(max)d neighbourhoods.", max=MAX_PLACES), "places")
    return chosen


def _apply(contribution: Contribution, values: dict, actor) -> None:
    title = (values.get("title") or "").strip()
    if not title:
        raise DomainError(_("Give your contribution a title."), "title")
    if len(title) > TITLE_MAX:
        raise DomainError(_("Use at most %(max)d characters.", max=TITLE_MAX), "title")
    kind = contribution.kind
    text, html = clean_fields(kind, values.get("fields") or {})
    themes = list(values.get("themes") or [])
    if kind == Kind.PRACTICE and not themes:
        raise DomainError(_("Choose at least one theme."), "themes")
    places = _places(values.get("places"), actor, list(contribution.places))
    if kind == Kind.CHANGE:
        proposal = values.get("proposal")
        if proposal is None or contribution.lesson_id is None:
            raise DomainError(_("Choose the lesson you want to improve."))
        problems = content_problems(proposal)
        if problems:
            raise DomainError(problems[0].message(), problems[0].path[0])
        contribution.proposal = proposal
    contribution.title = title
    contribution.fields, contribution.fields_html = text, html
    contribution.result_bases = [b for b in values.get("result_bases") or [] if b in RESULT_BASES]
    contribution.themes = themes
    contribution.places = places
    contribution.chapter = values.get("chapter") if kind == Kind.LESSON else None
    contribution.updated_at = utcnow()


def create(author, kind: str, values: dict, *, lesson=None) -> Contribution:
    """A new draft; only its writers see it. A suggested improvement starts from ``lesson``'s
    current revision."""
    if not can_write(author):
        raise DomainError(_("Confirm your email address first; then you can take part."))
    contribution = Contribution(kind=Kind(kind), status=Status.DRAFT, author_id=author.id)
    if contribution.kind == Kind.CHANGE:
        if lesson is None or lesson.current_revision_id is None:
            raise DomainError(_("Choose the lesson you want to improve."))
        contribution.lesson_id = lesson.id
        contribution.base_revision_id = lesson.current_revision_id
    with db.session.no_autoflush:
        _apply(contribution, values, author)
    db.session.add(contribution)
    db.session.flush()
    contribution.writers.append(ContributionWriter(user_id=author.id, position=0, accepted_at=utcnow()))
    event(contribution, author, "created", new=Status.DRAFT)
    _follow(contribution, author.id)
    commit()
    return contribution


def update(contribution: Contribution, actor, values: dict, version) -> None:
    """Save the writers' edit; refused when another writer saved since ``version`` was read."""
    _check_writer(contribution, actor, Action.EDIT)
    if version not in (None, "") and str(version) != str(contribution.version):
        raise DomainError(CONFLICT_MESSAGE)
    try:
        with db.session.no_autoflush:
            _apply(contribution, values, actor)
    except DomainError:
        db.session.rollback()
        raise
    if contribution.status != Status.DRAFT:
        event(contribution, actor, "edited")
    commit()


def submit(contribution: Contribution, actor, *, privacy_confirmed: bool, note: str = "") -> None:
    """Submit for review (again, after changes were requested). The writer confirms that the text
    names no residents and holds no personal data of others."""
    _check_writer(contribution, actor, Action.SUBMIT)
    if not privacy_confirmed:
        raise DomainError(
            _("Confirm that your contribution names no residents and holds no personal data of others."),
            "privacy",
        )
    note = check_message(note, "note")
    now = utcnow()
    contribution.privacy_confirmed_at = now
    contribution.submitted_at = contribution.submitted_at or now
    transition(contribution, Action.SUBMIT, actor, note)
    commit()


def withdraw(contribution: Contribution, actor, reason: str = "") -> None:
    _check_writer(contribution, actor, Action.WITHDRAW)
    transition(contribution, Action.WITHDRAW, actor, check_message(reason, "reason"))
    commit()


def delete_draft(contribution: Contribution, actor) -> None:
    """A draft that was never submitted can be thrown away by its author."""
    if contribution.status != Status.DRAFT or not contribution.is_author(actor):
        raise DomainError(_("Only the author can delete a draft."))
    db.session.delete(contribution)
    commit()


# --- co-authors -----------------------------------------------------------------------------------


def invite_coauthor(contribution: Contribution, actor, handle: str) -> User:
    """The author asks another member to write along; they are credited once they accept."""
    if not contribution.is_author(actor) or not can_write(actor):
        raise DomainError(_("Only the author can add co-authors."))
    if contribution.status in (Status.PROMOTED, Status.DECLINED, Status.WITHDRAWN):
        raise DomainError(_("Co-authors can no longer be added to this contribution."))
    handle = (handle or "").strip().lstrip("@").lower()
    if not handle:
        raise DomainError(_("Enter the username of the member, for example @janjansen."), "handle")
    user = db.session.scalar(select(User).where(User.handle == handle[:30]))
    if user is None or not user.is_confirmed:
        raise DomainError(
            _("There is no member with the username @%(handle)s.", handle=handle[:30]), "handle"
        )
    if user.is_suspended:
        raise DomainError(
            _("@%(handle)s cannot be added now: this account is suspended.", handle=user.handle), "handle"
        )
    if user.id in contribution.writer_ids(accepted_only=False):
        raise DomainError(
            _("@%(handle)s is a writer of this contribution already.", handle=user.handle), "handle"
        )
    if len(contribution.writers) >= MAX_WRITERS:
        raise DomainError(_("A contribution has at most %(max)d writers.", max=MAX_WRITERS), "handle")
    contribution.writers.append(
        ContributionWriter(
            user_id=user.id, position=len(contribution.writers), invited_by_id=actor.id, invited_at=utcnow()
        )
    )
    event(contribution, actor, "coauthor_invited", user=user.id, name=user.display_name)
    signals.coauthor_invited.send(contribution, actor=actor, invited=user)
    commit()
    return user


def _writer_row(contribution: Contribution, user_id: int) -> ContributionWriter | None:
    return next((w for w in contribution.writers if w.user_id == user_id), None)


def answer_invitation(contribution: Contribution, user, accept: bool) -> None:
    row = _writer_row(contribution, user.id)
    if row is None or row.accepted_at is not None:
        raise DomainError(_("There is no open invitation for you to write this contribution."))
    if accept:
        if not can_write(user):
            raise DomainError(_("Confirm your email address first; then you can take part."))
        row.accepted_at = utcnow()
        event(contribution, user, "coauthor_accepted")
        _follow(contribution, user.id)
    else:
        contribution.writers.remove(row)
        event(contribution, user, "coauthor_declined")
    commit()


def remove_coauthor(contribution: Contribution, actor, user_id: int) -> None:
    """The author removes a co-author (or an invitation); a co-author can leave."""
    row = _writer_row(contribution, user_id)
    if row is None or user_id == contribution.author_id:
        raise DomainError(_("That member is not a co-author of this contribution."))
    if not (contribution.is_author(actor) or actor.id == user_id):
        raise DomainError(_("Only the author can remove co-authors."))
    if contribution.is_promoted:
        raise DomainError(_("The writers of a contribution in the guide stay credited."))
    contribution.writers.remove(row)
    event(contribution, actor, "coauthor_removed", user=user_id)
    commit()


def _follow(contribution: Contribution, user_id: int) -> None:
    """Writers follow their contribution: its comments and what happens to it."""
    from cop.contributions.services.community import stage_follow

    stage_follow(contribution, user_id, True)
