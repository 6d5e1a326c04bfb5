"""The accounts' routes for the shared checks (tests/routing.py)."""

from __future__ import annotations

from cop.accounts import services, tokens
from tests.factories import PASSWORD, make_user
from tests.routing import route, same_for_all

LAYER = 10


def build(world) -> None:
    other = make_user(display_name="Andere Collega")
    public = make_user(display_name="Open Profiel")
    services.update_profile(public, profile_public=True)
    pending = make_user(confirmed=False, display_name="Wacht Op Bevestiging")
    world["other_id"] = other.id
    world["other"] = other.handle
    world["public_member"] = public.handle
    world["pending_member"] = pending.handle
    world["confirm_token"] = tokens.make_confirm_token(pending)
    world["reset_token"] = tokens.make_reset_token(other)
    mover = make_user(display_name="Ver Huizer")
    world["email_change_token"] = tokens.make_email_change_token(mover, "nieuw-adres@example.nl")


REGISTRATION = {
    "email": "nieuw@example.nl",
    "display_name": "Nieuw Lid",
    "organisation": "Gemeente Delft",
    "job_title": "Wijkmanager",
    "municipality": "Delft",
    "password": "een lange zin als wachtwoord",
}
LOGIN = {"email": "iemand@example.nl", "password": "een lange zin als wachtwoord"}
NEW_PASSWORD = {"password": "een ander lang wachtwoord"}
NEW_EMAIL = {"email": "mijn-nieuwe-adres@example.nl", "current_password": PASSWORD}

#               anonymous unconfirmed member suspended moderator admin
ROUTES = [
    route("GET", "/account/registreren", "200 302 302 200 302 302"),
    route("POST", "/account/registreren", "200 302 302 200 302 302", example=REGISTRATION),
    same_for_all("GET", "/account/registreren/verstuurd", "302"),
    same_for_all("GET", "/account/bevestigen/{confirm_token}", "200"),
    route("POST", "/account/bevestigen/{confirm_token}", "login 302 302 login 302 302"),
    route("GET", "/account/bevestigen", "login 200 302 login 302 302"),
    route("POST", "/account/bevestiging-opnieuw", "login confirm confirm login confirm confirm"),
    route("GET", "/account/inloggen", "200 302 302 200 302 302", query=("next",)),
    route("POST", "/account/inloggen", "200 302 302 200 302 302", query=("next",), example=LOGIN),
    same_for_all("POST", "/account/uitloggen", "302"),
    same_for_all("GET", "/account/wachtwoord-vergeten", "200"),
    same_for_all("POST", "/account/wachtwoord-vergeten", "200", example={"email": "iemand@example.nl"}),
    same_for_all("GET", "/account/wachtwoord-herstellen/{reset_token}", "200"),
    same_for_all("POST", "/account/wachtwoord-herstellen/{reset_token}", "200", example=NEW_PASSWORD),
    route("GET", "/account/wachtwoord", "login 200 200 login 200 200"),
    route("POST", "/account/wachtwoord", "login 200 200 login 200 200"),
    route("GET", "/account/e-mailadres", "login 200 200 login 200 200"),
    route("POST", "/account/e-mailadres", "login 200 200 login 200 200", example=NEW_EMAIL),
    same_for_all("GET", "/account/e-mailadres/bevestigen/{email_change_token}", "200"),
    route("POST", "/account/e-mailadres/bevestigen/{email_change_token}", "login 302 302 login 302 302"),
    route("GET", "/account/profiel", "login confirm 200 login 200 200"),
    # An empty POST sends no fields at all, so the form keeps the profile as it is: saved, unchanged.
    route("POST", "/account/profiel", "login confirm 302 login 302 302"),
    route("GET", "/leden/{other}", "404 200 200 404 200 200"),
    same_for_all("GET", "/leden/{public_member}", "200"),
    route("GET", "/leden/{pending_member}", "404 404 404 404 200 200"),
    route("GET", "/beheer/leden", "login 403 403 login 403 200", query=("q", "pagina")),
    route("GET", "/beheer/leden/{other_id}", "login 403 403 login 403 200"),
    route("POST", "/beheer/leden/{other_id}/rol", "login 403 403 login 403 400"),
    route("POST", "/beheer/leden/{other_id}/schorsen", "login 403 403 login 403 400"),
    route("POST", "/beheer/leden/{other_id}/schorsing-opheffen", "login 403 403 login 403 302"),
    same_for_all("POST", "/taal", "400", fields=("language", "next")),
    route("GET", "/account/gegevens", "login 200 200 login 200 200"),
    route("GET", "/account/verwijderen", "login 200 200 login 200 200"),
    route("POST", "/account/gegevens/download", "login 200 200 login 200 200"),
    # destructive: an empty form (no password) deletes nothing and shows the form again
    route("POST", "/account/verwijderen", "login 200 200 login 200 200"),
]
