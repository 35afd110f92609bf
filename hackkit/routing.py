"""URL converters shared by every blueprint."""

from __future__ import annotations

from werkzeug.routing import BaseConverter

# Ids are 32-bit integers on PostgreSQL (and SQLite refuses integers past 64 bits): a larger
# number in a URL can name nothing, so it must match no route (404) instead of reaching the
# database and failing there. The limit lives in the pattern itself: a converter that
# rejected the value after matching would make werkzeug answer 405 instead of 404.
MAX_ID = 2**31 - 1
UP_TO_MAX_ID = (
    r"(?:0|[1-9]\d{0,8}|1\d{9}|20\d{8}|21[0-3]\d{7}|214[0-6]\d{6}|2147[0-3]\d{5}|21474[0-7]\d{4}"
    r"|214748[0-2]\d{3}|2147483[0-5]\d{2}|21474836[0-3]\d|214748364[0-7])"
)


class IdConverter(BaseConverter):
    """`<int:name>`: a non-negative integer up to MAX_ID, without leading zeros."""

    regex = UP_TO_MAX_ID
    weight = 50  # as werkzeug's own number converters: preferred over plain strings
    part_isolating = True

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))
