"""Every domain event, from one blinker namespace.

Services send a signal *before* they commit, with the object as sender and the facts as keyword
arguments; subscribers (notifications, the search index, the audit log) add their rows to the same
session, so that a change that fails leaves none of them. A subscriber never commits and never
talks to the outside world directly: it queues such work with ``transactions.after_commit``.

Subscribe in a package's ``init_app`` with ``signal.connect(fn)`` (a strong reference);
``fn(sender, **facts)``.
"""

from __future__ import annotations

from blinker import Namespace

events = Namespace()

# accounts: sender is the User
member_registered = events.signal("member-registered")  # registered by the form or the CLI
member_confirmed = events.signal("member-confirmed")
password_changed = events.signal("password-changed")  # reason="change" | "reset"
email_changed = events.signal("email-changed")  # the new address confirmed through its link
profile_changed = events.signal("profile-changed")
role_changed = events.signal("role-changed")  # actor, old, new
member_suspended = events.signal("member-suspended")  # actor, until, reason
member_unsuspended = events.signal("member-unsuspended")  # actor
# The member deleted the account: sent before the commit, when the account is emptied already
# (``deleted_at`` set) and every package has removed its part; subscribers drop what they keep.
# ``rewritten``: {kind: {ids}} of objects whose text lost the member's name ("post", "thread", …).
member_deleted = events.signal("member-deleted")  # rewritten

# guide: sender is the Lesson, Chapter or Edition
lesson_saved = events.signal("lesson-saved")  # revision (None when only details changed), editor, kind
chapter_saved = events.signal("chapter-saved")
edition_published = events.signal("edition-published")  # actor
# sender: the Theme; actor, action: create, rename, describe, order, retire, restore
theme_saved = events.signal("theme-saved")

# discussions: sender is the Thread (or the Post); ``mentioned`` lists the ids of members the text
# mentions who may read it
thread_started = events.signal("thread-started")  # post (the opening post), author, mentioned
post_created = events.signal("post-created")  # sender: the Post; author, mentioned
post_edited = events.signal("post-edited")  # sender: the Post; editor, mentioned
post_deleted = events.signal("post-deleted")  # sender: the Post; actor
best_answer_chosen = events.signal("best-answer-chosen")  # post (None when taken back), actor
# actor, action, reason (None where none was asked or given). action: pin, unpin, lock, unlock,
# hide, unhide, move (old_theme, new_theme: Theme), merge (sender: the merged thread; into: the Thread
# it went into)
thread_moderated = events.signal("thread-moderated")
post_hidden = events.signal("post-hidden")  # sender: the Post; actor, reason
post_restored = events.signal("post-restored")  # sender: the Post; actor, reason (may be None)

# circles: sender is the Circle (or the Meeting); ``actor`` did it
circle_created = events.signal("circle-created")  # actor
member_joined = events.signal("member-joined")  # member (User), actor
member_left = events.signal("member-left")  # member (User), removed_by (None when they left), reason
join_requested = events.signal("join-requested")  # request
join_decided = events.signal("join-decided")  # request, actor
member_invited = events.signal("member-invited")  # invitation, actor
meeting_planned = events.signal("meeting-planned")  # sender: the Meeting; actor
meeting_changed = events.signal("meeting-changed")  # actor
meeting_cancelled = events.signal("meeting-cancelled")  # actor

# contributions: sender is the Contribution; ``actor`` did it
contribution_changed = events.signal("contribution-changed")  # actor, action, old, new, message
contribution_endorsed = events.signal("contribution-endorsed")  # actor, kind
coauthor_invited = events.signal("coauthor-invited")  # actor, invited (User)
review_message = events.signal("review-message")  # actor, event
contribution_promoted = events.signal("contribution-promoted")  # actor, lesson, revision, how

# moderation: sender is the flagged item's FlagGroup (kind, subject_id, label, path)
flag_resolved = events.signal(
    "flag-resolved"
)  # actor, outcome ("resolved"|"dismissed"), action, note, reporter_ids
