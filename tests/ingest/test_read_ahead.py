"""The importer's read-ahead thread: same items in the same order, errors where they happened,
a bounded number of items made ahead, and nothing left running when the taker stops."""

import threading

import pytest

from hackkit.ingest.errors import IngestError
from hackkit.ingest.read_ahead import read_ahead


def test_items_come_in_order_and_at_most_one_ahead():
    made = []

    def make():
        for i in range(50):
            made.append(i)
            yield i

    taken = []
    for item in read_ahead(make):
        taken.append(item)
        # The taker holds `item`; the thread may have made one more, never two.
        assert len(made) <= len(taken) + 1
    assert taken == list(range(50))


def test_an_error_in_the_thread_is_raised_to_the_taker_after_the_items_before_it():
    def make():
        yield 1
        yield 2
        raise IngestError("Row %(row)d is wrong.", row=3)

    taken = []
    with pytest.raises(IngestError) as raised:
        for item in read_ahead(make):
            taken.append(item)
    assert taken == [1, 2]
    assert "Row 3" in str(raised.value)


def test_a_taker_that_stops_early_stops_the_thread_and_closes_the_source():
    closed = threading.Event()

    def make():
        try:
            yield from range(10**9)
        finally:
            closed.set()

    with pytest.raises(RuntimeError):
        for item in read_ahead(make):
            if item == 3:
                raise RuntimeError("the database refused the batch")
    assert closed.is_set()
    assert not [t for t in threading.enumerate() if t.name == "hackkit-read-ahead"]
