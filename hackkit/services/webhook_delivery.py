"""Sending one webhook delivery: the outbox's sender for the "webhook" channel.

The worker (`hackkit mail send`, hackkit/services/outbox.deliver_due) calls `send_webhook(item)`
for each due row. The body is signed with the webhook's secret:
`X-Hackkit-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`; `X-Hackkit-Delivery` is the
outbox row's id (the same on every retry, so a receiver can drop a second copy) and each try
carries its own `sent_at`, so a receiver can also refuse old bodies replayed by someone else.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime

import requests
from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from requests.adapters import HTTPAdapter
from sqlalchemy.orm import object_session

from hackkit.models import OutboxItem, Webhook
from hackkit.models.base import utcnow
from hackkit.services import webhook_targets
from hackkit.services.outbox import DeliveryFailed
from hackkit.services.webhook_targets import Target

# (connect, read) seconds: a slow receiver cannot hold the worker (the outbox lease is 2 minutes).
TIMEOUT = (5, 10)
# How much of a receiver's answer is kept in the delivery log.
RESPONSE_CAP = 1000
USER_AGENT = "hackkit-webhooks/1"


def signature(secret: str, raw_body: bytes) -> str:
    """The X-Hackkit-Signature value of a body."""
    return "sha256=" + hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()


class _PinnedAdapter(HTTPAdapter):
    """Connects to the address that was checked, whatever the name resolves to by now, while
    TLS still checks the certificate against the name (and sends it as SNI)."""

    def __init__(self, target: Target):
        self.target = target
        super().__init__(max_retries=0)

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        host_params["host"] = self.target.address
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = self.target.host
            pool_kwargs["assert_hostname"] = self.target.host
        return host_params, pool_kwargs


def _host_header(target: Target) -> str:
    host = f"[{target.host}]" if ":" in target.host else target.host
    default = 443 if target.scheme == "https" else 80
    return host if target.port == default else f"{host}:{target.port}"


def _settings() -> tuple[bool, str]:
    config = current_app.config if has_app_context() else {}
    return bool(config.get("HACKKIT_WEBHOOK_ALLOW_PRIVATE", False)), config.get("HACKKIT_PUBLIC_URL") or ""


def json_body(item: OutboxItem, public_url: str, now: datetime) -> dict:
    stored = item.payload["body"]
    return {
        **stored,
        "delivery": item.id,
        "sent_at": now.isoformat(),
        "url": public_url + stored["path"] if public_url else None,
    }


def slack_text(body: dict, language: str) -> str:
    """The happening as one chat message, in the webhook's language."""
    data, event = body["data"], body["hackathon"]["name"]
    with force_locale(language):
        if body["event"] == "team.created":
            text = _("New team in %(event)s: %(team)s", event=event, team=data["team"]["name"])
        elif body["event"] == "submission.submitted":
            text = _(
                "%(team)s submitted “%(title)s” in %(event)s",
                team=data["submission"]["team"],
                title=data["submission"]["title"],
                event=event,
            )
        elif body["event"] == "announcement.published":
            text = _("Announcement in %(event)s:", event=event) + "\n" + data["announcement"]["body"][:1500]
        else:
            text = _("The results of %(event)s are published.", event=event)
    if body.get("url"):
        text += "\n" + body["url"]
    # Slack reads <...> as links and mentions; what people wrote must show as written.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _post(target: Target, url: str, raw: bytes, headers: dict) -> tuple[int, str]:
    with requests.Session() as http:
        http.trust_env = False  # no proxy or .netrc from the environment: straight to the checked address
        adapter = _PinnedAdapter(target)
        http.mount("http://", adapter)
        http.mount("https://", adapter)
        response = http.post(url, data=raw, headers=headers, timeout=TIMEOUT, allow_redirects=False, stream=True)
        try:
            answer = response.raw.read(RESPONSE_CAP + 1, decode_content=True) or b""
        finally:
            response.close()
    text = answer[:RESPONSE_CAP].decode("utf-8", "replace") + ("…" if len(answer) > RESPONSE_CAP else "")
    return response.status_code, f"{response.status_code} {response.reason or ''}".strip() + (
        f": {text}" if text else ""
    )


def send_webhook(item: OutboxItem) -> str:
    """Deliver one outbox row of the "webhook" channel; DeliveryFailed unless the receiver says 2xx."""
    session = object_session(item)
    webhook = session.get(Webhook, item.payload.get("webhook_id")) if session is not None else None
    if webhook is None:
        raise DeliveryFailed("the webhook was deleted")
    allow_private, public_url = _settings()
    # Checked again now: the name may point elsewhere since the webhook was registered.
    target = webhook_targets.resolve(webhook.url, allow_private=allow_private)
    body = json_body(item, public_url, utcnow())
    if webhook.format == "slack":
        body = {"text": slack_text(body, webhook.language)}
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "Host": _host_header(target),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Hackkit-Event": item.subject,
        "X-Hackkit-Delivery": str(item.id),
        "X-Hackkit-Signature": signature(webhook.secret, raw),
    }
    item.recipient = webhook.url[:2000]  # the log shows where this try went
    status, record = _post(target, webhook.url.strip(), raw, headers)
    if 300 <= status < 400:
        raise DeliveryFailed(f"the receiver answered {status}; redirects are not followed", response=record)
    if not 200 <= status < 300:
        raise DeliveryFailed(f"the receiver answered {status}", response=record)
    return record
