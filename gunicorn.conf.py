"""gunicorn settings for hackkit in production: `gunicorn -c gunicorn.conf.py 'hackkit:create_app()'`.

Every value can be changed from the environment, so a deployment needs no edited copy.
"""

import gc
import multiprocessing
import os
import time

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# One process per core, plus one: a worker waiting for the database leaves a core to another.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
# Threads let one worker overlap database and network waits; the hub holds no per-thread state.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# Long enough for a large dataset upload or a full CSV stream on a slow venue network.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# A client that promises a larger body than it sends (Content-Length 1000, then 10 bytes), or
# sends it a byte a minute, would hold a thread until it hangs up: gunicorn has no setting for
# reading a request (`timeout` only restarts silent workers, and threads keep the worker
# talking). So each read of a body gives up after HACKKIT_READ_TIMEOUT seconds and the request
# is answered 400. The request line and headers: see docs/deploy.md (the proxy's timeouts).
_read_timeout = float(os.environ.get("HACKKIT_READ_TIMEOUT", "30"))


def when_ready(server):
    """gunicorn has loaded the app (preload_app): compile its templates and read its languages
    once here, so each worker starts ready instead of doing it on its first requests."""
    if server.cfg.preload_app:
        from hackkit import warm_up

        started = time.perf_counter()
        try:
            templates, languages = warm_up.warm(server.app.wsgi())
            server.log.info(
                "hackkit: %d templates and %d languages ready in %.1f s, before the workers start",
                templates,
                languages,
                time.perf_counter() - started,
            )
        except Exception:  # the workers then start cold, as they used to: never refuse to serve
            server.log.exception("hackkit: the warm-up failed; each worker prepares on its first requests")
        # What the master holds now lives as long as the workers: their collector need not
        # scan it, and not touching it keeps its memory pages shared with the master.
        gc.freeze()


def pre_request(worker, req):
    sock = getattr(req.unreader, "sock", None)
    if sock is not None and _read_timeout:
        sock.settimeout(_read_timeout)


keepalive = 5
# Recycle workers now and then, so a slow leak in any library cannot grow for days. Not too
# often: a new worker starts with empty caches (pages, counts, compiled queries, connections);
# at 5,000 a busy event day restarted each worker every half minute.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# Load the app once before forking: workers share its memory and start faster.
preload_app = True
# gunicorn writes one line per request to stdout. Behind the reverse proxy, which keeps its own
# access log with the real client address, GUNICORN_ACCESS_LOG="" turns this one off: on a busy
# event day formatting it costs about a twentieth of a worker's CPU, even when sent to /dev/null.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# Behind a reverse proxy: trust its X-Forwarded-* only from these addresses (see docs/deploy.md).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
