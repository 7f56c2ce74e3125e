"""``clinic serve``: desks in browsers (issue 11, point 7).

The installed ``clinic serve`` runs in a subprocess on 127.0.0.1 and a free port;
the tests talk to it as a browser does (the page over HTTP, then textual-serve's
websocket, whose binary messages are the app's terminal output), and once through
a real headless Chromium, driven over its DevTools protocol.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import pytest

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve")

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="finds the desks' processes in /proc"
)

CSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """A running ``clinic serve`` and the desks' processes it started."""

    def __init__(self, clinic: str, db: Path, lang: str) -> None:
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        args = [clinic, "--db", str(db), "--lang", lang, "serve", "--host", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*args, "--port", str(self.port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.banner = self._wait_for_port()

    def _wait_for_port(self) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.process.communicate()
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                time.sleep(0.2)
                continue
            return self.process.stdout.readline() + self.process.stdout.readline()
        raise AssertionError("clinic serve did not open its port")

    def desks(self) -> list[int]:
        """The app processes serving browser tabs: ``python -m clinic`` on this database."""
        found = []
        for entry in Path("/proc").iterdir():
            try:
                words = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"-m" in words and b"clinic" in words and str(self.db).encode() in words:
                found.append(int(entry.name))
        return found

    def stop(self) -> tuple[str, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # Ctrl+C
        out, err = self.process.communicate(timeout=60)
        return out, err


@pytest.fixture
def served(clinic_script, demo_path):
    opened: list[Served] = []

    def start(lang: str = "en") -> Served:
        opened.append(Served(clinic_script, demo_path, lang))
        return opened[-1]

    yield start
    for server in opened:
        server.stop()


async def open_desk(url: str, until: str, seconds: float = 60) -> tuple[str, object]:
    """Fetch the page, open its websocket as textual.js does; read the app's screen
    until ``until`` appears. Returns the screen's text and the open websocket's session."""
    session = aiohttp.ClientSession()
    async with session.get(url) as page:
        html = await page.text()
    socket_url = re.search(r'data-session-websocket-url="([^"]+)"', html).group(1)
    ws = await session.ws_connect(f"{socket_url}?width=100&height=30")
    await ws.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
    screen = ""
    deadline = time.monotonic() + seconds
    while until not in CSI.sub("", screen):
        message = await asyncio.wait_for(ws.receive(), max(deadline - time.monotonic(), 0.1))
        assert message.type == aiohttp.WSMsgType.BINARY, message
        screen += message.data.decode("utf-8", "replace")
    return CSI.sub("", screen), (session, ws)


def environment_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


async def test_two_browser_desks_each_show_the_sign_in_and_stop_with_the_server(served):
    server = served("en")
    assert f"Open on each desk:\n  {server.url}" in server.banner
    first, one = await open_desk(server.url, "Your PIN, then Enter")
    second, two = await open_desk(server.url, "Your PIN, then Enter")
    for screen in (first, second):
        assert "Choose your name, then type your PIN." in screen
        assert "In this database" not in screen  # nobody is signed in
    desks = server.desks()
    assert len([pid for pid in desks if pid != server.process.pid]) >= 2
    for pid in desks:
        # The server was started signed in (CLINIC_USER, CLINIC_PIN); the desks are not.
        assert "CLINIC_USER" not in environment_of(pid)
        assert "CLINIC_PIN" not in environment_of(pid)
    out, err = server.stop()
    for session, ws in (one, two):
        await ws.close()
        await session.close()
    assert server.process.returncode == 0, err
    assert "Stopped serving; every browser desk is closed." in err
    assert "Traceback" not in out + err
    assert [pid for pid in desks if Path(f"/proc/{pid}").exists()] == []


def test_a_port_in_use_is_a_sentence(clinic_script, demo_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [clinic_script, "--db", str(demo_path), "serve", "--host", "127.0.0.1"]
            + ["--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert f"Port {port} is already in use" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_serving_desks_is_a_coordinators_right(clinic_cli, demo_path, monkeypatch):
    from clinic.core.demo.users import DEMO_USERS

    name, roles, pin, _specialty = next(u for u in DEMO_USERS if "coordinator" not in u[1])
    monkeypatch.setenv("CLINIC_USER", name)
    monkeypatch.setenv("CLINIC_PIN", pin)
    result = clinic_cli(demo_path, "serve", "--port", str(free_port()))
    assert result.exit_code == 1
    assert "only a coordinator may" in result.output


def test_the_desks_run_clinic_on_the_same_database_and_language_without_a_user(tmp_path):
    import shlex

    from clinic.cli.serve import addresses_to_open, desk_command, lan_addresses

    words = shlex.split(desk_command(tmp_path / "my clinic.db", "zh"))
    assert words[:3] == [sys.executable, "-m", "clinic"]
    assert words[3:] == ["--db", str(tmp_path / "my clinic.db"), "--lang", "zh"]
    assert addresses_to_open("127.0.0.1", 8000) == ["http://127.0.0.1:8000"]
    every = addresses_to_open("0.0.0.0", 8000)
    assert every[-1] == "http://127.0.0.1:8000"
    assert every[:-1] == [f"http://{a}:8000" for a in lan_addresses()]
    assert all(not a.startswith("127.") for a in lan_addresses())


# --- a real browser -------------------------------------------------------------


def png_colours(data: bytes) -> int:
    """How many different colours a PNG (8-bit RGB or RGBA, as Chromium writes) holds."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6)
    size = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * size
    previous, seen = bytearray(stride), set()
    for y in range(height):
        kind, row = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = row[i - size] if i >= size else 0
            up, corner = previous[i], previous[i - size] if i >= size else 0
            if kind == 1:
                row[i] = (row[i] + left) & 255
            elif kind == 2:
                row[i] = (row[i] + up) & 255
            elif kind == 3:
                row[i] = (row[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                row[i] = (row[i] + best) & 255
        seen.update(bytes(row[i : i + 3]) for i in range(0, stride, size * 7))
        previous = row
    return len(seen)


async def screenshot_in_chromium(server: Served, chromium: str, png: Path) -> tuple[str, list[int]]:
    """Open the server's page in headless Chromium, wait for the app's first bytes
    on its terminal, take a screenshot; the page body's classes and the desks'
    processes while the browser is open."""
    url = server.url
    port, profile = free_port(), tempfile.mkdtemp(prefix="clinic-chromium-")
    browser = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1200,800"]
        + [f"--remote-debugging-port={port}", f"--user-data-dir={profile}", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        async with aiohttp.ClientSession() as session:
            page = await _page(session, port)
            async with session.ws_connect(page, max_msg_size=0) as ws:
                calls = iter(range(1, 10_000))

                async def call(method: str, **params) -> dict:
                    number = next(calls)
                    await ws.send_json({"id": number, "method": method, "params": params})
                    async for message in ws:
                        answer = message.json()
                        if answer.get("id") == number:
                            return answer["result"]
                    raise AssertionError("Chromium closed its DevTools socket")

                classes = ""
                for _ in range(120):
                    found = await call(
                        "Runtime.evaluate",
                        expression="document.body && document.body.className",
                        returnByValue=True,
                    )
                    classes = found["result"].get("value") or ""  # no body before the page loads
                    if "-first-byte" in classes:
                        break
                    await asyncio.sleep(0.5)
                await asyncio.sleep(3)  # the sign-in is drawn after the first bytes
                shot = await call("Page.captureScreenshot", format="png")
                png.write_bytes(base64.b64decode(shot["data"]))
                return classes, server.desks()
    finally:
        browser.terminate()
        browser.wait(30)


async def _page(session, port: int) -> str:
    """The DevTools websocket of Chromium's one page, once it is listening."""
    for _ in range(150):
        try:
            async with session.get(f"http://127.0.0.1:{port}/json/list") as answer:
                pages = [p for p in await answer.json() if p["type"] == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise AssertionError("Chromium did not open its DevTools port")


async def test_the_sign_in_in_a_real_headless_browser(served, tmp_path):
    # Where the machine has Chromium (Debian's package; .ci/run installs it when it
    # can): a browser is not something pip installs, so elsewhere this is skipped.
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("no Chromium on this machine")
    server = served("zh")
    png = Path(os.environ.get("CLINIC_SERVE_SCREENSHOT", tmp_path / "signin.png"))
    png.parent.mkdir(parents=True, exist_ok=True)
    classes, desks = await screenshot_in_chromium(server, chromium, png)
    assert "-first-byte" in classes  # the app's screen reached the browser's terminal
    assert desks, "the browser's tab started no app process"
    # The splash alone (a dark page with a dotted grid and a logo) has a handful of
    # colours; the sign-in form's text, borders and list add many more.
    assert png_colours(png.read_bytes()) > 40
    _out, err = server.stop()
    assert "Traceback" not in err


def test_without_textual_serve_the_command_says_how_to_install_it(
    clinic_cli, demo_path, monkeypatch
):
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # import fails as if not installed
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    monkeypatch.delitem(sys.modules, "clinic.cli.web", raising=False)
    result = clinic_cli(demo_path, "serve", "--port", str(free_port()))
    assert result.exit_code == 1
    assert "pip install 'clinic[serve]'" in result.output
