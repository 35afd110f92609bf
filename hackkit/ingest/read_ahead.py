"""Items of an iterator made in a thread of their own, a few ahead of the one who takes them.

The importer's conversion pass parses the next block of the file and puts it through
pyarrow's kernels (which release the GIL) in such a thread, while the importing thread makes
Python values of the block before and SQLite stores them. The thread that holds the GIL most
(Python values, the binding of `executemany`) is the taker: a producer busy in Python would
keep the GIL from the taker between SQLite's steps. The queue is bounded, so memory holds at
most `ahead` items more; an error in the thread is raised to the taker where it happened, and
a taker that stops early (an error of its own) stops the thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()
_WAIT = 0.1  # seconds between looks at the stop flag while no slot is free


def read_ahead(make: Callable[[], Iterable[T]], ahead: int = 1) -> Iterator[T]:
    """The items of `make()`, produced in a thread; `make` runs in that thread too, so the
    iterator's files are opened and closed there. At most `ahead` items are made beyond the
    one the taker holds (it holds an item until it asks for the next)."""
    items: queue.SimpleQueue = queue.SimpleQueue()
    slots = threading.Semaphore(ahead + 1)  # the taker's item and those made ahead of it
    stop = threading.Event()

    def produce() -> None:
        try:
            iterator = iter(make())
            try:
                while True:
                    while not slots.acquire(timeout=_WAIT):
                        if stop.is_set():
                            return
                    if stop.is_set():
                        return
                    try:
                        item = next(iterator)
                    except StopIteration:
                        break
                    items.put((item, None))
            finally:
                close = getattr(iterator, "close", None)
                if close is not None:
                    close()
        except BaseException as error:  # handed to the taker, who raises it
            items.put((_DONE, error))
            return
        items.put((_DONE, None))

    thread = threading.Thread(target=produce, name="hackkit-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item, error = items.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
            slots.release()  # the taker is done with that item
    finally:
        stop.set()
        thread.join()
