"""Share images: the 1200×630 picture a social network shows with a shared link.

Made with Pillow in the hub's colours (those of hackkit.css): the title, what it belongs to
(the event, or the dataset's publisher) and, for a project, its first screenshot. Drawn once
per content: the file name is a digest of everything drawn, so a changed title makes a new
image and an unchanged page never draws again.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from hackkit.services.feeds import ShareCard

if TYPE_CHECKING:  # Pillow is loaded when an image is drawn, not when a worker starts
    from PIL import ImageDraw, ImageFont

SIZE = (1200, 630)
INK = (27, 30, 35)  # --ink
MUTED = (85, 93, 104)  # --muted
WASH = (243, 245, 248)  # --wash
ACCENT = (11, 92, 173)  # --accent
ACCENT_INK = (255, 255, 255)  # --accent-ink
DRAWING = "1"  # raise when the drawing changes, so cached images are drawn again
FONT_FILES = ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)  # Pillow's own font: every machine has it


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;: ") + "…"
    return lines


def _draw(card: ShareCard, screenshot: bytes | None) -> bytes:
    from PIL import Image, ImageDraw, ImageOps

    image = Image.new("RGB", SIZE, WASH)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, SIZE[0], 24), fill=ACCENT)
    text_width = SIZE[0] - 160
    if screenshot is not None:
        with Image.open(io.BytesIO(screenshot)) as shot:
            shot = ImageOps.contain(shot.convert("RGB"), (480, 450))  # small screenshots grow to fit
            image.paste(shot, (SIZE[0] - 60 - shot.width, 90))
            text_width = SIZE[0] - 200 - shot.width
    y = 90
    title_font = _font(64)
    for line in _wrap(draw, card.title, title_font, text_width, 4):
        draw.text((80, y), line, font=title_font, fill=INK)
        y += 78
    context_font = _font(36)
    for line in _wrap(draw, card.context, context_font, text_width, 2):
        draw.text((80, y + 20), line, font=context_font, fill=MUTED)
        y += 46
    draw.rectangle((0, SIZE[1] - 90, SIZE[0], SIZE[1]), fill=ACCENT)
    draw.text((80, SIZE[1] - 68), "hackkit", font=_font(40), fill=ACCENT_INK)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def cached_image(card: ShareCard, instance_path: str, screenshot: Callable[[str], bytes | None]) -> Path:
    """The PNG for this card, drawn on first use and kept under the instance folder (a cache
    of this machine's: another instance draws its own). `screenshot` reads a screenshot's
    bytes by its stored name (None when it is gone: the card then has no picture)."""
    key = "\x1f".join((DRAWING, card.title, card.context, card.screenshot or ""))
    folder = Path(instance_path) / "share-images"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(key.encode()).hexdigest()}.png"
    if not path.is_file():
        # Written aside and renamed: two workers drawing the same card never serve half a file.
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(_draw(card, screenshot(card.screenshot) if card.screenshot else None))
        os.replace(temporary, path)
    return path
