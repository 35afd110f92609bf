"""submissions: one "started from" field (template); the free-text sample_app column is dropped

A value that names one of the sample apps (as they were when this migration was written) moves
into `template`; any other value is kept at the end of the project's description, so nothing
a team typed is lost. Saved versions are rewritten the same way.

Revision ID: i16j_submission_started_from
Revises: i20n_notifications
Create Date: 2026-12-06 07:30:00

"""

import json
import re

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "i16j_submission_started_from"
down_revision = "i20n_notifications"
branch_labels = None
depends_on = None

# The sample apps when the column was dropped; frozen here so that later renames in
# sample_apps/ cannot change what this migration does.
TEMPLATES = (
    "bike-share",
    "district-choropleth",
    "facility-finder",
    "hello-map",
    "incident-heatmap",
    "project-coverage",
)


def template_for(value: str) -> str:
    """The template a free-text value names ("Facility finder", "sample_apps/hello-map/"), or ""."""
    name = value.strip().strip("/").rsplit("/", 1)[-1].lower()
    name = re.sub(r"[\s_]+", "-", name)
    return name if name in TEMPLATES else ""


def merged(content: dict) -> dict:
    """A submission's fields (or a version's snapshot) without sample_app, its value kept."""
    content = dict(content)
    value = (content.pop("sample_app", "") or "").strip()
    if not value:
        return content
    template = template_for(value)
    if template and content.get("template") in ("", None, template):
        content["template"] = template
        return content
    note = f"Started from: {value}"  # not a sample app, or another than the template chosen
    description = (content.get("description") or "").rstrip()
    content["description"] = f"{description}\n\n{note}" if description else note
    return content


def upgrade():
    connection = op.get_bind()
    submissions = sa.table(
        "submissions",
        sa.column("id", sa.Integer),
        sa.column("sample_app", sa.String),
        sa.column("template", sa.String),
        sa.column("description", sa.Text),
    )
    rows = connection.execute(
        sa.select(submissions.c.id, submissions.c.sample_app, submissions.c.template, submissions.c.description).where(
            submissions.c.sample_app != ""
        )
    ).all()
    for row in rows:
        content = merged(
            {"sample_app": row.sample_app, "template": row.template or "", "description": row.description or ""}
        )
        connection.execute(
            submissions.update()
            .where(submissions.c.id == row.id)
            .values(template=content["template"], description=content["description"])
        )

    versions = sa.table("submission_versions", sa.column("id", sa.Integer), sa.column("data", sa.JSON))
    for version_id, content in connection.execute(sa.select(versions.c.id, versions.c.data)).all():
        if isinstance(content, str):  # a driver that hands JSON back as text
            content = json.loads(content)
        if isinstance(content, dict) and "sample_app" in content:
            connection.execute(versions.update().where(versions.c.id == version_id).values(data=merged(content)))

    # Never a copied table on SQLite: dropping the old copy would cascade to the saved versions
    # (foreign keys are on). SQLite has dropped columns in place since 3.35.
    with op.batch_alter_table("submissions", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("sample_app")


def downgrade():
    # The values went into template or the description; the old column comes back empty.
    with op.batch_alter_table("submissions", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("sample_app", sa.String(length=80), nullable=False, server_default=""))
