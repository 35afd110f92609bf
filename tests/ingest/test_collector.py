"""The cycle collector paused during imports: on again once the last import running at the
same time has ended, and left off if it was off before (a worker must not lose it)."""

import gc
import threading

import pytest

from hackkit.ingest import collector


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    gc.enable() if was else gc.disable()


def test_overlapping_imports_resume_the_collector_only_when_the_last_one_ends(collector_on):
    first_in, second_in, first_may_leave = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with collector.paused():
            first_in.set()
            second_in.wait(5)
            first_may_leave.wait(5)
        seen["after first"] = gc.isenabled()

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with collector.paused():
        second_in.set()
        first_may_leave.set()
        thread.join(5)
        seen["second still running"] = gc.isenabled()
    assert seen == {"after first": False, "second still running": False}
    assert gc.isenabled()


def test_an_error_inside_still_resumes_the_collector(collector_on):
    with pytest.raises(ValueError), collector.paused():
        assert not gc.isenabled()
        raise ValueError("the import failed")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_on):
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()
