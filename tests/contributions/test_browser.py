"""Contributions in real Chromium, with axe-core (WCAG 2.1 A+AA) on every page visited.

A practice experience from Kanaleneiland travels into the guide: its writer drafts it (with a
preview), asks a colleague to write along, who accepts from her dashboard; it is submitted (not
before the personal-data confirmation is ticked), a member from another neighbourhood endorses it
and comments, a moderator judges two criteria "not yet" and asks for changes, the writer adds what
was missing and submits again, and the moderator makes it lesson 1.10. The lesson names both writers
and their organisations, the contribution links to the lesson and its version, both writers hear of
it, the neighbourhood shows both, and the next edition's "what is new" names the contribution.
And a suggested improvement of lesson 1.2, proposed while a moderator edits the same lesson: the
review page shows both changes, and the merged version keeps both, crediting the member.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import screenshot
from tests.circles.test_browser import fill_login, flash, follow, mail_to, main, path_of, visit
from tests.factories import PASSWORD, make_user
from tests.guide.factories import LESSON_REF, import_shipped
from tests.places.factories import import_places

pytestmark = pytest.mark.browser

TITLE = "Buurttafels in Kanaleneiland"
LESSON_TITLE = "Buurttafels geven bewoners zeggenschap"
THEME = "Burgerschap"
KANALENEILAND = "/wijk/kanaleneiland-utrecht"
SITUATION = "Bewoners van Kanaleneiland voelden zich niet gehoord door gemeente en corporatie."
APPROACH = "We organiseerden **buurttafels** met de woningcorporatie en het welzijnswerk."
LESSON_FOR_OTHERS = "Vertrouwen groeit als bewoners zien dat hun keuze echt wordt uitgevoerd."
GOAL = "Bewoners bepalen mee waar het buurtbudget heen gaat."
CONDITIONS = "Een klein budget en een vast aanspreekpunt in de wijk."
REQUEST = "Beschrijf ook het doel en de randvoorwaarden."
COMMENT = "Herkenbaar: in Ondiep werkte het net zo."


# --- helpers --------------------------------------------------------------------------------------


def log_in(page, axe, email: str) -> None:
    visit(page, axe, "/account/inloggen")
    fill_login(page, email, PASSWORD)
    axe(page)


def press(page, axe, target, message: str | None = None) -> None:
    """Click ``target``, wait for the page it leads to, check its flash message and run axe."""
    follow(page, target)
    if message is not None:
        assert message in flash(page), flash(page)
    axe(page)


def textbox(page, name: str):
    return page.get_by_role("textbox", name=name, exact=True)


def region(page, name: str):
    return page.get_by_role("region", name=name, exact=True)


def status_of(page) -> str:
    return main(page).locator(".badge[class*='badge--status-']").first.inner_text()


def notification(page, text: str):
    return page.locator(".notification-list li", has_text=text)


def contribution_id(page) -> int:
    match = re.fullmatch(r"/bijdrage/(\d+)", path_of(page))
    assert match, page.url
    return int(match.group(1))


def review_item(page, question: str):
    """A criterion on the review page: its verdict buttons and its note."""
    return page.locator(".review-checklist__item").filter(has=page.get_by_role("group", name=question))


def take_into_review(page, axe, moderator: str) -> None:
    who = region(page, "Wie de bijdrage beoordeelt")
    assert who.get_by_label("Moderator").locator("option:checked").inner_text() == moderator
    press(
        page,
        axe,
        who.get_by_role("button", name="In behandeling nemen"),
        f"De bijdrage ligt nu bij {moderator}.",
    )
    assert f"De bijdrage ligt bij {moderator}." in region(page, "Wie de bijdrage beoordeelt").inner_text()
    assert status_of(page) == "In behandeling"


def marked(section, tag: str) -> list[str]:
    """The visible text of each <ins> or <del> in ``section`` (without the screen-reader label)."""
    return section.locator(tag).evaluate_all(
        """els => els.map(e => { const c = e.cloneNode(true);
            c.querySelectorAll('.visually-hidden').forEach(n => n.remove());
            return c.textContent.trim(); })"""
    )


def ids_are_unique(page) -> bool:
    """No id twice on the page: a label's ``for`` finds its own field (axe no longer checks this)."""
    return page.evaluate(
        "() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);"
        " return ids.length === new Set(ids).size; }"
    )


def lesson_body(page) -> str:
    return page.locator(".lesson-body").inner_text()


# --- journey 1: a practice experience becomes lesson 1.10 -------------------------------------------


def test_a_practice_experience_from_kanaleneiland_becomes_lesson_1_10(new_page, axe, live_server):
    import_shipped()
    import_places()
    anna = make_user(display_name="Anna de Boer", organisation="Gemeente Utrecht", email="anna@utrecht.nl")
    bram = make_user(display_name="Bram Jansen", organisation="Mitros", email="bram@mitros.nl")
    carla = make_user(display_name="Carla Smit", organisation="Welzijn Ondiep", email="carla@welzijn.nl")
    make_user("moderator", display_name="Mo Derator", email="mo@redactie.nl")
    make_user("admin", display_name="Bert Beheer", email="bert@beheer.nl")
    credit = "Anna de Boer (Gemeente Utrecht) en Bram Jansen (Mitros)"

    # Anna starts a practice experience from the list of contributions.
    a = new_page()
    log_in(a, axe, anna.email)
    visit(a, axe, "/bijdragen/")
    press(a, axe, main(a).get_by_role("link", name="Schrijf een bijdrage"))
    assert path_of(a) == "/bijdragen/nieuw"
    press(a, axe, main(a).get_by_role("link", name="Praktijkervaring"))
    assert a.get_by_role("heading", level=1).inner_text() == "Praktijkervaring"
    a.get_by_label("Titel", exact=True).fill(TITLE)
    textbox(a, "Je rol hierin").fill("Wijkregisseur")
    textbox(a, "Aanleiding").fill(SITUATION)
    textbox(a, "Aanpak").fill(APPROACH)
    textbox(a, "De les voor anderen").fill(LESSON_FOR_OTHERS)
    a.get_by_role("group", name="Thema's").get_by_label(THEME).check()
    a.get_by_label("Wijk", exact=True).select_option(label="Kanaleneiland")

    # The preview shows the text as it will read, and saves nothing.
    press(a, axe, a.get_by_role("button", name="Voorvertoning"))
    assert path_of(a) == "/bijdragen/nieuw"
    preview = region(a, "Voorvertoning (nog niet opgeslagen)")
    assert preview.locator("strong").inner_text() == "buurttafels"  # the Markdown, rendered
    assert SITUATION in preview.inner_text() and LESSON_FOR_OTHERS in preview.inner_text()
    assert a.get_by_label("Titel", exact=True).input_value() == TITLE  # the form kept everything
    assert a.get_by_label("Wijk", exact=True).locator("option:checked").inner_text() == "Kanaleneiland"
    press(
        a,
        axe,
        a.get_by_role("button", name="Opslaan als concept"),
        "Je concept is opgeslagen. Alleen jij en je medeauteurs zien het, totdat je het indient.",
    )
    number = contribution_id(a)
    contribution = f"/bijdrage/{number}"
    assert a.get_by_role("heading", level=1).inner_text() == TITLE
    assert status_of(a) == "Concept"
    summary = main(a).locator(".summary-list").inner_text()
    assert "Rol\nWijkregisseur" in summary and "Wijk\nKanaleneiland (Utrecht)" in summary
    assert main(a).get_by_role("heading", name="Je rol hierin").count() == 0  # once, as "Rol"

    # She asks Bram, by his @username, to write along.
    press(a, axe, main(a).get_by_role("link", name="Medeauteurs"))
    assert path_of(a) == f"{contribution}/schrijvers"
    a.get_by_label("Gebruikersnaam van de medeauteur").fill(f"@{bram.handle}")
    press(
        a,
        axe,
        a.get_by_role("button", name="Vraag om mee te schrijven"),
        "We hebben Bram Jansen gevraagd om mee te schrijven.",
    )
    writers = main(a).locator(".member-list").inner_text()
    assert "Anna de Boer" in writers and "Bram Jansen" in writers and "Gevraagd, nog geen antwoord" in writers
    invitation = mail_to(live_server, bram.email, f"Een uitnodiging om mee te schrijven aan “{TITLE}”")
    assert "Anna de Boer" in invitation.get_body(("plain",)).get_content()

    # Bram finds the invitation on his dashboard and accepts it on the contribution's page.
    b = new_page()
    log_in(b, axe, bram.email)
    visit(b, axe, "/mijn")
    mine = region(b, "Mijn bijdragen")
    assert "Je bent gevraagd om mee te schrijven" in mine.inner_text()
    press(b, axe, mine.get_by_role("link", name=TITLE))
    assert path_of(b) == contribution
    asked = region(b, "Je bent gevraagd om mee te schrijven")
    press(
        b,
        axe,
        asked.get_by_role("button", name="Accepteren"),
        "Je bent nu medeauteur: je wordt vermeld en kunt de bijdrage aanpassen.",
    )
    assert region(b, "Je bent gevraagd om mee te schrijven").count() == 0
    assert credit in main(b).locator(".summary-list").inner_text()

    # Anna submits: not before she confirms there is no personal data in it.
    visit(a, axe, contribution)
    press(a, axe, main(a).get_by_role("link", name="Indienen voor beoordeling"))
    assert path_of(a) == f"{contribution}/indienen"
    press(a, axe, a.get_by_role("button", name="Indienen", exact=True))
    assert path_of(a) == f"{contribution}/indienen"
    missing = "Bevestig dat je bijdrage geen bewoners noemt en geen persoonsgegevens van anderen bevat."
    assert missing in a.locator(".error-summary").inner_text()
    confirmation = a.get_by_label(
        "Mijn bijdrage noemt geen bewoners en bevat geen persoonsgegevens van anderen"
    )
    assert confirmation.get_attribute("aria-invalid") == "true"
    error_id = confirmation.get_attribute("aria-describedby").split()[-1]
    assert a.locator(f"#{error_id}").inner_text() == missing  # the error at the field itself
    screenshot(a, "contribution-submit-error")
    confirmation.check()
    press(
        a,
        axe,
        a.get_by_role("button", name="Indienen", exact=True),
        "Ingediend. Een moderator gaat je bijdrage beoordelen.",
    )
    assert path_of(a) == contribution
    assert status_of(a) == "Ingediend"

    # Carla, from Ondiep, follows it, says it works there too, and comments.
    c = new_page()
    log_in(c, axe, carla.email)
    visit(c, axe, contribution)
    press(
        c,
        axe,
        main(c).get_by_role("button", name="Volg deze bijdrage"),
        "Je volgt deze bijdrage",
    )
    endorsements = region(c, "Steunbetuigingen")
    endorsements.get_by_label("Je wijk").select_option(label="Ondiep")
    press(
        c,
        axe,
        endorsements.get_by_role("button", name="Werkt ook bij ons"),
        "Bedankt voor je steunbetuiging.",
    )
    assert c.url.endswith("#steun")
    endorsements = region(c, "Steunbetuigingen")
    assert "Werkt ook bij hen:" in endorsements.inner_text()
    assert "Carla Smit (Ondiep (Utrecht))" in endorsements.locator(".inline-list").inner_text()
    assert (
        endorsements.get_by_role("button", name=re.compile("^Werkt ook bij ons")).get_attribute(
            "aria-pressed"
        )
        == "true"
    )
    c.get_by_label("Je reactie").fill(COMMENT)
    press(c, axe, c.get_by_role("button", name="Plaatsen"))
    assert c.url.endswith("#reactie-1")
    assert COMMENT in c.locator("#reactie-1").inner_text()
    assert region(c, "Beoordelingsgesprek").count() == 0  # not for her

    # The moderator takes it from the queue and judges two criteria "not yet".
    m = new_page()
    log_in(m, axe, "mo@redactie.nl")
    visit(m, axe, "/moderatie/beoordelen")
    assert m.get_by_role("heading", level=1).inner_text() == "Bijdragen beoordelen"
    press(m, axe, main(m).get_by_role("link", name=TITLE))
    review = f"/moderatie/beoordelen/{number}"
    assert path_of(m) == review
    summary = main(m).locator(".summary-list").inner_text()
    assert "Rol\nWijkregisseur" in summary
    assert "0 vinden het herkenbaar · 1: werkt ook bij ons · 1 reactie" in summary
    take_into_review(m, axe, "Mo Derator")
    assert ids_are_unique(m)  # the decision's message and the conversation's are two fields
    goal_item = review_item(m, "Is het doel beschreven?")
    goal_item.get_by_label("Nog niet", exact=True).check()
    goal_item.get_by_label("Opmerking").fill("Wat moest er veranderen, en voor wie?")
    conditions_item = review_item(m, "Zijn de randvoorwaarden beschreven?")
    conditions_item.get_by_label("Nog niet", exact=True).check()
    conditions_item.get_by_label("Opmerking").fill("Wat was er nodig aan geld en mensen?")
    review_item(m, "Zijn de aanleiding en de doelgroep beschreven?").get_by_label("Voldoet").check()
    press(m, axe, m.get_by_role("button", name="Criteria opslaan"), "De checklist is opgeslagen.")
    assert m.url.endswith("#criteria")
    assert review_item(m, "Is het doel beschreven?").get_by_label("Nog niet", exact=True).is_checked()
    screenshot(m, "contribution-review")

    # It asks for changes, with a message.
    decision = region(m, "Besluit")
    decision.get_by_label(re.compile("^Om aanpassing vragen")).check()
    decision.get_by_label("Bericht aan de schrijvers").fill(REQUEST)
    press(
        m,
        axe,
        decision.get_by_role("button", name="Besluiten"),
        "We hebben de schrijvers gevraagd hun bijdrage aan te passen.",
    )
    assert status_of(m) == "Aanpassing gevraagd"

    # Anna reads the status, the criteria and the message, adds a goal and conditions, submits again.
    visit(a, axe, contribution)
    assert status_of(a) == "Aanpassing gevraagd"
    assert "De moderator vraagt om aanpassingen." in main(a).inner_text()
    criteria = a.get_by_role("table", name="Beoordelingscriteria")
    goal_row = criteria.get_by_role("row", name=re.compile("^Is het doel beschreven"))
    assert (
        "Nog niet" in goal_row.inner_text()
        and "Wat moest er veranderen, en voor wie?" in goal_row.inner_text()
    )
    conditions_row = criteria.get_by_role("row", name=re.compile("^Zijn de randvoorwaarden beschreven"))
    assert "Nog niet" in conditions_row.inner_text()
    assert REQUEST in region(a, "Beoordeling").locator(".trail").inner_text()
    screenshot(a, "contribution-changes-requested")
    press(a, axe, main(a).get_by_role("link", name="Bewerken", exact=True))
    assert path_of(a) == f"{contribution}/bewerken"
    assert textbox(a, "Aanpak").input_value() == APPROACH
    textbox(a, "Doel").fill(GOAL)
    textbox(a, "Randvoorwaarden").fill(CONDITIONS)
    press(a, axe, a.get_by_role("button", name="Opslaan als concept"), "Je wijzigingen zijn opgeslagen.")
    assert GOAL in region(a, "Doel").inner_text()
    press(a, axe, main(a).get_by_role("link", name="Opnieuw indienen"))
    a.get_by_label("Mijn bijdrage noemt geen bewoners en bevat geen persoonsgegevens van anderen").check()
    a.get_by_label("Een opmerking voor de moderatoren (niet verplicht)").fill(
        "Doel en randvoorwaarden aangevuld."
    )
    press(a, axe, a.get_by_role("button", name="Indienen", exact=True), "Ingediend.")
    assert status_of(a) == "Ingediend"

    # The moderator takes it again and makes it a new lesson, 1.10, published at once.
    visit(m, axe, review)
    take_into_review(m, axe, "Mo Derator")
    press(m, axe, region(m, "Opnemen in de gids").get_by_role("link", name="Als nieuwe les"))
    assert path_of(m) == f"{review}/opnemen"
    assert m.get_by_role("heading", level=1).inner_text() == f"Een nieuwe les uit “{TITLE}”"
    body = m.get_by_role("group", name="Inhoud").get_by_label("Tekst (niet verplicht)", exact=True)
    assert "## Aanleiding" in body.input_value() and "## Randvoorwaarden" in body.input_value()
    assert m.get_by_label("Hoofdstuk").locator("option:checked").inner_text() == "1. Vooraf"
    m.get_by_label("Hoofdstuk").select_option(label="1. Vooraf")
    m.get_by_label("Nummer").fill("1.10")
    m.get_by_role("group", name="Inhoud").get_by_label("Titel", exact=True).fill(LESSON_TITLE)
    m.get_by_role("group", name="Status").get_by_label("Gepubliceerd").check()
    change_note = m.get_by_label("Wat heb je gewijzigd?")
    assert (
        change_note.input_value()
        == f"Uit de bijdrage “{TITLE}” van Anna de Boer en Bram Jansen (bijdrage {number})."
    )
    assert ids_are_unique(m)
    screenshot(m, "contribution-promotion-form")
    press(
        m,
        axe,
        m.get_by_role("button", name="Opslaan", exact=True).last,  # Save is at the top and the end
        "De bijdrage is nu deel van les 1.10, in versie 1.",
    )
    lesson = path_of(m)
    assert lesson.startswith("/les/1.10-")
    assert m.get_by_role("heading", level=1).inner_text().endswith(LESSON_TITLE)
    provenance = region(m, "Waar deze les vandaan komt")
    line = provenance.get_by_role("listitem").inner_text()
    assert line.startswith(f"Voortgekomen uit de praktijkbijdrage van {credit}, wijk Kanaleneiland,"), line
    assert provenance.get_by_role("link", name=TITLE).get_attribute("href") == contribution
    screenshot(m, "contribution-lesson-provenance")

    # The contribution links to the lesson and to the version it became.
    visit(a, axe, contribution)
    assert status_of(a) == "Opgenomen in de gids"
    included = main(a).locator(".notice--success")
    assert included.inner_text().startswith(f"Opgenomen in les 1.10 {LESSON_TITLE} · versie 1 · ")
    assert included.get_by_role("link", name=f"1.10 {LESSON_TITLE}").get_attribute("href") == lesson
    assert included.get_by_role("link", name="versie 1").get_attribute("href") == f"{lesson}/versie/1"
    assert main(a).get_by_role("link", name="Bewerken", exact=True).count() == 0
    assert ids_are_unique(a)
    screenshot(a, "contribution-page")
    press(a, axe, included.get_by_role("link", name="versie 1"))
    assert path_of(a) == f"{lesson}/versie/1"
    visit(a, axe, contribution)
    press(a, axe, included.get_by_role("link", name=f"1.10 {LESSON_TITLE}"))
    assert path_of(a) == lesson

    # Both writers hear of it, on /meldingen and by mail; Carla, who follows it, too.
    news = f"Mo Derator heeft “{TITLE}” opgenomen in de gids"
    for page, writer in ((a, anna), (b, bram)):
        visit(page, axe, "/meldingen")
        assert "Ongelezen:" in notification(page, news).inner_text()
        press(page, axe, notification(page, news).get_by_role("link", name=news))
        assert path_of(page) == lesson
        mail = mail_to(live_server, writer.email, f"“{TITLE}” is nu deel van de gids")
        assert f"{live_server.url}{lesson}" in mail.get_body(("plain",)).get_content()
    visit(c, axe, "/meldingen")
    assert notification(c, f"“{TITLE}” heeft nu de status Opgenomen in de gids").count() == 1

    # The neighbourhood shows the contribution and the lesson that came from it.
    visit(c, axe, KANALENEILAND)
    assert TITLE in region(c, "Bijdragen uit deze wijk").inner_text()
    from_here = region(c, "Lessen in de gids die uit deze wijk komen")
    assert from_here.get_by_role("link", name=f"1.10 {LESSON_TITLE}").get_attribute("href") == lesson
    visit(c, axe, "/wijken/leren")
    learning = region(c, THEME)
    row = learning.get_by_role("row", name=re.compile("^Kanaleneiland"))
    assert TITLE in row.inner_text() and "les 1.10" in row.inner_text()
    visit(c, axe, "/bijdragen/")
    assert main(c).locator(".contribution-list").get_by_role("link", name=TITLE).count() == 1
    visit(c, axe, "/bijdragen/?wijk=kanaleneiland-utrecht&thema=burgerschap")
    assert main(c).locator(".contribution-list").get_by_role("link", name=TITLE).count() == 1

    # On a phone-sized screen the contribution page fits, without scrolling sideways.
    c.set_viewport_size({"width": 375, "height": 740})
    visit(c, axe, contribution)
    assert c.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(c, "contribution-375")

    # The admin publishes edition 3; its "what is new" names the contribution behind lesson 1.10.
    e = new_page()
    log_in(e, axe, "bert@beheer.nl")
    visit(e, axe, "/edities/")
    press(e, axe, main(e).get_by_role("link", name=re.compile("Editie 3 publiceren")))
    assert path_of(e) == "/edities/nieuw"
    e.get_by_label("Titel", exact=True).fill("Derde versie")
    press(e, axe, e.get_by_role("button", name="Editie 3 publiceren"), "Editie 3 is gepubliceerd.")
    assert path_of(e) == "/editie/3/nieuw"
    assert e.get_by_role("heading", level=1).inner_text().startswith("Wat is er nieuw")
    practice = region(e, "Uit de praktijk")
    assert practice.get_by_role("link", name=TITLE).get_attribute("href") == contribution
    assert f"1.10 {LESSON_TITLE}" in practice.inner_text()
    screenshot(e, "contribution-whats-new")
    assert len(axe.checked) >= 55


# --- journey 2: a suggested improvement, with an edit made meanwhile -------------------------------

LESSON = f"/les/{LESSON_REF}"
OLD = "In de wijkengids is beschikbare informatie verzameld die bondig is samengevat tot lessen."
NEW = "In de wijkengids is de beschikbare kennis verzameld en bondig samengevat tot lessen."
ADDED = "Sinds 2024 groeit de gids met bijdragen uit de praktijk."


def test_a_suggested_improvement_keeps_the_edit_a_moderator_made_meanwhile(new_page, axe, live_server):
    import_shipped()
    dirk = make_user(display_name="Dirk Visser", organisation="Woonbedrijf", email="dirk@woonbedrijf.nl")
    make_user("moderator", display_name="Rena Redactie", email="rena@redactie.nl")

    # Dirk proposes one better sentence in the first paragraph of lesson 1.2.
    d = new_page()
    log_in(d, axe, dirk.email)
    visit(d, axe, LESSON)
    press(d, axe, region(d, "Verbeter deze les").get_by_role("link", name="Stel een verbetering voor"))
    assert path_of(d) == "/bijdragen/nieuw"
    # the suggestion's title, and the lesson's own title in the group below, each with its label
    assert d.get_by_label("Titel van je voorstel").input_value() == "Verbetering van les 1.2"
    assert d.get_by_label("Titel van de les").input_value() == "Wat de wijkengids beoogt"
    text = d.get_by_role("group", name="De les zoals jij die voorstelt").get_by_label(
        "Tekst (niet verplicht)", exact=True
    )
    first, rest = text.input_value().split("\n", 1)
    assert OLD in first
    text.fill(first.replace(OLD, NEW) + "\n" + rest)
    d.get_by_label("Waarom deze verbetering").fill("De zin liep niet.")
    press(
        d,
        axe,
        d.get_by_role("button", name="Opslaan als concept"),
        "Je concept is opgeslagen.",
    )
    number = contribution_id(d)
    changes = region(d, "Wat de verbetering verandert")
    assert marked(changes, "ins") == ["de", "kennis", "en"]
    assert marked(changes, "del") == ["informatie", "die", "is"]
    press(d, axe, main(d).get_by_role("link", name="Indienen voor beoordeling"))
    d.get_by_label("Mijn bijdrage noemt geen bewoners en bevat geen persoonsgegevens van anderen").check()
    press(d, axe, d.get_by_role("button", name="Indienen", exact=True), "Ingediend.")

    # Meanwhile the moderator adds a sentence at the end of the lesson.
    m = new_page()
    log_in(m, axe, "rena@redactie.nl")
    visit(m, axe, f"{LESSON}/bewerken")
    body = m.locator("#body")
    body.fill(body.input_value().rstrip() + " " + ADDED)
    m.get_by_label("Wat heb je gewijzigd?").fill("Een zin over de bijdragen toegevoegd.")
    press(m, axe, m.get_by_role("button", name="Opslaan", exact=True).last)  # Save: top and end
    assert path_of(m) == LESSON
    assert ADDED in lesson_body(m) and NEW not in lesson_body(m)

    # The review page shows the improvement, and a warning with what changed in between.
    visit(m, axe, "/moderatie/beoordelen")
    press(m, axe, main(m).get_by_role("link", name="Verbetering van les 1.2"))
    review = f"/moderatie/beoordelen/{number}"
    assert path_of(m) == review
    proposed = region(m, "Wat de verbetering verandert")
    assert marked(proposed, "ins") == ["de", "kennis", "en"]
    assert marked(proposed, "del") == ["informatie", "die", "is"]
    assert ADDED not in proposed.inner_text()
    moved = region(m, "Let op: de les is veranderd sinds deze verbetering werd voorgesteld")
    assert "De les is nu bij versie 2. De verbetering ging uit van versie 1." in moved.inner_text()
    assert marked(moved, "ins") == [ADDED] and marked(moved, "del") == []
    screenshot(m, "contribution-review-improvement")

    # It takes the improvement and works it into lesson 1.2: both sentences are kept.
    take_into_review(m, axe, "Rena Redactie")
    press(
        m, axe, region(m, "Opnemen in de gids").get_by_role("link", name="Verwerk de verbetering in les 1.2")
    )
    assert path_of(m) == f"{review}/opnemen"
    assert m.locator(".notice--draft").count() == 0  # no conflict
    merged = m.locator("#body").input_value()
    assert NEW in merged and ADDED in merged and OLD not in merged
    assert (
        m.get_by_label("Wat heb je gewijzigd?").input_value()
        == f"Verbetering van Dirk Visser (bijdrage {number})."
    )
    press(
        m,
        axe,
        m.get_by_role("button", name="Opslaan", exact=True).last,  # Save is at the top and the end
        "De bijdrage is nu deel van les 1.2, in versie 3.",
    )
    assert path_of(m) == LESSON
    assert NEW in lesson_body(m) and ADDED in lesson_body(m)
    provenance = region(m, "Waar deze les vandaan komt")
    line = provenance.get_by_role("listitem").inner_text()
    assert line.startswith("Verbeterd dankzij het voorstel van Dirk Visser (Woonbedrijf), "), line
    assert line.endswith(": Verbetering van les 1.2")
    assert provenance.get_by_role("link", name="Verbetering van les 1.2").get_attribute("href") == (
        f"/bijdrage/{number}"
    )

    # The history credits Dirk in the new version's change note; its changes are his sentence.
    visit(m, axe, f"{LESSON}/geschiedenis")
    newest = m.locator(".history-table tbody tr").first
    assert newest.get_by_role("rowheader").inner_text() == "Versie 3 Huidige versie"
    assert f"Verbetering van Dirk Visser (bijdrage {number})." in newest.inner_text()
    press(m, axe, newest.get_by_role("link", name="Wijzigingen in versie 3"))
    assert marked(m.locator(".diff__text"), "ins") == ["de", "kennis", "en"]
    assert marked(m.locator(".diff__text"), "del") == ["informatie", "die", "is"]

    # Dirk hears of it, and his contribution links to the lesson and its version 3.
    visit(d, axe, "/meldingen")
    news = "Rena Redactie heeft “Verbetering van les 1.2” opgenomen in de gids"
    press(d, axe, notification(d, news).get_by_role("link", name=news))
    assert path_of(d) == LESSON
    assert NEW in lesson_body(d) and ADDED in lesson_body(d)
    visit(d, axe, f"/bijdrage/{number}")
    assert status_of(d) == "Opgenomen in de gids"
    included = main(d).locator(".notice--success")
    assert included.get_by_role("link", name="versie 3").get_attribute("href") == f"{LESSON}/versie/3"
    assert len(axe.checked) >= 20
