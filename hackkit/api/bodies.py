"""Answer bodies described once: a pydantic model builds the JSON a view returns and writes its
OpenAPI schema, so the document cannot drift from what the API sends.

A view answers `Criterion.answer(criterion)`; the document takes `component_schemas(Criterion, ...)`.
Bodies still written as dicts (hackkit/serializers.py) have hand-written schemas beside them in
hackkit/api/openapi_*.py; they move here one by one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

# ISO 8601 with the offset, exactly as hackkit.serializers.iso writes it (pydantic's own JSON
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
    public_vote_closes: IsoDateTime | None


class Judge(Body):
    id: int
    display_name: str


class JudgeContact(Judge):
    """A judge as organizers see them: with the e-mail address."""

    email: str


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
