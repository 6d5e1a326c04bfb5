"""Including a contribution goes through the guide's lesson form: its add and remove buttons for
quotes, examples and sources work there too, and store nothing."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from cop.contributions import Contribution
from cop.extensions import db
from cop.guide import LessonRevision
from tests.conftest import logged_in
from tests.contributions.factories import in_review, practice
from tests.factories import make_user
from tests.guide.factories import import_shipped
from tests.html_forms import post_forms


def test_a_block_is_added_and_removed_on_the_promotion_form_without_storing(app):
    import_shipped()
    author, moderator = make_user(display_name="Anna de Boer"), make_user("moderator")
    contribution = in_review(practice(author), author, moderator)
    status = contribution.status
    url = f"/moderatie/beoordelen/{contribution.id}/opnemen?als=nieuw"
    client = logged_in(app, moderator)
    page = client.get(url).get_data(as_text=True)
    assert 'name="entry_action" value="add-quotes"' in page
    fields = next(form for form in post_forms(page, url) if "title" in form.fields).fields
    examples = {name for name in fields if name.startswith("examples-") and name.endswith("-title")}
    assert examples == {"examples-0-title"}  # the experience, as a practice example; no empty one

    added = client.post(url, data={**fields, "entry_action": "add-examples"}).get_data(as_text=True)
    assert 'name="examples-1-title"' in added and 'name="examples-2-title"' not in added
    assert 'class="error-summary"' not in added
    fields = next(form for form in post_forms(added, url) if "title" in form.fields).fields
    removed = client.post(url, data={**fields, "entry_action": "remove-examples-0"}).get_data(as_text=True)
    assert re.search(r'name="examples-0-title" type="text" value=""', removed)
    assert 'name="examples-1-title"' not in removed

    assert db.session.scalar(select(func.count()).select_from(LessonRevision)) == 1
    db.session.expire_all()
    assert db.session.get(Contribution, contribution.id).status == status
