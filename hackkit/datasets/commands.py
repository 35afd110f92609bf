"""`hackkit datasets ...`: a thin wrapper over services.datasets."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import click
from flask.cli import with_appcontext

from hackkit.datasets.uploads import overrides_from
from hackkit.extensions import db
from hackkit.services import dataset_uploads, dataset_versions, datasets
from hackkit.services.errors import Invalid, ServiceError

DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", None: "none (one column)"}


ShellActor = datasets.SystemActor


def format_report(result: datasets.ImportResult) -> str:
    version, report, dataset = result.version, result.version.report, result.dataset
    if result.created:
        state = f"new dataset, {dataset.status}"
    elif version.is_draft:
        shown = f"version {dataset.current_number}" if dataset.current_number else "no version"
        state = f"version {version.number}, a draft: the public still sees {shown}"
    else:
        state = f"version {version.number}, {dataset.status}"
    lines = [
        f"Imported {version.original_name} as {dataset.slug} ({state}): {version.row_count} rows.",
        f"Detected: format {report['format']}"
        + (f", encoding {report['encoding']}" if report.get("encoding") else "")
        + (
            f", delimiter {DELIMITER_NAMES.get(report['delimiter'], report['delimiter'])}"
            if report["format"] == "csv"
            else ""
        )
        + f", header {'yes' if report['header'] else 'no'}",
        f"Columns ({len(version.columns)}):",
    ]
    width = max((len(c["name"]) for c in version.columns), default=4)
    for column in version.columns:
        title = f"  ({column['title']})" if column["title"] != column["name"] else ""
        lines.append(f"  {column['name']:<{width}}  {column['type']:<8}  {column['nulls']} empty{title}")
    geometry = version.geometry
    lines.append(f"Geometry: {geometry['detected'] if geometry else 'none found'}")
    lines.extend(f"Note: {note}" for note in report.get("notes", []))
    changes = dataset_versions.changes(result.previous, version)
    if changes["compared_with"]:
        lines.append(_format_changes(changes))
    if result.created:
        lines.append(f"New dataset at the free slug {dataset.slug}; add versions to it with --slug {dataset.slug}.")
    return "\n".join(lines)


def _format_changes(changes: dict) -> str:
    before, after = changes["rows"]
    parts = [f"rows {before} -> {after}"]
    if changes["added"]:
        parts.append("columns added: " + ", ".join(changes["added"]))
    if changes["removed"]:
        parts.append("columns removed: " + ", ".join(changes["removed"]))
    if changes["retyped"]:
        parts.append("retyped: " + ", ".join(f"{n} {a} -> {b}" for n, a, b in changes["retyped"]))
    return f"Compared with version {changes['compared_with']}: " + "; ".join(parts) + "."


@click.group("datasets", help="The city data catalogue.")
def datasets_cli() -> None:
    pass


@datasets_cli.command("load-curated")
@with_appcontext
def load_curated_command() -> None:
    """Load the curated demo datasets of datasets/ that are not in the catalogue yet."""
    from hackkit.services import curated

    try:
        loaded = curated.load_curated(db.session)
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(f"Loaded curated datasets: {', '.join(loaded)}." if loaded else "The curated datasets are all loaded.")


@datasets_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--slug", help="An existing dataset's slug adds a version to it; without it, a new dataset.")
@click.option("--title", help="Title (default: from the file name).")
@click.option("--publisher", help="Who publishes the data, e.g. the city department.")
@click.option("--license", "license_id", help="Licence id, e.g. CC0-1.0, CC-BY-4.0, modellicentie-gratis-hergebruik.")
@click.option("--draft", is_flag=True, help="A new dataset: organizers only. A new version: not shown until published.")
@click.option("--header", type=click.Choice(["yes", "no"]), help="Whether the first row holds the column titles.")
@click.option("--delimiter", help="The field separator: one character, or tab, comma, semicolon, pipe, none.")
@click.option("--encoding", help="The text encoding, e.g. utf-8, windows-1252.")
@click.option("--geometry", help="LAT,LON columns; X,Y columns with --crs; one column of shapes; or none.")
@click.option("--crs", help="The EPSG code of the --geometry x/y columns, e.g. 28992 (RD New), 31370 (Lambert 72).")
@with_appcontext
def import_command(path: Path, slug, title, publisher, license_id, draft: bool, **reading) -> None:
    """Import a CSV/TSV/XLSX/JSON/GeoJSON file as a new dataset, or as a version of --slug."""
    from flask import current_app

    metadata = {"slug": slug, "title": title, "publisher": publisher, "license": license_id}
    try:
        if not path.is_file():
            raise Invalid(f"There is no file {path}.")
        wanted = dataset_uploads.ImportRequest(
            metadata={k: v for k, v in metadata.items() if v is not None},
            draft=draft,
            overrides=overrides_from({k: v for k, v in reading.items() if v is not None}),
        )
        result = dataset_uploads.import_file(db.session, ShellActor(), path, current_app.instance_path, wanted)
    except ServiceError as error:
        _fail(error)
    if result.unchanged:
        click.echo(
            f"Nothing imported: {path.name} is identical to version {result.version.number} of "
            f"{result.dataset.slug} (same file and settings)."
        )
        return
    click.echo(format_report(result))


def _fail(error: ServiceError) -> NoReturn:
    details = "; ".join(f"{k}: {m}" for k, msgs in error.errors.items() for m in msgs)
    raise click.ClickException(f"{error.message}" + (f" ({details})" if details else "")) from None


def _dataset(slug: str):
    return datasets.get_dataset(db.session, ShellActor(), slug)


@datasets_cli.command("publish")
@click.argument("slug")
@click.option("--version", "number", type=int, help="The version to show (default: the newest).")
@with_appcontext
def publish_command(slug: str, number: int | None) -> None:
    """Publish a dataset and make a version (a draft, say) the one the public sees."""
    try:
        version = dataset_versions.publish_version(db.session, ShellActor(), _dataset(slug), number)
    except ServiceError as error:
        _fail(error)
    click.echo(f"Published {slug}: the public sees version {version.number}.")


@datasets_cli.command("rollback")
@click.argument("slug")
@click.option("--to", "number", type=int, help="The earlier version to show (default: the one before).")
@with_appcontext
def rollback_command(slug: str, number: int | None) -> None:
    """Show an earlier version again; later versions are kept."""
    try:
        version = dataset_versions.rollback(db.session, ShellActor(), _dataset(slug), number)
    except ServiceError as error:
        _fail(error)
    click.echo(f"Rolled back {slug}: the public sees version {version.number}.")


@datasets_cli.command("unpublish")
@click.argument("slug")
@with_appcontext
def unpublish_command(slug: str) -> None:
    """Hide a dataset from everyone but organizers."""
    try:
        dataset_versions.unpublish(db.session, ShellActor(), _dataset(slug))
    except ServiceError as error:
        _fail(error)
    click.echo(f"Unpublished {slug}: only organizers see it now.")


@datasets_cli.command("delete")
@click.argument("slug")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def delete_command(slug: str, yes: bool) -> None:
    """Delete a dataset with all its versions, tables and original files."""
    try:
        dataset = _dataset(slug)
        if not yes:
            yes = click.confirm(f"Delete {slug} with its {len(dataset.versions)} versions for good?", default=False)
        if not yes:
            raise click.ClickException("Nothing deleted.")
        dataset_versions.delete_dataset(db.session, ShellActor(), dataset, confirm=True)
    except ServiceError as error:
        _fail(error)
    click.echo(f"Deleted {slug}.")


@datasets_cli.command("harvest")
@click.argument("source")
@click.option("--draft", is_flag=True, help="Keep new datasets visible to organizers only.")
@click.option("--limit", type=click.IntRange(min=1), help="Read at most this many datasets from the source.")
@with_appcontext
def harvest_command(source: str, draft: bool, limit: int | None) -> None:
    """Import datasets from a CKAN portal or a DCAT catalogue (URL, or a Turtle/JSON-LD/RDF-XML file).

    A dataset harvested before gets a new version; a file that cannot be imported is reported
    and skipped. Exits non-zero when nothing could be harvested.
    """
    from flask import current_app

    from hackkit.services import harvest

    try:
        report = harvest.harvest(
            db.session,
            ShellActor(),
            source,
            Path(current_app.instance_path),
            draft=draft,
            limit=limit,
            max_bytes=current_app.config["HACKKIT_MAX_UPLOAD_MB"] * 1024 * 1024,
        )
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from None
    for entry in report.entries:
        if entry.outcome == "created":
            click.echo(f"new      {entry.slug}: {entry.title} ({entry.source_url})")
        elif entry.outcome == "updated":
            click.echo(f"version  {entry.slug} v{entry.version}: {entry.title} ({entry.source_url})")
        elif entry.outcome == "unchanged":
            click.echo(f"same     {entry.slug} v{entry.version}: {entry.title} ({entry.source_url})")
        else:
            click.echo(f"failed   {entry.title} ({entry.source_url})")
        for problem in entry.problems:
            click.echo(f"         {problem}")
    created = sum(e.outcome == "created" for e in report.harvested)
    unchanged = sum(e.outcome == "unchanged" for e in report.harvested)
    click.echo(
        f"Harvested {len(report.harvested)} of {len(report.entries)} datasets from {report.kind} source {source}: "
        f"{created} new, {len(report.harvested) - created - unchanged} new versions, {unchanged} unchanged, "
        f"{len(report.entries) - len(report.harvested)} failed."
    )
    if not report.harvested:
        raise click.ClickException("Nothing could be harvested.")
