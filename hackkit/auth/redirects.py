"""Where a `next=` parameter may send someone: only back into this site."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, fallback: str) -> str:
    if not target:
        return fallback
    # Browsers treat "\" like "/", so "/\evil.example" is off-site too; control characters
    # let "/\t/evil.example" slip past naive checks.
    if any(ord(ch) < 32 for ch in target) or "\\" in target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target
