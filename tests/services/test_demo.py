import sqlalchemy as sa

from hackkit.extensions import db
from hackkit.models import Event, Submission, Team, User
from hackkit.services import accounts, demo


def test_demo_seed_creates_every_role_and_a_published_event(app):
    with app.app_context():
        assert demo.is_empty(db.session)
        created = demo.seed_demo(db.session)
        assert sorted(role for role, _, _ in created) == ["judge", "organizer", "participant", "participant"]
        for role, email, password in created:
            assert accounts.authenticate(db.session, email, password).role == role
        event = db.session.scalar(sa.select(Event))
        assert event.visibility == "published"
        assert len(event.challenges) == 3 and event.announcements
        team = db.session.scalar(sa.select(Team))
        assert team.member_count == 2
        assert db.session.scalar(sa.select(Submission)).status == "draft"
        assert event.registration_opens < event.starts_at < event.ends_at
        assert not demo.is_empty(db.session)


def test_demo_seed_again_changes_nothing(app):
    with app.app_context():
        first = demo.seed_demo(db.session)
        hashes = {u.email: u.password_hash for u in db.session.scalars(sa.select(User))}
        assert demo.seed_demo(db.session) == []
        assert {u.email: u.password_hash for u in db.session.scalars(sa.select(User))} == hashes
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 1
        assert len(first) == 4
