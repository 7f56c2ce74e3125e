"""The web server behind ``clinic serve``: textual-serve, made safe for a clinic's Wi-Fi.

Imported only by ``clinic serve`` (textual-serve is the optional extra
``clinic[serve]``). Three things differ from textual-serve's own server:

- each browser tab's app process gets an environment without the signed-in
  user of the person who started the server (CLINIC_USER, CLINIC_PIN), so every
  tab signs in on the app's own sign-in screen;
- the page tells the browser to reach the server at the address it used itself
  (textual-serve writes its bind address, which is 0.0.0.0 on the Wi-Fi);
- stopping the server ends every tab's app process before it returns, and the
  addresses are announced only once the port is really open.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server

# Who signed in to start the server must not be who every browser tab is.
HIDDEN_FROM_TABS = ("CLINIC_USER", "CLINIC_PIN", "CLINIC_NEW_PIN")


class DeskService(AppService):
    """One browser tab's app process, without the server's user, in its own session
    (a Ctrl+C at the server's terminal reaches the server only, which then quits
    every tab in order)."""

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        for name in HIDDEN_FROM_TABS:
            environment.pop(name, None)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24):  # type: ignore[no-untyped-def]
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_shell(
            self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=os.name != "nt",
        )
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Quit the app, then make sure its process is gone."""
        await super().stop()
        process = self._process
        if process is not None and process.returncode is None:
            try:
                await asyncio.wait_for(process.wait(), 5)
            except TimeoutError:
                process.kill()
                await process.wait()


class DeskServer(Server):
    """textual-serve's server, serving ``command`` (one process per tab)."""

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

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C (or SIGTERM); OSError if the port cannot be opened."""
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self.request_exit)
            except (NotImplementedError, RuntimeError):
                pass
        try:
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=lambda *args: self._announce(),
            )
        except GracefulExit:
            pass

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page, pointing the browser back at the address it came to."""
        router = request.app.router
        base = f"{request.scheme}://{request.host}"
        static = router["static"].url_for(filename="/")
        socket = "wss" if request.scheme == "https" else "ws"
        return {
            "font_size": 16,
            "app_websocket_url": f"{socket}://{request.host}{router['websocket'].url_for()}",
            "config": {"static": {"url": f"{base}{static}".rstrip("/") + "/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: its websocket drives one :class:`DeskService`."""
        task = asyncio.current_task()
        assert task is not None
        self._sessions.add(task)
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _int(request.query.get("width"), 80)
        height = _int(request.query.get("height"), 24)
        service: DeskService | None = None
        try:
            await websocket.prepare(request)
            service = DeskService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        finally:
            if service is not None:
                await service.stop()
            self._sessions.discard(task)
        return websocket


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default
