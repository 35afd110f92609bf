"""Python's cycle collector paused while an import makes its millions of short-lived values.

An import makes a tuple, a list or a value for every row and cell (typing, conversion, the
rows bound for SQLite), and each 700 new containers set off a collection that walks them,
and now and then one that walks every object of the process: about 0.5 s of a 1,000,000-row
import's CPU (benchmarks/README.md, "Import: the cycle collector paused"). Those values hold
no reference cycles, so reference counting frees them without it. The collector is one per
process: it resumes when the last of the imports running at the same time ends (if it was on
before the first began), and collects what cycles were made meanwhile on its next run.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_running = 0  # imports inside paused() now, in any thread
_resume = False  # whether the collector was on when the first of them began


@contextmanager
def paused() -> Iterator[None]:
    global _running, _resume
    with _lock:
        if _running == 0:
            _resume = gc.isenabled()
            gc.disable()
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _resume:
                gc.enable()
