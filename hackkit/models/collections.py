"""A one-to-many collection that pages show, loaded for its parents by a statement built once.

SQLAlchemy's selectinload and lazy loading build their statement afresh on every load: on the
event page that cost about 0.5 ms of CPU a collection, more than asking the database (the
event's challenges, its announcements, the prizes' winners, on every view). A `Collection`
builds the same query once, on first use (the mappers are configured by then), sends it with
the parents' keys and fills each parent's attribute as a load would
(`set_committed_value`: nothing to flush, the relationship's own order kept).
"""

from __future__ import annotations

import functools
from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value


class Collection:
    def __init__(self, relationship, *options) -> None:
        """`relationship`: a one-to-many attribute (Event.challenges); `options`: loader options
        for its rows (a joinedload of what the page shows of each)."""
        self.relationship = relationship
        self.options = options

    @functools.cached_property
    def _plan(self) -> tuple[str, str, str, sa.Select]:
        prop = self.relationship.property
        ((parent_column, child_column),) = prop.local_remote_pairs  # one foreign key
        statement = (
            sa.select(prop.mapper)
            .where(child_column.in_(sa.bindparam("parents", expanding=True)))
            .options(*self.options)
            .order_by(*(prop.order_by or ()))
        )
        parent_key = prop.parent.get_property_by_column(parent_column).key
        child_key = prop.mapper.get_property_by_column(child_column).key
        return prop.key, parent_key, child_key, statement

    def load(self, session: Session, parents) -> None:
        """Fill the collection of each of `parents` that has not loaded it yet (one statement)."""
        name, parent_key, child_key, statement = self._plan
        # Loaded attributes are in the state's dict (asking `unloaded` lists every attribute: 0.1 ms).
        waiting = {getattr(p, parent_key): p for p in parents if name not in sa.inspect(p).dict}
        if not waiting:
            return
        found = defaultdict(list)
        for child in session.scalars(statement, {"parents": list(waiting)}).unique():
            found[getattr(child, child_key)].append(child)
        for key, parent in waiting.items():
            set_committed_value(parent, name, found[key])
