"""Answer bodies described once: a pydantic model builds the JSON a view returns and writes its
OpenAPI schema, so the document cannot drift from what the API sends.

A view answers `Criterion.answer(criterion)`; the document takes `component_schemas(Criterion, ...)`.
Bodies still written as dicts (hackkit/event_json.py) have hand-written schemas beside them in
hackkit/api/openapi_*.py; they move here one by one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

# ISO 8601 with the offset, exactly as hackkit.event_json.iso writes it (pydantic's own JSON
# form would write "Z" instead of "+00:00" and change what clients already parse).
IsoDateTime = Annotated[
    datetime,
    PlainSerializer(lambda moment: moment.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @classmethod
    def answer(cls, source: Any = None, **fields: Any) -> dict:
        """The JSON body: the named fields, the others read from `source`'s attributes (a model row).
        Validating here means a serializer that sends a wrong type fails in the tests, not in a client."""
        if source is not None:
            fields = {name: getattr(source, name) for name in cls.model_fields if name not in fields} | fields
        return cls.model_validate(fields).model_dump(mode="json")


class Criterion(Body):
    id: int
    name: str
    description: str
    weight: float
    scale_min: int
    scale_max: int
    position: int = Field(description="order in which judges see the criteria")


class JudgingSettings(Body):
    opens_at: IsoDateTime | None
    closes_at: IsoDateTime | None
    results_published: bool
    published_at: IsoDateTime | None
    per_submission: int = Field(description="judges per project in the balanced assignment")
    mode: str = Field(json_schema_extra={"enum": ["rubric", "pairwise"]})
    public_vote_opens: IsoDateTime | None
    public_vote_closes: IsoDateTime | None = Field(description="null: open-ended once it opens")
    frozen: bool = Field(description="results are published: changes to the judging get 409 until withdrawn")


class Judge(Body):
    id: int
    display_name: str


# A judge who is also a participant in the event is conflicted with their own team's project and
# competes with the others: organizers are told which team (services.judging_setup.judge_teams).
TEAM_OF_JUDGE = Field(default=None, description="their team in this event, if they take part in one")


class JudgeContact(Judge):
    """A judge as organizers see them: with the e-mail address."""

    email: str
    team: str | None = TEAM_OF_JUDGE


class JudgeAdded(Judge):
    """The answer to making someone a judge: with a warning when they are in a competing team."""

    team: str | None = TEAM_OF_JUDGE
    warning: str | None = None


class Conflict(Body):
    judge_id: int
    submission_id: int
    kind: str = Field(json_schema_extra={"enum": ["member", "organisation", "relation", "other"]})
    note: str


class Assignment(Body):
    id: int
    judge_id: int
    judge: str = Field(description="the judge's display name")
    submission_id: int
    title: str = Field(description="the project's title as frozen at the deadline")
    manual: bool = Field(description="added by hand, not by the balanced assignment")


class _NoFieldTitles(GenerateJsonSchema):
    """Property titles would only repeat the property names in the document."""

    def field_title_should_be_set(self, schema) -> bool:
        return False


def component_schemas(*models: type[Body]) -> dict[str, dict]:
    """OpenAPI 3.1 `components.schemas` entries for the models (and the models they use)."""
    _, definitions = models_json_schema(
        [(model, "serialization") for model in models],
        ref_template="#/components/schemas/{model}",
        schema_generator=_NoFieldTitles,
    )
    return definitions.get("$defs", {})


# The event hub (built by hackkit/event_json.py) ----------------------------------------------


class Event(Body):
    id: int
    slug: str
    name: str
    tagline: str
    description: str = Field(description="Markdown")
    venue: str
    city: str
    timezone: str = Field(description="IANA time zone, e.g. Europe/Brussels")
    registration_opens: IsoDateTime | None
    registration_closes: IsoDateTime | None
    starts_at: IsoDateTime
    ends_at: IsoDateTime
    submission_deadline: IsoDateTime
    max_team_size: int
    code_of_conduct: str = Field(description="Markdown")
    visibility: str = Field(json_schema_extra={"enum": ["draft", "published", "archived"]})
    html_url: str = Field(json_schema_extra={"format": "uri"})
    translations: dict[str, dict[str, str]] = Field(
        description='name, tagline and description in another language: {"nl": {"name": "..."}}'
    )


class Challenge(Body):
    id: int
    event: str = Field(description="the event's slug")
    title: str
    department: str = Field(description="the city department that owns it")
    description: str = Field(description="Markdown: the problem")
    success: str = Field(description="Markdown: what success looks like")
    datasets: list[str] = Field(description="slugs of the datasets it offers")
    proposal_id: int | None = Field(description="the resident proposal it came from")


class Announcement(Body):
    id: int
    body: str = Field(description="Markdown")
    created_at: IsoDateTime
    updated_at: IsoDateTime | None = Field(description="when it was last edited, if ever")
    translations: dict[str, dict[str, str]] = Field(description='the body in another language: {"nl": {"body": "..."}}')


class EventDetail(Event):
    challenges: list[Challenge]
    announcements: list[Announcement]


class Person(Body):
    """What other participants may see of someone: never the e-mail address."""

    id: int
    display_name: str
    skills: list[str]
    languages: list[str]
    bio: str
    looking_for_team: bool


class Team(Body):
    id: int
    event: str = Field(description="the event's slug")
    name: str
    description: str
    missing_skills: list[str]
    captain_id: int | None
    members: list[Person]
    member_count: int
    max_team_size: int
    deadline: IsoDateTime = Field(description="the team's own deadline (extensions included)")
    html_url: str = Field(json_schema_extra={"format": "uri"})


class TeamForMembers(Team):
    """A team as its members see it: with the invitation (services.teams.sees_invite_code)."""

    invite_code: str
    invite_url: str = Field(json_schema_extra={"format": "uri"})


# After the event: outcomes and the teams' updates (hackkit/api/outcomes.py) ------------------


class Outcome(Body):
    """One entry of a project's outcome history, as the city recorded it (never who typed it)."""

    id: int
    submission_id: int
    status: str = Field(json_schema_extra={"enum": ["contacted", "pilot", "adopted", "live", "stopped"]})
    date: str = Field(description="the day it happened (YYYY-MM-DD)", json_schema_extra={"format": "date"})
    note: str = Field(description="plain text; for `stopped`: why")
    url: str = Field(description="for `live`: where the service runs")
    department: str = Field(description="the city department involved")
    recorded_at: IsoDateTime
    current: bool = Field(description="the newest entry: the project's current status")


class Outcomes(Body):
    submission_id: int
    status: str | None = Field(description="the current status; null before anything is recorded")
    outcomes: list[Outcome] = Field(description="newest first")


class ProjectUpdate(Body):
    """A team's progress post on its own project."""

    id: int
    submission_id: int
    text: str = Field(description="Markdown")
    html: str = Field(description="the text rendered and sanitised")
    url: str
    author: str | None = Field(description="display name only; null when the account is gone")
    created_at: IsoDateTime


class ProjectUpdates(Body):
    submission_id: int
    updates: list[ProjectUpdate] = Field(description="newest first")


class OutcomeInput(Body):
    status: str = Field(json_schema_extra={"enum": ["contacted", "pilot", "adopted", "live", "stopped"]})
    date: str | None = Field(
        default=None, description="YYYY-MM-DD; today when left out", json_schema_extra={"format": "date"}
    )
    note: str = Field(default="", description="required for `stopped`: why")
    url: str = Field(default="", description="required for `live`")
    department: str = Field(default="", description="defaults to the department that owns the project's challenge")


class ProjectUpdateInput(Body):
    text: str = Field(description="Markdown, at most 5000 characters")
    url: str = Field(default="")


# Prizes (hackkit/api/prizes.py) ----------------------------------------------------------------


class PrizeSponsor(Body):
    name: str
    url: str = Field(description="the sponsor's web site, or empty")
    logo_url: str | None = Field(description="the logo, served by this hub; null without one")


class ProposedWinner(Body):
    submission_id: int
    rank: int = Field(description="rank within the prize's scope; tied projects share a rank")


class PrizeWinner(Body):
    submission_id: int
    reason: str = Field(description="why, where the choice differs from the proposal; published with it")


class Prize(Body):
    id: int
    name: str
    description: str = Field(description="Markdown")
    kind: str = Field(json_schema_extra={"enum": ["money", "pilot", "item"]})
    value: str = Field(description="what it is worth, in words")
    sponsor: PrizeSponsor
    scope: str = Field(json_schema_extra={"enum": ["event", "challenge", "public_vote", "jury_choice"]})
    challenge_id: int | None
    max_winners: int
    position: int = Field(description="order on the event page and at the ceremony")
    proposed: list[ProposedWinner] = Field(
        description="from the results within the scope (ties included); empty for others until publication"
    )
    winners: list[PrizeWinner] = Field(description="confirmed winners; empty for others until publication")


class PrizeList(Body):
    prizes: list[Prize]
    several_prizes_per_project: bool
    winners_visible: bool = Field(description="whether `proposed` and `winners` are shown to the caller")


# Webhooks (hackkit/api/webhooks.py) -----------------------------------------------------------

WebhookEventName = Literal["team.created", "submission.submitted", "announcement.published", "results.published"]


class Webhook(Body):
    """A webhook as organizers see it, with the secret that signs its deliveries."""

    id: int
    url: str
    events: list[WebhookEventName] = Field(description="the happenings it is sent")
    secret: str = Field(description="key of the X-Hackkit-Signature HMAC-SHA256 of each delivery's body")
    format: Literal["json", "slack"] = Field(description='json: the signed JSON body; slack: a {"text": ...} message')
    language: Literal["en", "nl"] = Field(description="language of the slack message text")
    active: bool = Field(description="false: new happenings are not sent")
    created_at: IsoDateTime


class WebhookDelivery(Body):
    """One delivery (an outbox row) with what the receiver answered."""

    id: int = Field(description="also the X-Hackkit-Delivery header")
    event: WebhookEventName
    url: str = Field(description="where it went (or goes)")
    status: Literal["pending", "retrying", "sent", "dead"]
    attempts: int
    created_at: IsoDateTime
    next_attempt_at: IsoDateTime | None = Field(description="when it is tried next (pending or retrying)")
    sent_at: IsoDateTime | None
    last_error: str | None
    last_response: str | None = Field(description="the receiver's status line and the start of its answer")
    replay_of: int | None = Field(description="the delivery this one sends again")


# Organizers' messages (hackkit/services/event_messages.py) -------------------------------------

SEGMENT = Field(
    json_schema_extra={"enum": ["registered", "no_submission", "looking_for_team", "judges_missing_scores"]}
)


class MessageInput(Body):
    """What an organizer sends to a segment of an event."""

    segment: str = SEGMENT
    subject: str = Field(max_length=200)
    body: str = Field(max_length=10000, description="plain text; each mail adds a link to the event page")
    dry_run: bool = Field(default=False, description="true: count the recipients and change nothing")


class EventMessage(Body):
    id: int
    segment: str = SEGMENT
    subject: str
    body: str
    recipients: int = Field(description="mails queued when it was sent")
    created_at: IsoDateTime


class MessageOutcome(Body):
    recipients: int = Field(description="people who get (or, in a dry run, would get) the mail")
    switched_off: int = Field(description="people in the segment who turned organizers' messages off")
    dry_run: bool
    message: EventMessage | None = Field(description="the message as kept on the event; null in a dry run")
