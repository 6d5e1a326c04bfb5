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
    )
}
DIGEST_KIND = "digest"  # the list kind of the daily digest mail (its link switches the digest off)
