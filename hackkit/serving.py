"""The development server (`hackkit run`) with a read timeout.

A client that sends a Content-Length larger than its body, or its headers a byte at a time,
would otherwise hold a server thread for as long as it keeps the connection open. Every read
from the client's socket (request line, headers, body) gives up after HACKKIT_READ_TIMEOUT
seconds: during the headers the server closes the connection, during the body the request
is answered 400 (werkzeug reports the cut-off body as a client disconnect). gunicorn.conf.py
sets the same for production.
"""

from __future__ import annotations

import click
from flask.cli import ScriptInfo, get_debug_flag, pass_script_info, show_server_banner
from flask.cli import run_command as flask_run_command
from werkzeug.serving import WSGIRequestHandler, run_simple


def handler_with_read_timeout(seconds: float) -> type[WSGIRequestHandler]:
    """A request handler whose socket reads time out after `seconds` (0: never).
    socketserver's StreamRequestHandler applies `timeout` to the connection in setup()."""
    return type("ReadTimeoutRequestHandler", (WSGIRequestHandler,), {"timeout": seconds or None})


@click.command("run", params=list(flask_run_command.params), help=flask_run_command.help)
@pass_script_info
def run_command(info: ScriptInfo, host, port, reload, debugger, with_threads, cert, extra_files, exclude_patterns):
    # Flask's own `run`, with the request handler that has a read timeout.
    app = info.load_app()
    debug = get_debug_flag()
    show_server_banner(debug, info.app_import_path)
    use_reloader = debug if reload is None else reload
    from hackkit.services import mail_worker

    mail_worker.start_thread(app, reloader=use_reloader)  # HACKKIT_MAIL_WORKER=thread: one machine
    run_simple(
        host,
        port,
        app,
        use_reloader=use_reloader,
        use_debugger=debug if debugger is None else debugger,
        threaded=with_threads,
        ssl_context=cert,
        extra_files=extra_files,
        exclude_patterns=exclude_patterns,
        request_handler=handler_with_read_timeout(app.config["HACKKIT_READ_TIMEOUT"]),
    )
