"""The public page cache (hackkit/pagecache.py): fast for visitors who are not signed in,
never a page of one person served to another, and never older than its setting."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import flash, render_template_string

from hackkit import pagecache
from hackkit.extensions import db
from hackkit.services import events, tokens
from tests import factories
from tests.conftest import AuthActions, make_app

SECONDS = 1.0


@pytest.fixture
def app_settings():
    return {"HACKKIT_PUBLIC_CACHE_SECONDS": SECONDS}


@pytest.fixture
def event_slug(app):
    with app.app_context():
        return factories.event(db.session, name="Antwerp Data Weekend").slug


def rename(app, slug: str, name: str) -> None:
    with app.app_context():
        event = events.get_event(db.session, None, slug)
        organizer = factories.user(db.session, "organizer")
        events.update_event(db.session, organizer, event, {"name": name})


def test_visitors_not_signed_in_share_one_answer_for_at_most_the_set_time(app, event_slug, clock):
    first = app.test_client().get(f"/events/{event_slug}")
    assert first.status_code == 200 and "Age" not in first.headers
    rename(app, event_slug, "Renamed Weekend")
    again = app.test_client().get(f"/events/{event_slug}")
    assert again.headers["Age"] == "0" and again.data == first.data
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert "Set-Cookie" not in again.headers
    clock.now += SECONDS
    fresh = app.test_client().get(f"/events/{event_slug}")
    assert "Age" not in fresh.headers and "Renamed Weekend" in fresh.get_data(as_text=True)


def test_signed_in_people_always_see_the_live_page(app, event_slug):
    anonymous = app.test_client()
    anonymous.get(f"/events/{event_slug}")
    member = app.test_client()
    AuthActions(app, member).login_as()
    rename(app, event_slug, "Renamed Weekend")
    page = member.get(f"/events/{event_slug}")
    assert "Age" not in page.headers and "Renamed Weekend" in page.get_data(as_text=True)


def test_a_signed_in_page_never_reaches_anyone_else(app, event_slug):
    member = app.test_client()
    AuthActions(app, member).login_as()
    mine = member.get(f"/events/{event_slug}").get_data(as_text=True)
    assert "Log out" in mine and "Log in to register" not in mine
    theirs = app.test_client().get(f"/events/{event_slug}")
    assert "Age" not in theirs.headers
    assert "Log out" not in theirs.get_data(as_text=True) and "Log in to register" in theirs.get_data(as_text=True)


def test_a_draft_an_organizer_opened_is_not_handed_to_visitors(app):
    organizer_client = app.test_client()
    organizer = AuthActions(app, organizer_client).login_as("organizer")
    with app.app_context():
        draft = factories.event(db.session, db.session.merge(organizer), visibility="draft").slug
    assert organizer_client.get(f"/events/{draft}").status_code == 200
    assert app.test_client().get(f"/events/{draft}").status_code == 404


def test_pages_with_a_csrf_token_are_never_shared(app):
    first = app.test_client().get("/login")
    second = app.test_client().get("/login")
    assert "Age" not in second.headers
    assert first.headers.get("Set-Cookie") and second.headers.get("Set-Cookie")
    assert first.data != second.data  # each visitor's own token


def test_a_message_left_for_a_visitor_is_shown_to_them(app):
    app.test_client().get("/")  # the home page is now in the cache
    leaving = app.test_client()
    auth = AuthActions(app, leaving)
    auth.login_as()
    page = auth.logout().headers["Location"]
    shown = leaving.get(page)
    assert "Age" not in shown.headers and "logged out" in shown.get_data(as_text=True).lower()


def test_a_page_that_shows_a_message_as_it_flashes_it_is_not_shared(app):
    @app.route("/flash-and-show")
    def flash_and_show():
        flash("Only for you")
        return render_template_string("{{ get_flashed_messages()|join }}")

    assert app.test_client().get("/flash-and-show").get_data(as_text=True) == "Only for you"
    assert "Age" not in app.test_client().get("/flash-and-show").headers


def test_each_language_has_its_own_answer(app, event_slug):
    english = app.test_client().get(f"/events/{event_slug}", headers={"Accept-Language": "en"})
    dutch = app.test_client().get(f"/events/{event_slug}", headers={"Accept-Language": "nl"})
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert "Age" not in dutch.headers and '<html lang="nl">' in dutch.get_data(as_text=True)
    switched = app.test_client()
    switched.post("/language", data={"lang": "nl"})
    assert '<html lang="nl">' in switched.get(f"/events/{event_slug}").get_data(as_text=True)


def test_api_answers_with_a_token_are_live_and_without_one_shared(app, event_slug):
    client = app.test_client()
    first = client.get(f"/api/v1/events/{event_slug}")
    assert first.status_code == 200 and first.headers["Access-Control-Allow-Origin"] == "*"
    rename(app, event_slug, "Renamed Weekend")
    assert client.get(f"/api/v1/events/{event_slug}").json["name"] == "Antwerp Data Weekend"
    with app.app_context():
        secret = tokens.issue_token(db.session, factories.user(db.session), "script")
    live = app.test_client().get(f"/api/v1/events/{event_slug}", headers={"Authorization": f"Bearer {secret}"})
    assert "Age" not in live.headers and live.json["name"] == "Renamed Weekend"


def test_head_requests_and_the_health_check(app, event_slug):
    app.test_client().get(f"/events/{event_slug}")
    head = app.test_client().head(f"/events/{event_slug}")
    assert head.status_code == 200 and head.headers["Age"] == "0" and head.data == b""
    app.test_client().get("/healthz")
    assert "Age" not in app.test_client().get("/healthz").headers  # a real database round trip each time


def test_a_cached_answer_still_counts_against_the_rate_limit(tmp_path, database_url):
    limited = make_app(
        tmp_path, database_url, HACKKIT_PUBLIC_CACHE_SECONDS=60, HACKKIT_RATELIMIT_API_ANONYMOUS="3 per minute"
    )
    with limited.app_context():
        slug = factories.event(db.session).slug
    here = {"REMOTE_ADDR": "192.0.2.1"}
    answers = [limited.test_client().get(f"/api/v1/events/{slug}", environ_base=here) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[1].headers["Age"] == "0" and answers[2].headers["X-RateLimit-Remaining"] == "0"
    elsewhere = limited.test_client().get(f"/api/v1/events/{slug}", environ_base={"REMOTE_ADDR": "192.0.2.2"})
    # The same stored answer, with this client's own counter.
    assert elsewhere.status_code == 200 and elsewhere.headers["X-RateLimit-Remaining"] == "2"
    with limited.app_context():
        db.session.remove()
        db.engine.dispose()


# Kept until it changes: versions per event, per dataset and for everything ---------------------


def versions(app) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(sa.text("SELECT scope, version FROM page_versions")).all())


def test_an_unchanged_page_is_kept_past_the_set_time_and_a_change_shows_within_it(app, event_slug, clock):
    first = app.test_client().get(f"/events/{event_slug}")
    clock.now += 10 * SECONDS  # nothing was written: still the stored answer
    kept = app.test_client().get(f"/events/{event_slug}")
    assert kept.headers["Age"] == str(int(10 * SECONDS)) and kept.data == first.data
    rename(app, event_slug, "Renamed Weekend")
    assert app.test_client().get(f"/events/{event_slug}").data == first.data  # within the set time
    clock.now += SECONDS
    fresh = app.test_client().get(f"/events/{event_slug}")
    assert "Age" not in fresh.headers and "Renamed Weekend" in fresh.get_data(as_text=True)


def test_a_write_to_one_event_leaves_the_pages_of_another_in_the_cache(app, event_slug, clock):
    with app.app_context():
        other = factories.event(db.session, name="Ghent Open Data Day").slug
    app.test_client().get(f"/events/{event_slug}")
    app.test_client().get(f"/events/{other}")
    rename(app, other, "Ghent Open Data Night")
    clock.now += SECONDS
    assert app.test_client().get(f"/events/{event_slug}").headers["Age"] == str(int(SECONDS))
    changed = app.test_client().get(f"/events/{other}")
    assert "Age" not in changed.headers and "Ghent Open Data Night" in changed.get_data(as_text=True)


def test_writes_raise_the_version_of_what_they_change_only(app, event_slug):
    with app.app_context():
        event = events.get_event(db.session, None, event_slug)
        event_id = event.id
        person = factories.registered(db.session, event)
        before = versions(app)
        factories.team(db.session, event, captain=person)  # a team: its event's pages change
    after = versions(app)
    assert after[f"event:{event_id}"] == before[f"event:{event_id}"] + 1
    assert after.get("global") == before.get("global")
    member = app.test_client()
    AuthActions(app, member).login_as()  # a log-in writes to the person, nothing visitors see
    with app.app_context():
        tokens.issue_token(db.session, factories.user(db.session), "script")
    assert versions(app) == after


def test_a_write_through_another_hub_on_the_same_database_shows_within_the_set_time(
    app, event_slug, clock, tmp_path, database_url
):
    other_hub = make_app(tmp_path / "other", database_url, HACKKIT_PUBLIC_CACHE_SECONDS=SECONDS)
    app.test_client().get(f"/events/{event_slug}")
    rename(other_hub, event_slug, "Renamed Weekend")
    clock.now += SECONDS
    assert "Renamed Weekend" in app.test_client().get(f"/events/{event_slug}").get_data(as_text=True)
    with other_hub.app_context():
        db.session.remove()
        db.engine.dispose()


def test_no_page_is_kept_longer_than_its_lifetime(app, event_slug, clock):
    app.test_client().get(f"/events/{event_slug}")
    clock.now += pagecache.MAX_LIFETIME  # a deadline may have passed: asked again
    assert "Age" not in app.test_client().get(f"/events/{event_slug}").headers


# Repeat visitors: ETag and 304 -------------------------------------------------------------------


@pytest.mark.parametrize("seconds", [SECONDS, 0])
def test_a_visitor_who_has_the_page_gets_a_304(tmp_path, database_url, seconds):
    hub = make_app(tmp_path, database_url, HACKKIT_PUBLIC_CACHE_SECONDS=seconds)
    with hub.app_context():
        slug = factories.event(db.session).slug
    # Not the event page itself: its countdown ticks every second, so without the cache two
    # visits a second apart are two different pages (and rightly two different ETags).
    for path in (f"/events/{slug}/projects", f"/api/v1/events/{slug}"):
        first = hub.test_client().get(path)
        assert first.status_code == 200 and first.headers["ETag"]
        for _ in range(2):  # stored, then from the cache (with it on)
            again = hub.test_client().get(path, headers={"If-None-Match": first.headers["ETag"]})
            assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == first.headers["ETag"]
        other = hub.test_client().get(path, headers={"If-None-Match": '"something-else"'})
        assert other.status_code == 200 and other.data == first.data
    member = hub.test_client()
    AuthActions(hub, member).login_as()
    assert "ETag" not in member.get(f"/events/{slug}").headers  # a signed-in page is nobody else's
    with hub.app_context():
        db.session.remove()
        db.engine.dispose()


# A page of one team: kept while other teams save ------------------------------------------------


def two_submitted_projects(app, event_slug) -> tuple[list[int], list]:
    """Two teams with submitted projects; their ids and captains."""
    from hackkit.services import submissions

    with app.app_context():
        event = events.get_event(db.session, None, event_slug)
        found = []
        for title in ("Bench finder", "Tree map"):
            captain = factories.registered(db.session, event)
            team = factories.team(db.session, event, captain=captain)
            submissions.save_submission(db.session, captain, team, {"title": title}, status="submitted")
            found.append((team.id, captain.id))
        return [team_id for team_id, _ in found], [captain_id for _, captain_id in found]


def save_title(app, team_id: int, captain_id: int, title: str) -> None:
    from hackkit.models import Team, User
    from hackkit.services import submissions

    with app.app_context():
        team, captain = db.session.get(Team, team_id), db.session.get(User, captain_id)
        submissions.save_submission(db.session, captain, team, {"title": title})


def project(app, team_id: int):
    return app.test_client().get(f"/teams/{team_id}/project")


def test_a_project_page_is_kept_while_other_teams_save_and_changes_with_its_own(app, event_slug, clock):
    (bench, trees), (bench_captain, trees_captain) = two_submitted_projects(app, event_slug)
    first = project(app, bench)
    assert "Bench finder" in first.get_data(as_text=True)
    save_title(app, trees, trees_captain, "Tree map 2")  # another team saves: this page stays
    clock.now += SECONDS
    kept = project(app, bench)
    assert kept.headers["Age"] == str(int(SECONDS)) and kept.data == first.data
    assert "Tree map 2" in project(app, trees).get_data(as_text=True)  # and theirs changed
    assert "Tree map 2" in app.test_client().get(f"/events/{event_slug}/projects").get_data(as_text=True)
    save_title(app, bench, bench_captain, "Bench finder 2")  # its own team saves: it changes
    clock.now += SECONDS
    fresh = project(app, bench)
    assert "Age" not in fresh.headers and "Bench finder 2" in fresh.get_data(as_text=True)


def test_a_project_page_changes_with_its_event(app, event_slug, clock):
    (bench, _), _ = two_submitted_projects(app, event_slug)
    project(app, bench)
    rename(app, event_slug, "Renamed Weekend")  # the event's own row: every project page shows it
    clock.now += SECONDS
    fresh = project(app, bench)
    assert "Age" not in fresh.headers and "Renamed Weekend" in fresh.get_data(as_text=True)


def test_a_row_moved_from_one_team_to_another_changes_both_pages(app, event_slug, clock):
    """A prize or a vote changing hands: the team that lost it changes too, not only the winner."""
    from hackkit.models import Submission, SubmissionScreenshot

    (bench, trees), _ = two_submitted_projects(app, event_slug)
    with app.app_context():
        of_team = sa.select(Submission).where(Submission.team_id == sa.bindparam("team"))
        first, second = (db.session.scalar(of_team, {"team": team}) for team in (bench, trees))
        shot = SubmissionScreenshot(
            submission_id=first.id, stored_name="moved.png", content_type="image/png", width=1, height=1, size=1
        )
        db.session.add(shot)
        db.session.commit()
        before = versions(app)
        shot.submission_id = second.id
        db.session.commit()
        event_id = first.event_id
    after = versions(app)
    assert after[f"event-core:{event_id}"] == before.get(f"event-core:{event_id}", 0) + 1


def a_published_prize_won_by(app, letter: str) -> dict:
    """A judged event (tests/prizes/world.py) whose published results give one prize to project `letter`."""
    from hackkit.services import prizes, publication
    from tests.prizes import world as prize_world

    with app.app_context():
        built = prize_world.build(db.session)
        prize = prizes.create_prize(db.session, built.organizer, built.event, {"name": "Golden bench"})
        chosen = built.submissions[letter].id
        prizes.confirm_winners(db.session, built.organizer, prize, {"winners": [{"submission_id": chosen}]})
        publication.publish_results(db.session, built.organizer, built.event, confirm=True)
        return {
            "winner": prize.winners[0].id,
            "subs": {key: submission.id for key, submission in built.submissions.items()},
            "teams": {key: submission.team_id for key, submission in built.submissions.items()},
        }


def test_a_prize_handed_over_through_its_relationship_shows_on_the_page_of_the_team_that_gains_it(app, clock):
    """`winner.submission = other`: the foreign key is only set during the flush, after the
    versions to raise were chosen; the team that gains it must change all the same."""
    from hackkit.models import PrizeWinner, Submission

    world = a_published_prize_won_by(app, "A")
    gaining = f"/teams/{world['teams']['B']}/project"
    assert "Winner: Golden bench" not in project_page(app, gaining)
    with app.app_context():
        winner = db.session.get(PrizeWinner, world["winner"])
        winner.submission = db.session.get(Submission, world["subs"]["B"])
        db.session.commit()
    clock.now += SECONDS
    assert "Winner: Golden bench" in project_page(app, gaining)


def test_a_prize_handed_over_by_an_update_statement_shows_on_the_page_of_the_team_that_gains_it(app, clock):
    """An UPDATE naming the row by its key reads the row before it changes: its old team."""
    from hackkit.models import PrizeWinner

    world = a_published_prize_won_by(app, "A")
    gaining = f"/teams/{world['teams']['B']}/project"
    assert "Winner: Golden bench" not in project_page(app, gaining)
    with app.app_context():
        db.session.execute(
            sa.update(PrizeWinner).where(PrizeWinner.id == world["winner"]).values(submission_id=world["subs"]["B"])
        )
        db.session.commit()
    clock.now += SECONDS
    assert "Winner: Golden bench" in project_page(app, gaining)


def test_each_change_a_project_page_shows_reaches_it_within_the_set_time(app, clock):
    """The page follows its team and its event's own rows only: every piece it shows must raise one
    of those (or global). Names of members and authors, the challenge, the prize badge, what came
    of the project, the team's updates, the results being withdrawn."""
    from hackkit.models import Challenge, Event, Prize, Submission, User
    from hackkit.services import accounts, outcomes, prizes, publication

    world = a_published_prize_won_by(app, "A")
    url = f"/teams/{world['teams']['A']}/project"
    with app.app_context():
        submission = db.session.get(Submission, world["subs"]["A"])
        event, team = submission.event_id, submission.team
        captain, member = team.captain_id, next(m.user_id for m in team.memberships if m.user_id != team.captain_id)
        organizer = db.session.scalar(sa.select(User).where(User.role == "organizer")).id
        challenge, prize = submission.challenge_id, db.session.scalar(sa.select(Prize.id))
        # The day the event started where it happens: the outcome's date is checked in the
        # event's time zone, and its UTC date is the day before for a start just after midnight.
        held = db.session.get(Event, event)
        started = held.starts_at.astimezone(ZoneInfo(held.timezone)).date().isoformat()

    def person(user_id):
        return db.session.get(User, user_id)

    changes = [
        (
            "Zelda Renamed",
            lambda: accounts.update_profile(
                db.session,
                person(member),
                display_name="Zelda Renamed",
                skills=[],
                languages=[],
                bio="",
                looking_for_team=False,
            ),
        ),
        (
            "Shadier streets",
            lambda: events.update_challenge(
                db.session, person(organizer), db.session.get(Challenge, challenge), {"title": "Shadier streets"}
            ),
        ),
        (
            "Winner: Silver bench",
            lambda: prizes.update_prize(
                db.session, person(organizer), db.session.get(Prize, prize), {"name": "Silver bench"}
            ),
        ),
        (
            "Called by the city",
            lambda: outcomes.record_outcome(
                db.session,
                person(organizer),
                db.session.get(Submission, world["subs"]["A"]),
                {"status": "contacted", "date": started, "note": "Called by the city"},
            ),
        ),
        (
            "We shipped a second version",
            lambda: outcomes.post_update(
                db.session,
                person(captain),
                db.session.get(Submission, world["subs"]["A"]),
                {"text": "We shipped a second version"},
            ),
        ),
    ]
    for text, change in changes:
        assert text not in project_page(app, url)
        with app.app_context():
            change()
        clock.now += SECONDS
        assert text in project_page(app, url), text
    with app.app_context():
        publication.unpublish_results(db.session, person(organizer), db.session.get(Event, event))
    clock.now += SECONDS
    assert "Winner:" not in project_page(app, url)


def project_page(app, url: str) -> str:
    answer = app.test_client().get(url)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_a_dataset_page_shows_a_project_newly_crediting_it_within_the_set_time(app, clock):
    """The dataset page lists projects of every event that credit it: a project of another event
    that starts crediting it must show on the kept page within the set time, like any change."""
    from tests.cocreation import world as w

    with app.app_context():
        organizer = factories.user(db.session, "organizer")
        first, other = factories.event(db.session, organizer), factories.event(db.session, organizer)
        w.challenge(db.session, other, organizer, "Cooler streets", ["trees"])
        w.project_using(db.session, first, "trees", title="Shade map")
    pages = ("/datasets/trees", "/api/v1/datasets/trees/projects")
    for url in pages:
        assert "Shade map" in app.test_client().get(url).get_data(as_text=True)
    with app.app_context():
        w.project_using(db.session, db.session.merge(other), "trees", title="Tree quiz")
    clock.now += SECONDS
    for url in pages:
        assert "Tree quiz" in app.test_client().get(url).get_data(as_text=True), url
