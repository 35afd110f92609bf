"""Screenshots of a project: checked, re-encoded (no EXIF: phones put GPS positions
there), size-limited, kept in the file store (services.file_store) with names we make."""

from __future__ import annotations

import io
import secrets
import warnings
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from hackkit.models import StoredFile, SubmissionScreenshot, Team, User
from hackkit.services import events, file_store, submissions, teams
from hackkit.services.errors import Invalid, NotFound
from hackkit.services.validation import fail

if TYPE_CHECKING:
    from PIL import Image

MAX_BYTES = 5 * 1024 * 1024
MAX_PER_SUBMISSION = 6
MAX_PIXELS = 40_000_000  # a 40-megapixel screenshot is already generous; beyond it is a bomb
FORMATS = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg"), "WEBP": ("image/webp", "webp")}


def _read_image(data: bytes) -> Image.Image:
    from PIL import Image, UnidentifiedImageError  # here: only uploads need Pillow

    if len(data) > MAX_BYTES:
        raise fail("screenshot", _l("A screenshot may be at most %(mb)d MB.", mb=MAX_BYTES // (1024 * 1024)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS and image.format != "GIF":
                raise fail("screenshot", _l("Upload a PNG, JPEG or WebP image."))
            if image.width * image.height > MAX_PIXELS:
                raise fail("screenshot", _l("This image has too many pixels."))
            image.load()
    except Invalid:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise fail("screenshot", _l("This file is not an image we can read. Upload a PNG, JPEG or WebP.")) from None
    return image


def _encode(image: Image.Image) -> tuple[bytes, str, str]:
    from PIL import ImageOps

    source_format = image.format
    image = ImageOps.exif_transpose(image)  # keep the picture upright once EXIF is gone
    out_format = source_format if source_format in FORMATS else "PNG"
    if out_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format=out_format)
    content_type, extension = FORMATS[out_format]
    return buffer.getvalue(), content_type, extension


def add_screenshot(
    session: Session,
    actor: User,
    team: Team,
    data: bytes,
    alt_text: str,
    now: datetime | None = None,
) -> SubmissionScreenshot:
    submission = submissions.get_submission(session, team)
    if submission is None:
        raise Invalid(_l("Save your submission once before adding screenshots."))
    if len(submission.screenshot_ids or []) >= MAX_PER_SUBMISSION:
        raise fail("screenshot", _l("A project can show at most %(n)d screenshots.", n=MAX_PER_SUBMISSION))
    image = _read_image(data)
    encoded, content_type, extension = _encode(image)
    # The permission and deadline checks run in save_submission below, in the same
    # transaction as the file: if they refuse, the file is rolled back with the row.
    stored_name = f"{secrets.token_hex(16)}.{extension}"
    try:
        file_store.put(session, file_store.of_screenshot(stored_name), encoded)
        screenshot = SubmissionScreenshot(
            submission_id=submission.id,
            stored_name=stored_name,
            content_type=content_type,
            width=image.width,
            height=image.height,
            size=len(encoded),
            alt_text=(alt_text or "").strip()[:300],
            uploaded_by_id=actor.id,
        )
        session.add(screenshot)
        session.flush()
        submissions.save_submission(
            session, actor, team, {"screenshot_ids": [*submission.screenshot_ids, screenshot.id]}, now=now
        )
    except Exception:
        session.rollback()
        raise
    return screenshot


def remove_screenshot(
    session: Session, actor: User, team: Team, screenshot_id: int, now: datetime | None = None
) -> None:
    submission = submissions.get_submission(session, team)
    if submission is None or screenshot_id not in (submission.screenshot_ids or []):
        raise NotFound(_l("There is no such screenshot."))
    remaining = [i for i in submission.screenshot_ids if i != screenshot_id]
    submissions.save_submission(session, actor, team, {"screenshot_ids": remaining}, now=now)


def get_screenshot(session: Session, screenshot_id: int) -> SubmissionScreenshot:
    screenshot = session.get(SubmissionScreenshot, screenshot_id)
    if screenshot is None:
        raise NotFound(_l("There is no such screenshot."))
    return screenshot


def visible_screenshot(session: Session, actor, screenshot_id: int) -> tuple[StoredFile, str, bool]:
    """The stored file of a screenshot this person may see, its type, and whether anyone may see it
    (so that shared caches may keep it). The project's rule decides (submissions.shown_project):
    everyone sees the screenshots of the public version while the event is visible to them;
    the team and organizers also see their drafts; everyone else gets a 404."""
    missing = NotFound(_l("There is no such screenshot."))
    screenshot = get_screenshot(session, screenshot_id)
    submission = session.get(submissions.Submission, screenshot.submission_id)
    try:
        team = teams.get_team(session, actor, submission.team_id)
        content, public = submissions.shown_project(session, actor, team)
    except NotFound:
        raise missing from None
    listed = screenshot_id in (content.get("screenshot_ids") or [])
    if not listed and not submissions.can_see_drafts(actor, team):
        raise missing
    for_everyone = listed and public and events.is_visible(None, team.event)
    stored = file_store.get(session, file_store.of_screenshot(screenshot.stored_name))
    if stored is None:
        raise missing
    return stored, screenshot.content_type, for_everyone
