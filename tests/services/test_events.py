"""Event rules: who creates them, valid schedules, drafts, registration windows."""

from datetime import timedelta

import pytest

from hackkit.extensions import db
from hackkit.services import events
from hackkit.services.errors import Conflict, Forbidden, Invalid, NotFound
from tests import factories as f


@pytest.fixture
def session(app):
    with app.app_context():
        yield db.session


def test_only_organizers_create_events(session):
    with pytest.raises(Forbidden):
        f.event(session, organizer=f.user(session, "participant"))


def test_event_times_without_offset_are_read_in_the_event_time_zone(session):
    ev = f.event(
        session,
        timezone="America/New_York",
        starts_at="2030-05-01T09:00",
        ends_at="2030-05-02T18:00",
        submission_deadline="2030-05-02T12:00",
        registration_opens=None,
        registration_closes=None,
    )
    assert ev.starts_at.isoformat() == "2030-05-01T13:00:00+00:00"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"slug": "Not A Slug"}, "slug"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"ends_at": "2000-01-01T00:00+00:00"}, "ends_at"),
        ({"max_team_size": 0}, "max_team_size"),
        ({"max_team_size": "²"}, "max_team_size"),  # a digit to str.isdigit, not to int()
        ({"visibility": "secret"}, "visibility"),
        ({"starts_at": "next tuesday"}, "starts_at"),
        ({"name": ""}, "name"),
    ],
)
def test_invalid_event_fields_are_refused_with_the_field_named(session, overrides, field):
    with pytest.raises(Invalid) as caught:
        f.event(session, **overrides)
    assert field in caught.value.errors


def test_duplicate_slug_is_a_conflict(session):
    organizer = f.user(session, "organizer")
    f.event(session, organizer, slug="antwerp")
    with pytest.raises(Conflict):
        f.event(session, organizer, slug="antwerp")


def test_drafts_are_visible_to_organizers_only(session):
    organizer = f.user(session, "organizer")
    draft = f.event(session, organizer, visibility="draft")
    assert events.get_event(session, organizer, draft.slug) == draft
    with pytest.raises(NotFound):
        events.get_event(session, f.user(session), draft.slug)
    assert draft not in events.list_events(session, None)


def test_registration_only_while_the_window_is_open(session):
    ev = f.event(session)
    person = f.user(session)
    closes = ev.registration_closes
    with pytest.raises(Conflict):
        events.register(session, person, ev, now=closes)
    with pytest.raises(Conflict):
        events.register(session, person, ev, now=ev.registration_opens - timedelta(seconds=1))
    events.register(session, person, ev, now=closes - timedelta(seconds=1))
    with pytest.raises(Conflict):
        events.register(session, person, ev)  # twice


def test_update_event_keeps_the_schedule_consistent(session):
    organizer = f.user(session, "organizer")
    ev = f.event(session, organizer)
    with pytest.raises(Invalid):
        events.update_event(session, organizer, ev, {"submission_deadline": (ev.starts_at - timedelta(hours=1))})
    session.rollback()
    events.update_event(session, organizer, ev, {"name": "Renamed", "max_team_size": 4})
    assert (ev.name, ev.max_team_size) == ("Renamed", 4)


def test_slugs_that_are_page_addresses_are_reserved(session):
    with pytest.raises(Invalid) as caught:
        f.event(session, slug="new")
    assert "slug" in caught.value.errors


# The schedule's order --------------------------------------------------------------------------


def test_a_submission_deadline_after_hacking_ends_is_refused_naming_both_fields(session):
    with pytest.raises(Invalid) as caught:
        f.event(
            session,
            starts_at="2030-05-01T09:00+02:00",
            ends_at="2030-05-02T18:00+02:00",
            submission_deadline="2030-05-02T20:00+02:00",
            registration_opens=None,
            registration_closes=None,
        )
    message = str(caught.value.errors["ends_at"][0])
    assert "submission_deadline" in message and "ends_at" in message and "hacking ends" in message
    assert "submission_deadline" in str(caught.value.message) or "ends_at" in str(caught.value.message)


@pytest.mark.parametrize(
    "overrides, named",
    [
        # registration opens after it closes
        (
            {"registration_opens": "2030-04-20T09:00+02:00", "registration_closes": "2030-04-10T09:00+02:00"},
            "registration_closes",
        ),
        # registration opens only once the event has started
        (
            {"registration_opens": "2030-05-01T10:00+02:00", "registration_closes": "2030-05-01T12:00+02:00"},
            "starts_at",
        ),
        # registration closes after the event has ended
        ({"registration_opens": "2030-04-01T09:00+02:00", "registration_closes": "2030-05-03T09:00+02:00"}, "ends_at"),
        # the deadline before the start
        ({"submission_deadline": "2030-05-01T08:00+02:00"}, "submission_deadline"),
    ],
)
def test_a_schedule_out_of_order_is_refused_and_nothing_is_created(session, overrides, named):
    base = {
        "starts_at": "2030-05-01T09:00+02:00",
        "ends_at": "2030-05-02T18:00+02:00",
        "submission_deadline": "2030-05-02T12:00+02:00",
        "registration_opens": "2030-04-01T09:00+02:00",
        "registration_closes": "2030-04-30T18:00+02:00",
    }
    organizer = f.user(session, "organizer")
    before = len(events.list_events(session, organizer))
    with pytest.raises(Invalid) as caught:
        f.event(session, organizer, **{**base, **overrides})
    assert named in caught.value.errors
    session.rollback()
    assert len(events.list_events(session, organizer)) == before


def test_patching_the_deadline_past_the_end_is_refused_and_changes_nothing(session):
    organizer = f.user(session, "organizer")
    ev = f.event(session, organizer)
    deadline = ev.submission_deadline
    with pytest.raises(Invalid) as caught:
        events.update_event(session, organizer, ev, {"submission_deadline": (ev.ends_at + timedelta(minutes=1))})
    assert "ends_at" in caught.value.errors
    session.rollback()
    session.refresh(ev)
    assert ev.submission_deadline == deadline
    # The deadline may be exactly when hacking ends.
    events.update_event(session, organizer, ev, {"submission_deadline": ev.ends_at})


# Challenges offer catalogue datasets ------------------------------------------------------------


def test_a_challenge_offers_only_published_catalogue_datasets(session):
    organizer = f.user(session, "organizer")
    ev = f.event(session, organizer)
    f.catalogue_dataset(session, "trees")
    from hackkit.models import Dataset

    session.add(Dataset(slug="secret-draft", title="Draft", status="draft"))
    session.commit()
    for wrong in (["trees", "tres"], ["secret-draft"]):
        with pytest.raises(Invalid) as caught:
            events.add_challenge(session, organizer, ev, {"title": "Shade", "datasets": wrong})
        assert "Not in the data catalogue" in str(caught.value.errors["datasets"][0])
        session.rollback()
    assert ev.challenges == []
    challenge = events.add_challenge(session, organizer, ev, {"title": "Shade", "datasets": ["trees"]})
    with pytest.raises(Invalid):
        events.update_challenge(session, organizer, challenge, {"datasets": ["nope"]})
    session.rollback()
    assert challenge.datasets == ["trees"]
    assert ("trees", "Trees") in events.challenge_dataset_choices(session)
    assert "secret-draft" not in dict(events.challenge_dataset_choices(session))


def test_a_taken_slug_is_reported_with_every_other_problem(session):
    organizer = f.user(session, "organizer")
    f.event(session, organizer, slug="antwerp")
    with pytest.raises(Invalid) as caught:  # one answer lists them all, not the slug on a second try
        f.event(session, organizer, slug="antwerp", max_team_size=0, ends_at="2000-01-01T00:00+00:00")
    assert {"slug", "max_team_size", "ends_at"} <= set(caught.value.errors)


def test_an_event_without_a_slug_gets_one_made_from_its_name(session):
    ev = f.event(session, slug="", name="Gent fietst — Ça roule 2026!")
    assert ev.slug == "gent-fietst-ca-roule-2026"


def test_event_texts_in_the_other_language_keep_only_known_languages_and_fields(session):
    ev = f.event(session, translations={"nl": {"name": " Gent hackt ", "tagline": ""}, "en": {"description": ""}})
    assert ev.translations == {"nl": {"name": "Gent hackt"}}  # empty texts are not kept
    with pytest.raises(Invalid) as caught:
        f.event(session, slug="other", translations={"fr": {"name": "Gand"}})
    assert "translations" in caught.value.errors
    with pytest.raises(Invalid) as caught:
        f.event(session, slug="third", translations={"nl": {"name": "x" * 201}})
    assert "name_nl" in caught.value.errors  # named like the form's field


def test_organizers_edit_and_delete_announcements_and_nobody_else(session):
    organizer = f.user(session, "organizer")
    ev = f.event(session, organizer)
    posted = events.post_announcement(session, organizer, ev, "Doors at 9", {"nl": {"body": "Deuren om 9"}})
    participant = f.user(session, "participant")
    with pytest.raises(Forbidden):
        events.update_announcement(session, participant, posted, {"body": "Hacked"})
    with pytest.raises(Forbidden):
        events.delete_announcement(session, participant, posted)
    with pytest.raises(Invalid):
        events.update_announcement(session, organizer, posted, {"body": "  "})
    session.rollback()
    edited = events.update_announcement(session, organizer, posted, {"body": "Doors at 10"})
    assert edited.body == "Doors at 10" and edited.updated_at is not None
    assert edited.translations == {"nl": {"body": "Deuren om 9"}}  # kept when not given
    other = f.event(session, organizer, slug="other-event")
    with pytest.raises(NotFound):  # an announcement is reached through its own event only
        events.get_announcement(session, organizer, other, posted.id)
    events.delete_announcement(session, organizer, posted)
    with pytest.raises(NotFound):
        events.get_announcement(session, organizer, ev, posted.id)
