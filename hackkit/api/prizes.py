"""/api/v1 prizes: what can be won, the proposed and the confirmed winners."""

from __future__ import annotations

from flask import jsonify, url_for

from hackkit import bodies
from hackkit.api import bp
from hackkit.api.helpers import caller, json_body, writer
from hackkit.extensions import db
from hackkit.services import events, prizes


def prize_answer(entry: dict) -> dict:
    prize = entry["prize"]
    logo = url_for("prizes.logo", prize_id=prize.id) if prize.has_logo else None
    return bodies.Prize.answer(
        prize,
        sponsor={"name": prize.sponsor_name, "url": prize.sponsor_url, "logo_url": logo},
        proposed=[{"submission_id": r["submission_id"], "rank": r["rank"]} for r in entry["proposed"]],
        winners=[{"submission_id": w["submission_id"], "reason": w["reason"]} for w in entry["winners"]],
    )


@bp.get("/events/<slug>/prizes")
def list_prizes(slug: str):
    actor = caller()
    event = events.get_event(db.session, actor, slug)
    board = prizes.prize_board(db.session, actor, event)
    return jsonify(
        bodies.PrizeList.answer(
            prizes=[prize_answer(entry) for entry in board["prizes"]],
            several_prizes_per_project=prizes.read_settings(db.session, event).several_prizes_per_project,
            winners_visible=board["winners_visible"],
        )
    )


@bp.post("/events/<slug>/prizes")
def create_prize(slug: str):
    actor = writer()
    prize = prizes.create_prize(db.session, actor, events.get_event(db.session, actor, slug), json_body())
    return jsonify(prize_answer(prizes.board_entry(db.session, actor, prize))), 201


@bp.get("/prizes/<int:prize_id>")
def get_prize(prize_id: int):
    actor = caller()
    return jsonify(prize_answer(prizes.board_entry(db.session, actor, prizes.get_prize(db.session, actor, prize_id))))


@bp.patch("/prizes/<int:prize_id>")
def update_prize(prize_id: int):
    actor = writer()
    prize = prizes.update_prize(db.session, actor, prizes.get_prize(db.session, actor, prize_id), json_body())
    return jsonify(prize_answer(prizes.board_entry(db.session, actor, prize)))


@bp.delete("/prizes/<int:prize_id>")
def delete_prize(prize_id: int):
    actor = writer()
    prizes.delete_prize(db.session, actor, prizes.get_prize(db.session, actor, prize_id))
    return "", 204


@bp.put("/prizes/<int:prize_id>/winners")
def confirm_winners(prize_id: int):
    actor = writer()
    prize = prizes.get_prize(db.session, actor, prize_id)
    prizes.confirm_winners(db.session, actor, prize, json_body())
    return jsonify(prize_answer(prizes.board_entry(db.session, actor, prize)))


@bp.put("/events/<slug>/prize-settings")
def prize_settings(slug: str):
    actor = writer()
    event = events.get_event(db.session, actor, slug)
    allowed = json_body().get("several_prizes_per_project")
    settings = prizes.set_several_prizes(db.session, actor, event, allowed)
    return jsonify({"several_prizes_per_project": settings.several_prizes_per_project})
