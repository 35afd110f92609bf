"""The deployment guide names the settings a public hub cannot do without, with the reason."""

from __future__ import annotations

from pathlib import Path

DEPLOY = Path(__file__).resolve().parent.parent / "docs" / "deploy.md"


def test_deploy_guide_sets_the_public_url_and_says_why():
    text = DEPLOY.read_text(encoding="utf-8")
    assert "HACKKIT_PUBLIC_URL=https://" in text  # in the environment example
    assert "Host" in text and "reset" in text.lower() and "confirmation" in text.lower()
