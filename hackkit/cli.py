"""`hackkit` commands. Each is a thin wrapper over a service; the same groups work
under `flask --app hackkit`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from hackkit.lazy_cli import LazyGroup
from hackkit.roles import ROLES
from hackkit.serving import run_command

if TYPE_CHECKING:
    from hackkit.services.errors import ServiceError

# The hub's modules (SQLAlchemy, the models, the services) are imported inside each command, and
# the list of commands is known without building the app. The console script itself is
# hackkit/console.py, which answers `hackkit --help` without importing this module at all.


def _fail(error: ServiceError) -> None:
    details = "; ".join(str(m) for msgs in error.errors.values() for m in msgs) or str(error.message)
    raise click.ClickException(details)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group("users", help="Manage accounts.")
def users_cli() -> None:
    pass


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="participant", show_default=True)
@click.option("--name", "display_name", help="Display name (default: the part of the e-mail before @).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@with_appcontext
def create_user(email: str, role: str, display_name: str | None, password_stdin: bool) -> None:
    """Create an account; this is how the first organizer is made."""
    from hackkit.extensions import db
    from hackkit.services import accounts
    from hackkit.services.errors import ServiceError

    password = _read_password(password_stdin)
    try:
        user = accounts.register_user(db.session, email, display_name or email.split("@")[0], password, role=role)
    except ServiceError as error:
        _fail(error)
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
@with_appcontext
def set_role(email: str, role: str) -> None:
    """Change an account's role from the server's shell (no organizer needed)."""
    from hackkit.extensions import db
    from hackkit.services import accounts
    from hackkit.services.errors import ServiceError

    user = accounts.find_by_email(db.session, email)
    if user is None:
        raise click.ClickException(f"No account with e-mail {email}.")
    try:
        # The shell is trusted like an organizer; the last-organizer rule still holds.
        accounts.change_role(db.session, _ShellActor(), user, role)
    except ServiceError as error:
        _fail(error)
    click.echo(f"{user.email} is now {user.role}.")


class _ShellActor:
    """Whoever can run commands on the server already controls the database."""

    is_authenticated = True
    role = "organizer"


@click.group("demo", help="The demo event.")
def demo_cli() -> None:
    pass


@demo_cli.command("seed")
@with_appcontext
def seed() -> None:
    """Add the demo people and event (existing ones are left alone) and print new logins."""
    from hackkit.extensions import db
    from hackkit.services import demo

    created = demo.seed_demo(db.session)
    if created:
        demo.save_logins(current_app.instance_path, created)
    _print_logins(created, current_app.instance_path)


def _print_logins(created, instance_path: str) -> None:
    from hackkit.services import demo

    logins = demo.read_logins(instance_path)
    if logins:
        click.echo("Demo logins (role, e-mail, password), also in instance/demo-logins.txt:")
        click.echo(logins.rstrip())
    elif not created:
        click.echo("The demo accounts already exist; their passwords are not stored here.")


@click.command("setup")
@with_appcontext
def setup_command() -> None:
    """Apply migrations, seed the demo on first start, print the demo logins."""
    from flask_migrate import upgrade

    from hackkit.extensions import db
    from hackkit.services import demo

    upgrade()
    _load_curated_datasets()  # first: the demo project credits curated datasets
    if demo.is_empty(db.session):
        created = demo.seed_demo(db.session)
        demo.save_logins(current_app.instance_path, created)
        click.echo("First start: seeded the demo event.")
    _print_logins([], current_app.instance_path)


@click.command("new-app")
@click.argument("template")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", required=True, help="Your app's name: its title and the README's heading.")
def new_app_command(template: str, directory: Path, name: str) -> None:
    """Copy the sample app TEMPLATE (see /apps) to DIRECTORY as the start of your project."""
    from hackkit.apps.newapp import NewAppError, new_app

    try:
        target = new_app(template, directory, name)
    except NewAppError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Made {target} from the {template} template. Run it with:")
    click.echo(f"    cd {target} && pip install -r requirements.txt && python app.py")


def _load_curated_datasets() -> None:
    """The demo datasets of datasets/: loaded once, never overwritten on later starts."""
    from hackkit.extensions import db
    from hackkit.services import curated, datasets

    datasets.drop_orphan_tables(db.session)
    loaded = curated.load_curated(db.session)
    if loaded:
        click.echo(f"Loaded the curated datasets: {', '.join(loaded)}.")


@click.group("mail", help="The outbox of e-mail notifications.")
def mail_cli() -> None:
    pass


@mail_cli.command("send")
@click.option("--once", is_flag=True, help="One pass over the outbox, then stop.")
@click.option("--interval", type=float, help="Seconds between passes (default: HACKKIT_MAIL_INTERVAL).")
@with_appcontext
def mail_send(once: bool, interval: float | None) -> None:
    """Send what the outbox holds, pass after pass, until stopped (Ctrl+C or SIGTERM)."""
    import signal
    import threading

    from hackkit.services import mail_worker

    stop = threading.Event()
    if not once and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        mail_worker.run(
            current_app._get_current_object(),
            interval=current_app.config["HACKKIT_MAIL_INTERVAL"] if interval is None else interval,
            stop=stop,
            once=once,
            echo=click.echo,
        )
    except KeyboardInterrupt:
        click.echo("Stopped.")


def _create_app():
    from hackkit import create_app

    return create_app()


class _HubGroup(FlaskGroup):
    """Flask's group, except that the list of commands in `--help` does not build the app: the
    hub's own commands are added here as well as to app.cli. A command only the app knows
    (Flask-Limiter's `limiter`) still works; it is simply not listed."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(click.Group.list_commands(self, ctx))


main = _HubGroup(create_app=_create_app, help="hackkit: the hub of a civic co-creation hackathon.")
main.add_command(run_command)  # replaces Flask's `run`: the same options, plus a read timeout


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(file: str) -> None:
    """Write every table, dataset and uploaded file of this hub to FILE (a zip)."""
    from hackkit.extensions import db
    from hackkit.services import backup

    manifest = backup.backup(db.engine, current_app.instance_path, file)
    rows = sum(manifest["tables"].values())
    dataset_rows = sum(manifest["datasets"].values())
    click.echo(
        f"Wrote {file}: {rows} rows in {len(manifest['tables'])} tables, {dataset_rows} dataset rows in "
        f"{len(manifest['datasets'])} dataset versions, {len(manifest['files'])} files "
        f"(schema {manifest['revision']})."
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def restore_command(file: str) -> None:
    """Load a backup made by `hackkit backup` into this hub's empty database."""
    from alembic.util.exc import CommandError
    from flask_migrate import downgrade, upgrade

    from hackkit.extensions import db
    from hackkit.services import backup
    from hackkit.services.errors import ServiceError

    def migrate(revision: str | None) -> None:
        if revision is None:
            upgrade()
            return
        with db.engine.connect() as conn:
            current = backup.current_revision(conn)
        try:
            if current is None:
                upgrade(revision=revision)
            elif current != revision:
                downgrade(revision=revision)  # the database is empty: nothing is lost going down
        except CommandError as error:
            raise click.ClickException(
                f"this backup has schema {revision}, which this version of hackkit does not know "
                f"(made by a newer release?): {error}"
            ) from error

    try:
        restored = backup.restore(db.engine, file, current_app.instance_path, migrate)
    except ServiceError as error:
        _fail(error)
    files = restored.pop("files")
    click.echo(f"Restored {sum(restored.values())} rows in {len(restored)} tables and {files} files from {file}.")


for _command in (users_cli, demo_cli, setup_command, new_app_command, mail_cli):
    main.add_command(_command)
main.add_command(backup_command)
main.add_command(restore_command)
main.add_command(LazyGroup("datasets", "hackkit.datasets.commands:datasets_cli", "The city data catalogue."))
main.add_command(LazyGroup("db", "flask_migrate.cli:db", "Perform database migrations."))
