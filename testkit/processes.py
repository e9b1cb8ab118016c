"""Server processes for tests and benchmarks: uvicorn on a free port, started, stopped and
killed at will. No Django here: callers decide the environment."""

import contextlib
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the repository
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise RuntimeError(f"server did not start:\n{log.read_text()[-3000:]}")


def uvicorn_command(port: int, *extra: str) -> list[str]:
    """The command that serves the app on `port` (tests and the benchmark alike)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "config.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        # Client addresses are Django's business (TRUSTED_PROXIES, config/client_ip.py): uvicorn
        # would otherwise believe X-Forwarded-For from any local process.
        "--no-proxy-headers",
        *extra,
    ]


class ServerProcess:
    """A server command listening on `port`, its output in `log`; started, stopped, killed and
    restarted on the same port at will. `prefix` wraps the command (e.g. taskset -c 0)."""

    def __init__(
        self,
        command: list[str],
        env: dict,
        port: int,
        log: Path | None = None,
        prefix: list[str] = (),
    ):
        self.command = list(command)
        self.env = env
        self.port = port
        self.log = log or ARTIFACTS / f"server-{self.port}.log"
        self.prefix = list(prefix)
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_base(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> "ServerProcess":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [*self.prefix, *self.command],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_for_port(self.port, self.process, self.log)
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, nothing flushed."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


class Uvicorn(ServerProcess):
    """`config.asgi:application` served by uvicorn on `port`; restartable on the same port."""

    def __init__(
        self, env: dict, port: int | None = None, log: Path | None = None, prefix: list[str] = ()
    ):
        port = port or free_port()
        super().__init__(uvicorn_command(port), env, port, log, prefix)
