"""Answer bodies described once: a pydantic model builds the JSON a view returns and writes its
OpenAPI schema, so the document cannot drift from what the API sends.

A view answers `Criterion.answer(criterion)`; the document takes `component_schemas(Criterion, ...)`.
Bodies still written as dicts (hackkit/event_json.py) have hand-written schemas beside them in
hackkit/api/openapi_*.py; they move here one by one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

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
