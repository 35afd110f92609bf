"""`hackkit datasets ...`: a thin wrapper over services.datasets."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from hackkit.datasets.uploads import originals_dir
from hackkit.extensions import db
from hackkit.services import datasets
from hackkit.services.errors import ServiceError

DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", None: "none (one column)"}


ShellActor = datasets.SystemActor


def format_report(result: datasets.ImportResult) -> str:
    version, report = result.version, result.version.report
    state = "new dataset" if result.created else f"version {version.number}"
    lines = [
        f"Imported {version.original_name} as {result.dataset.slug} ({state}, {result.dataset.status}): "
        f"{version.row_count} rows.",
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
    return "\n".join(lines)


@click.group("datasets", help="The city data catalogue.")
def datasets_cli() -> None:
    pass


@datasets_cli.command("load-curated")
@with_appcontext
def load_curated_command() -> None:
    """Load the curated demo datasets of datasets/ that are not in the catalogue yet."""
    from hackkit.services import curated

    try:
        loaded = curated.load_curated(db.session, originals_dir())
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from None
    click.echo(f"Loaded curated datasets: {', '.join(loaded)}." if loaded else "The curated datasets are all loaded.")


@datasets_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--slug", help="Address of the dataset (default: from the title or file name).")
@click.option("--title", help="Title (default: from the file name).")
@click.option("--publisher", help="Who publishes the data, e.g. the city department.")
@click.option("--license", "license_id", help="Licence id, e.g. CC0-1.0, CC-BY-4.0, modellicentie-gratis-hergebruik.")
@click.option("--draft", is_flag=True, help="Keep it visible to organizers only.")
@with_appcontext
def import_command(path: Path, slug, title, publisher, license_id, draft: bool) -> None:
    """Import a CSV/TSV/XLSX/JSON/GeoJSON file; an existing slug gets a new version."""
    metadata = {"slug": slug, "title": title, "publisher": publisher, "license": license_id}
    try:
        result = datasets.import_dataset(
            db.session,
            ShellActor(),
            path,
            originals_dir(),
            metadata={k: v for k, v in metadata.items() if v is not None},
            draft=draft,
        )
    except ServiceError as error:
        details = "; ".join(f"{k}: {m}" for k, msgs in error.errors.items() for m in msgs)
        raise click.ClickException(details or str(error.message)) from None
    click.echo(format_report(result))


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
            originals_dir(),
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
    same = sum(e.outcome == "unchanged" for e in report.harvested)
    click.echo(
        f"Harvested {len(report.harvested)} of {len(report.entries)} datasets from {report.kind} source {source}: "
        f"{created} new, {len(report.harvested) - created - same} new versions, {same} unchanged, "
        f"{len(report.entries) - len(report.harvested)} failed."
    )
    if not report.harvested:
        raise click.ClickException("Nothing could be harvested.")
