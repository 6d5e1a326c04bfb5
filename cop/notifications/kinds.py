"""The kinds of notification: what each says, why its mail came, and how it is mailed by default.

Later capabilities (circles, contributions, moderation) add their kinds here, since this package
sits above them and subscribes to their signals.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from cop.notifications.models import DIGEST, IMMEDIATELY


@dataclass(frozen=True)
class Kind:
    name: str
    setting: object  # the settings page's label
    default: str  # IMMEDIATELY, DIGEST or OFF
    subject: object  # the mail's subject: %(title)s
    line: object  # what /meldingen and the digest say: %(actor)s, %(title)s
    reason: object  # why the mail came


KINDS = {
    kind.name: kind
    for kind in (
        Kind(
            "mention",
            _l("Someone mentions me with @username"),
            IMMEDIATELY,
            _l("You were mentioned in “%(title)s”"),
            _l("%(actor)s mentioned you in “%(title)s”"),
            _l("You get this mail because a member mentioned you with your @username."),
        ),
        Kind(
            "answer",
            _l("Someone replies to my question"),
            IMMEDIATELY,
            _l("A reply to your question “%(title)s”"),
            _l("%(actor)s replied to your question “%(title)s”"),
            _l("You get this mail because you asked this question."),
        ),
        Kind(
            "best_answer",
            _l("My reply is chosen as the best answer"),
            IMMEDIATELY,
            _l("Your reply is the best answer to “%(title)s”"),
            _l("%(actor)s chose your reply as the best answer to “%(title)s”"),
            _l("You get this mail because your reply was chosen as the best answer."),
        ),
        Kind(
            "reply",
            _l("A reply in a discussion I follow"),
            DIGEST,
            _l("A new reply in “%(title)s”"),
            _l("%(actor)s replied in “%(title)s”"),
            _l("You get this mail because you follow this discussion."),
        ),
        Kind(
            "new_thread",
            _l("A new discussion in a theme I follow"),
            DIGEST,
            _l("A new discussion: “%(title)s”"),
            _l("%(actor)s started “%(title)s”"),
            _l("You get this mail because you follow this theme."),
        ),
        Kind(
            "meeting_new",
            _l("A new meeting in a circle I am in"),
            IMMEDIATELY,
            _l("New meeting: “%(title)s”"),
            _l("%(actor)s planned “%(title)s”"),
            _l("You get this mail because you are a member of this circle."),
        ),
        Kind(
            "meeting_changed",
            _l("A meeting of my circle changes"),
            IMMEDIATELY,
            _l("Changed: “%(title)s”"),
            _l("%(actor)s changed “%(title)s”"),
            _l("You get this mail because you are a member of this circle."),
        ),
        Kind(
            "meeting_cancelled",
            _l("A meeting of my circle is cancelled"),
            IMMEDIATELY,
            _l("Cancelled: “%(title)s”"),
            _l("%(actor)s cancelled “%(title)s”"),
            _l("You get this mail because you are a member of this circle."),
        ),
        Kind(
            "meeting_reminder",
            _l("A reminder the day before a meeting I come to"),
            IMMEDIATELY,
            _l("Tomorrow: “%(title)s”"),
            _l("Reminder: “%(title)s” is coming up"),
            _l("You get this mail because you said you would come."),
        ),
        Kind(
            "circle_invited",
            _l("An invitation to a circle"),
            IMMEDIATELY,
            _l("An invitation to “%(title)s”"),
            _l("%(actor)s invited you to “%(title)s”"),
            _l("You get this mail because a facilitator invited you."),
        ),
        Kind(
            "circle_request",
            _l("A request to join a circle I facilitate"),
            IMMEDIATELY,
            _l("A request to join “%(title)s”"),
            _l("%(actor)s asks to join “%(title)s”"),
            _l("You get this mail because you facilitate this circle."),
        ),
        Kind(
            "circle_decided",
            _l("The answer to my request to join a circle"),
            IMMEDIATELY,
            _l("Your request to join “%(title)s”"),
            _l("%(actor)s answered your request to join “%(title)s”"),
            _l("You get this mail because you asked to join this circle."),
        ),
        Kind(
            "circle_removed",
            _l("I am removed from a circle"),
            IMMEDIATELY,
            _l("You are no longer a member of “%(title)s”"),
            _l("%(actor)s removed you from “%(title)s”"),
            _l("You get this mail because a facilitator removed you from this circle."),
        ),
        Kind(
            "comment",
            _l("A comment on a contribution I write or follow"),
            IMMEDIATELY,
            _l("A comment on “%(title)s”"),
            _l("%(actor)s commented on “%(title)s”"),
            _l("You get this mail because you write or follow this contribution."),
        ),
        Kind(
            "contrib_status",
            _l("What happens to a contribution I write or follow"),
            IMMEDIATELY,
            _l("News about “%(title)s”"),
            _l("%(actor)s: “%(title)s” is now %(status)s"),
            _l("You get this mail because you write or follow this contribution."),
        ),
        Kind(
            "contrib_endorsed",
            _l("Someone endorses my contribution"),
            DIGEST,
            _l("An endorsement of “%(title)s”"),
            _l("%(actor)s endorsed “%(title)s”"),
            _l("You get this mail because you wrote this contribution."),
        ),
        Kind(
            "contrib_promoted",
            _l("My contribution becomes part of the guide"),
            IMMEDIATELY,
            _l("“%(title)s” is part of the guide now"),
            _l("%(actor)s included “%(title)s” in the guide"),
            _l("You get this mail because you wrote this contribution."),
        ),
        Kind(
            "coauthor_invite",
            _l("An invitation to write a contribution along"),
            IMMEDIATELY,
            _l("An invitation to write “%(title)s” along"),
            _l("%(actor)s asks you to write “%(title)s” along"),
            _l("You get this mail because a member asked you to be a co-author."),
        ),
        Kind(
            "review_message",
            _l("A message in the review of a contribution"),
            IMMEDIATELY,
            _l("A message about “%(title)s”"),
            _l("%(actor)s wrote about the review of “%(title)s”"),
            _l("You get this mail because you write or review this contribution."),
        ),
        Kind(
            "review_needed",
            _l("A contribution is submitted for review (moderators)"),
            DIGEST,
            _l("Submitted for review: “%(title)s”"),
            _l("%(actor)s submitted “%(title)s” for review"),
            _l("You get this mail because you are a moderator."),
        ),
        Kind(
            "flag_resolved",
            _l("A moderator handled something I reported"),
            DIGEST,
            _l("Your report about “%(title)s”"),
            _l("Your report about “%(title)s” has been handled."),
            _l("You get this mail because you reported this to the moderators."),
        ),
    )
}
# Notifications about a member's own standing in a circle: they stay visible to them after they left.
PERSONAL_KINDS = ("circle_invited", "circle_decided", "circle_removed")
DIGEST_KIND = "digest"  # the list kind of the daily digest mail (its link switches the digest off)
