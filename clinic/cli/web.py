"""The web server behind ``clinic serve``: textual-serve, made safe for a clinic's Wi-Fi.

Imported only by ``clinic serve`` (textual-serve is the optional extra
``clinic[serve]``). It uses textual-serve's public face only (its ``Server``
hooks, ``AppService.start``/``stop`` and the messages of its websocket); three
things differ from textual-serve's own server:

- the page tells the browser to reach the server at the address it used itself
  (textual-serve writes its bind address, which is 0.0.0.0 on the Wi-Fi);
- the addresses are announced only once the port is really open (aiohttp runs
  ``on_startup`` before it binds), so a port in use is a sentence, not an
  address to open followed by an error;
- stopping the server ends every tab's session, and so its app process,
  before it returns.

Which command each tab runs, and with which environment, is :mod:`clinic.cli.serve`.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server


class DeskServer(Server):
    """textual-serve's server, serving ``command`` (one process per browser tab)."""

    def __init__(self, command: str, host: str, port: int, announce: Callable[[], None]) -> None:
        super().__init__(command, host=host, port=port, title="clinic")
        self._announce = announce
        self._sessions: set[asyncio.Task[Any]] = set()

    def initialize_logging(self) -> None:
        """textual-serve's log (its logo, each connection) is left out: the
        command prints its own sentences."""

    async def on_startup(self, app: web.Application) -> None:
        """Nothing before the port is open (see :meth:`serve`)."""

    async def on_shutdown(self, app: web.Application) -> None:
        """End every tab's session (and so its app process) before stopping."""
        for task in self._sessions:
            task.cancel()
        await asyncio.gather(*self._sessions, return_exceptions=True)

    def web_app(self) -> web.Application:
        """textual-serve's routes (the page, its websocket, downloads, static files)."""
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C (or SIGTERM); OSError if the port cannot be opened."""
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        loop.set_exception_handler(_bind_errors_said_by_the_command)
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self.request_exit)
            except (NotImplementedError, RuntimeError):
                pass  # Windows: Ctrl+C raises KeyboardInterrupt, which run_app handles
        try:
            web.run_app(
                self.web_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=lambda *args: self._announce(),
            )
        except GracefulExit:
            pass
        finally:
            loop.close()

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page, pointing the browser back at the address it came to."""
        router = request.app.router
        static = router["static"].url_for(filename="/")
        socket = "wss" if request.scheme == "https" else "ws"
        return {
            "font_size": 16,
            "app_websocket_url": f"{socket}://{request.host}{router['websocket'].url_for()}",
            "config": {
                "static": {"url": f"{request.scheme}://{request.host}{static}".rstrip("/") + "/"}
            },
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: its websocket drives one app process (an ``AppService``)."""
        task = asyncio.current_task()
        assert task is not None
        self._sessions.add(task)
        # timeout: how long a closing server waits for the browser's goodbye.
        websocket = web.WebSocketResponse(heartbeat=15, timeout=3)
        service: AppService | None = None
        try:
            await websocket.prepare(request)
            service = AppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
            )
            await service.start(
                _int(request.query.get("width"), 80), _int(request.query.get("height"), 24)
            )
            await _relay(websocket, service)
        except asyncio.CancelledError:
            pass  # the server stops (on_shutdown): quit the app, then say goodbye
        finally:
            if service is not None:
                await service.stop()
            if websocket.prepared:
                await websocket.close()
            self._sessions.discard(task)
        return websocket


async def _relay(websocket: web.WebSocketResponse, service: AppService) -> None:
    """The browser's messages to the app: keys, a new size, focus (textual.js's protocol)."""
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        kind, *data = message.json()
        if kind == "stdin":
            await service.send_bytes(data[0].encode("utf-8"))
        elif kind == "resize":
            await service.set_terminal_size(data[0]["width"], data[0]["height"])
        elif kind == "ping":
            await websocket.send_json(["pong", data[0]])
        elif kind == "blur":
            await service.blur()
        elif kind == "focus":
            await service.focus()


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


def _bind_errors_said_by_the_command(
    loop: asyncio.AbstractEventLoop, context: dict[str, Any]
) -> None:
    """Older aiohttp (3.9) also hands a port that cannot be opened to the loop's
    exception handler, which prints a traceback; the OSError reaches ``clinic
    serve`` all the same, which says it in a sentence. Everything else is
    reported as asyncio would."""
    if isinstance(context.get("exception"), OSError):
        return
    loop.default_exception_handler(context)
