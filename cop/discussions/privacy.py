"""Discussions' part of a member's data export and of deleting the account.

Export: the member's posts with their earlier versions, the threads they started, what they follow.
Deletion: posts stay (their author shows as "verwijderd lid"); the member's name in quotes, their
@mentions and profile links in anyone's posts and earlier versions are replaced and the HTML made
anew; reading state and follow choices go.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case, delete, or_, select

from cop.accounts import privacy
from cop.discussions.models import ContainerFollow, Post, PostRevision, Thread, ThreadReader
from cop.discussions.services import SLUG_MAX, _render
from cop.extensions import db
from cop.text import slugify


def _visible_title(member):
    """The thread's title when the member may still see the thread, else None (a circle they left)."""
    visible = select(Thread.id).where(Thread.visible_clause(member))
    return case((Thread.id.in_(visible), Thread.title), else_=None)


def export(member) -> dict:
    """Posts (with earlier versions), started threads, reading state and follows: five queries."""
    posts = db.session.execute(
        select(Post, _visible_title(member))
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id == member.id)
        .order_by(Post.created_at, Post.id)
    ).all()
    versions = defaultdict(list)
    post_ids = [post.id for post, _title in posts]
    if post_ids:
        for revision in db.session.scalars(
            select(PostRevision).where(PostRevision.post_id.in_(post_ids)).order_by(PostRevision.id)
        ):
            versions[revision.post_id].append(
                {"tekst": revision.body, "geschreven": privacy.when(revision.written_at)}
            )
    threads = db.session.execute(
        select(Thread, _visible_title(member))
        .where(Thread.author_id == member.id)
        .order_by(Thread.created_at)
    ).all()
    readers = db.session.execute(
        select(ThreadReader, _visible_title(member))
        .join(Thread, Thread.id == ThreadReader.thread_id)
        .where(ThreadReader.user_id == member.id)
    ).all()
    follows = db.session.scalars(select(ContainerFollow).where(ContainerFollow.user_id == member.id)).all()
    return {
        "berichten": [
            {
                "discussie": post.thread_id,
                "discussie_titel": title,
                "nummer": post.number,
                "tekst": post.body,
                "geplaatst": privacy.when(post.created_at),
                "bewerkt": privacy.when(post.edited_at),
                "verwijderd": privacy.when(post.deleted_at),
                "eerdere_versies": versions[post.id],
            }
            for post, title in posts
        ],
        "discussies": [
            {
                "id": thread.id,
                "titel": title,
                "soort": thread.kind.value,
                "gestart": privacy.when(thread.created_at),
            }
            for thread, title in threads
        ],
        "discussies_volgen": [
            {
                "discussie": reader.thread_id,
                "discussie_titel": title,
                "niveau": reader.level.value,
                "laatst_gelezen_bericht": reader.last_read,
            }
            for reader, title in readers
        ],
        "onderwerpen_volgen": [
            {
                "soort": follow.container_kind,
                "id": follow.container_id,
                "sinds": privacy.when(follow.created_at),
            }
            for follow in follows
        ],
    }


def delete_part(member) -> None:
    """Reading state and follows go; the member's name, @mentions and profile links leave every
    post, earlier version and thread title (the HTML is rendered anew)."""
    db.session.execute(delete(ThreadReader).where(ThreadReader.user_id == member.id))
    db.session.execute(delete(ContainerFollow).where(ContainerFollow.user_id == member.id))
    for post in db.session.scalars(
        select(Post).where(
            or_(privacy.mentions_member(Post.body, member), privacy.mentions_member(Post.body_html, member))
        )
    ):
        post.body = privacy.scrub_text(post.body, member)
        post.body_html, _mentioned = _render(post.body, post.thread)
        privacy.rewrote("post", post.id)
    for revision in db.session.scalars(
        select(PostRevision).where(
            or_(
                privacy.mentions_member(PostRevision.body, member),
                privacy.mentions_member(PostRevision.body_html, member),
            )
        )
    ):
        revision.body = privacy.scrub_text(revision.body, member)
        revision.body_html, _mentioned = _render(revision.body, None)
        privacy.rewrote("post", revision.post_id)
    for thread in db.session.scalars(
        select(Thread).where(
            or_(
                privacy.mentions_member(Thread.title, member),
                Thread.slug.contains(member.handle, autoescape=True),
            )
        )
    ):
        thread.title = privacy.scrub_text(thread.title, member)
        thread.slug = slugify(thread.title, SLUG_MAX)
        privacy.rewrote("thread", thread.id)
