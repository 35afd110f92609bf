"""The `hackkit` console script: answers `hackkit`, `hackkit --help` and `hackkit -h` with
click alone, and hands everything else to the real command group in hackkit/cli.py.

Flask and Werkzeug take most of a second to import on a small machine, and the list of
commands needs neither. `COMMANDS` repeats each command's one-line summary;
tests/test_startup.py checks it against the real group, so the two cannot drift apart.
"""

from __future__ import annotations

import sys

import click

SUMMARY = "hackkit: the hub of a civic co-creation hackathon."
HELP_ARGUMENTS = ([], ["--help"], ["-h"])

# name -> the summary `hackkit --help` shows (click shortens it to the width as usual).
COMMANDS = {
    "backup": "Write every table, dataset and uploaded file of this hub to FILE (a zip).",
    "datasets": "The city data catalogue.",
    "db": "Perform database migrations.",
    "demo": "The demo event.",
    "mail": "The outbox of e-mail notifications.",
    "new-app": "Copy the sample app TEMPLATE (see /apps) to DIRECTORY as the start of your project.",
    "restore": "Load a backup made by `hackkit backup` into this hub's empty database.",
    "routes": "Show the routes for the app.",
    "run": "Run a local development server.",
    "setup": "Apply migrations, seed the demo on first start, print the demo logins.",
    "shell": "Run a shell in the app context.",
    "users": "Manage accounts.",
}


def listing() -> click.Group:
    """A group that only lists: same name, options and commands as the real one, no code behind."""
    group = click.Group(
        "hackkit",
        help=SUMMARY,
        epilog="Each command explains its own options: hackkit COMMAND --help.",
        params=[
            click.Option(["-e", "--env-file"], metavar="FILE", help="Read environment variables from FILE."),
            click.Option(["-A", "--app"], metavar="IMPORT", help="Another Flask application to run the commands on."),
            click.Option(["--debug/--no-debug"], help="Set debug mode."),
            click.Option(["--version"], is_flag=True, help="Show the Flask version."),
        ],
    )
    for name, summary in COMMANDS.items():
        group.add_command(click.Command(name, short_help=summary))
    return group


def main() -> None:
    arguments = sys.argv[1:]
    if arguments in HELP_ARGUMENTS:
        listing().main(["--help"], prog_name="hackkit")
    from hackkit.cli import main as hub_cli

    hub_cli()
