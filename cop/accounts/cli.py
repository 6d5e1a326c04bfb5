"""`flask --app cop user …`: create accounts and change roles from the command line."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask_babel import force_locale

from cop.accounts import passwords, services
from cop.accounts.models import Role
from cop.transactions import DomainError

user_cli = click.Group("user", help="Manage user accounts.")
ROLES = click.Choice([role.value for role in Role])


def _check_password(password: str, email: str, name: str) -> None:
    problem = passwords.problem(password, email, name)
    if problem:
        with force_locale("en"):  # the command line speaks English
            raise click.ClickException(str(problem))


@user_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Display name.")
@click.option("--role", type=ROLES, default="member", show_default=True)
@click.option("--organisation", default="", help="Organisation (optional).")
@click.option("--job-title", default="", help="Job title (optional).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email, name, role, organisation, job_title, password_stdin):
    """Create a confirmed account. The password is asked for, or read with --password-stdin."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    _check_password(password, email, name)
    try:
        user = services.create_account(
            email=email,
            password=password,
            display_name=name,
            organisation=organisation,
            job_title=job_title,
            role=Role(role),
            confirmed=True,
            locale=current_app.config["BABEL_DEFAULT_LOCALE"],
        )
    except DomainError:
        raise click.ClickException(f"An account for {email} exists already.") from None
    click.echo(f"Created {user.role.value} {user.email} (@{user.handle}, id {user.id}).")


@user_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLES)
def set_role(email, role):
    """Give the account EMAIL the role ROLE (member, moderator or admin)."""
    user = services.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    services.set_role(user, role, actor=None)
    click.echo(f"{user.email} is now {role}.")


@user_cli.command("export")
@click.argument("email")
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
def export_user(email, target):
    """Write the data export of the account EMAIL to the zip file TARGET (for a request by mail)."""
    from cop.accounts import privacy

    user = services.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    with open(target, "wb") as handle:
        handle.write(privacy.export_zip(user))
    click.echo(f"Wrote the data of {user.email} to {target}.")


@user_cli.command("delete")
@click.argument("email")
@click.option("--keep-name", is_flag=True, help="Keep the name on lessons from their contributions.")
@click.confirmation_option(prompt="Delete this account for good?")
def delete_user(email, keep_name):
    """Delete the account EMAIL as its owner would (for a request by mail): it cannot be undone."""
    from cop.accounts import privacy

    user = services.find_by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    member_id = user.id
    try:
        privacy.delete_account(user, keep_name=keep_name)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Deleted account {member_id}.")
