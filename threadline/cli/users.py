"""`threadline user ...`, `token ...` and `group ...`: who exists and how they sign in.

A new token goes alone to stdout (the explanation to stderr), so a script can capture
it with `TOKEN=$(threadline user add alice)`; it is shown once and never stored.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from threadline.access import User
from threadline.cli.console import err, out, print_json
from threadline.cli.context import workbench

user_app = typer.Typer(
    name="user", help="Add, list, change and disable users (admins).", no_args_is_help=True
)
token_app = typer.Typer(
    name="token", help="Issue and revoke a user's API tokens.", no_args_is_help=True
)
group_app = typer.Typer(
    name="group", help="Groups of users, to grant access to at once.", no_args_is_help=True
)

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Name = Annotated[str, typer.Argument(metavar="USER", help="The user's name.")]


def user_json(user: User) -> dict[str, object]:
    """A user as stable JSON keys."""
    return {
        "name": user.name,
        "role": user.role.value,
        "created": user.created,
        "disabled": user.disabled,
    }


def split_names(value: str | None) -> list[str]:
    """`a,b, c` as names; nothing for None."""
    return [] if value is None else [v.strip() for v in value.split(",") if v.strip()]


def _show_token(user: str, token: str) -> None:
    err.print(
        f"API token of {escape(user)} (shown once, only its digest is kept; "
        "pass it with --token or THREADLINE_TOKEN):"
    )
    typer.echo(token)


@user_app.command("add")
def add(
    ctx: typer.Context,
    name: Name,
    role: Annotated[
        str, typer.Option("--role", help="admin, investigator or viewer.")
    ] = "investigator",
    as_json: AsJson = False,
) -> None:
    """Add a user and print their first API token (once)."""
    with workbench(ctx) as bench:
        new = bench.user_add(name, role)
    if as_json:
        print_json({**user_json(new.user), "token": new.token})
        return
    err.print(f"added user {escape(new.user.name)} ({new.user.role.value})")
    _show_token(new.user.name, new.token)


@user_app.command("list")
def list_(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Every user with their role."""
    with workbench(ctx) as bench:
        users = bench.user_list()
    if as_json:
        for user in users:
            print_json(user_json(user))
        return
    table = Table(title=f"{len(users)} users", title_justify="left")
    for column in ("name", "role", "created", "status"):
        table.add_column(column)
    for user in users:
        status = "[red]disabled[/]" if user.disabled else "enabled"
        table.add_row(escape(user.name), user.role.value, user.created, status)
    out.print(table)


@user_app.command("update")
def update(
    ctx: typer.Context,
    name: Name,
    role: Annotated[
        str | None, typer.Option("--role", help="A new role: admin, investigator or viewer.")
    ] = None,
    disabled: Annotated[
        bool | None,
        typer.Option(
            "--disable/--enable",
            help="Refuse the user everything (and revoke their tokens), or let them back in.",
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Change a user's role, or disable or enable them."""
    if role is None and disabled is None:
        raise typer.BadParameter("give --role, --disable or --enable", param_hint="options")
    with workbench(ctx) as bench:
        user = bench.user_update(name, role=role, disabled=disabled)
    if as_json:
        print_json(user_json(user))
        return
    state = "disabled" if user.disabled else "enabled"
    err.print(f"user {escape(user.name)}: {user.role.value}, {state}")


@user_app.command("password")
def password(
    ctx: typer.Context,
    name: Name,
    stdin: Annotated[
        bool,
        typer.Option("--stdin", help="Read the password from standard input (for scripts)."),
    ] = False,
) -> None:
    """Set a user's password for the web UI (asked twice, never echoed)."""
    if stdin:
        secret = sys.stdin.readline().rstrip("\n")
    else:
        secret = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    with workbench(ctx) as bench:
        bench.user_password(name, secret)
    err.print(f"password set for {escape(name)}")


@token_app.command("issue")
def issue(ctx: typer.Context, name: Name) -> None:
    """Issue another API token for a user and print it (once)."""
    with workbench(ctx) as bench:
        token = bench.token_issue(name)
    _show_token(name, token)


@token_app.command("revoke")
def revoke(ctx: typer.Context, name: Name) -> None:
    """Revoke every API token of a user."""
    with workbench(ctx) as bench:
        count = bench.token_revoke(name)
    err.print(f"revoked {count} token(s) of {escape(name)}")


@group_app.command("add")
def group_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="GROUP", help="The group's name.")],
    members: Annotated[
        str | None, typer.Option("--members", help="Its first members, comma-separated.")
    ] = None,
) -> None:
    """Add a group, with members if given."""
    names = split_names(members)
    with workbench(ctx) as bench:
        bench.group_add(name, names)
    shown = f" with {', '.join(names)}" if names else ""
    err.print(f"added group {escape(name)}{escape(shown)}")


@group_app.command("member")
def member(
    ctx: typer.Context,
    group: Annotated[str, typer.Argument(help="The group.")],
    user: Name,
    remove: Annotated[bool, typer.Option("--remove", help="Take the user out.")] = False,
) -> None:
    """Put a user in a group, or take them out with --remove."""
    with workbench(ctx) as bench:
        bench.group_member(group, user, not remove)
    verb = "removed from" if remove else "added to"
    err.print(f"{escape(user)} {verb} {escape(group)}")


@group_app.command("list")
def group_list(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Every group with its members."""
    with workbench(ctx) as bench:
        groups = bench.group_list()
    if as_json:
        for name, members in sorted(groups.items()):
            print_json({"name": name, "members": sorted(members)})
        return
    table = Table(title=f"{len(groups)} groups", title_justify="left")
    table.add_column("group")
    table.add_column("members", ratio=1)
    for name, members in sorted(groups.items()):
        table.add_row(escape(name), escape(", ".join(sorted(members))))
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add the user, token and group verb groups."""
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
    app.add_typer(group_app, name="group")
