"""Room fan-out benchmark: Mockroom's room server against a minimal relay, under the same load.

R rooms, each with an interviewer and a candidate, both drawing like an Excalidraw user: 20
element updates per second (real element JSON, a few hundred bytes) and 30 cursor updates per
second. The load generator runs here, pinned to one core; each server process is pinned to a
core of its own. Measured over a fixed window after a warm-up:

- one-way fan-out latency (sender's clock to receiver's clock; same process, same clock),
- delivered messages per second,
- reach: the share of whiteboard updates sent that reached the other member (must be 100%),
- server CPU seconds per 1,000 delivered messages, and the generator's own CPU,
- for Mockroom, that every acknowledged update is in the database afterwards.

Everything runs on 127.0.0.1 and stops by itself (bounded rooms, bounded seconds).
"""

import asyncio
import json
import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets

from testkit.excalidraw import element
from testkit.processes import ServerProcess

ROOT = Path(__file__).resolve().parent.parent
ELEMENT_RATE, CURSOR_RATE = 20, 30
ELEMENTS_PER_USER = 20
P99_TARGET_MS = 50.0
CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (and its reaped children), from /proc; 0 for -1."""
    if pid < 0:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / CLK_TCK


def make_element(element_id: str, user: int) -> dict:
    """A rectangle as the editor sends it, carrying its send time in customData."""
    return element(
        element_id,
        x=random.uniform(0, 1200),
        y=random.uniform(0, 800),
        backgroundColor="#a5d8ff",
        index=f"a{user}",
        seed=random.randint(1, 2**31 - 1),
        customData={"t": 0.0},
    )


@dataclass
class Totals:
    latencies_ms: list[float] = field(default_factory=list)
    timeline: list[tuple[float, float]] = field(default_factory=list)  # (sent at, latency ms)
    cursor_latencies_ms: list[float] = field(default_factory=list)
    delivered: int = 0
    updates_sent: int = 0
    updates_received: int = 0
    errors: int = 0
    acked: dict = field(default_factory=dict)  # element id -> highest acknowledged version
    acks_accepted: int = 0
    machine_busy: float = 0.0  # CPU seconds of the whole machine within the window


class Client:
    def __init__(self, url, headers, room, user, totals, window, mockroom, run):
        self.url, self.headers, self.room, self.user = url, headers, room, user
        self.totals, self.window, self.mockroom = totals, window, mockroom
        self.elements = [
            make_element(f"{run}-{room[:8]}-{user}-{i}", user) for i in range(ELEMENTS_PER_USER)
        ]
        self.unacked: list[tuple[str, int]] = []  # acks come back in send order

    def measuring(self, t: float) -> bool:
        return self.window[0] <= t < self.window[1]

    async def open(self) -> None:
        self.ws = await websockets.connect(
            self.url,
            origin="http://localhost",
            additional_headers=self.headers,
            compression=None,
            max_size=2**22,
            max_queue=None,
        )
        if self.mockroom:
            first = json.loads(await self.ws.recv())
            assert first["type"] == "state", first

    async def run(self, stop_at: float, drain_until: float) -> None:
        reader = asyncio.create_task(self.read(self.ws))
        await asyncio.gather(self.draw(self.ws, stop_at), self.point(self.ws, stop_at))
        await asyncio.sleep(max(0.0, drain_until - time.perf_counter()))
        reader.cancel()
        await self.ws.close()

    async def draw(self, ws, stop_at: float) -> None:
        interval = 1 / ELEMENT_RATE
        next_at = time.perf_counter() + random.uniform(0, interval)
        while next_at < stop_at:
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            element = random.choice(self.elements)
            element["version"] += 1
            element["versionNonce"] = random.randint(1, 2**31 - 1)
            element["x"] += 1.5
            now = time.perf_counter()
            element["customData"]["t"] = now
            await ws.send(json.dumps({"type": "whiteboard.update", "elements": [element]}))
            self.unacked.append((element["id"], element["version"]))
            if self.measuring(now):
                self.totals.updates_sent += 1
            next_at += interval

    async def point(self, ws, stop_at: float) -> None:
        interval = 1 / CURSOR_RATE
        next_at = time.perf_counter() + random.uniform(0, interval)
        while next_at < stop_at:
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
            # The send time travels in x: the server relays pointer fields as they are.
            await ws.send(
                json.dumps({"type": "pointer", "x": time.perf_counter(), "y": 1.0, "button": "up"})
            )
            next_at += interval

    async def read(self, ws) -> None:
        totals = self.totals
        async for frame in ws:
            now = time.perf_counter()
            message = json.loads(frame)
            kind = message.get("type")
            if kind == "whiteboard.update":
                sent = message["elements"][0]["customData"]["t"]
                if self.measuring(sent):
                    totals.updates_received += 1
                    totals.delivered += 1
                    totals.latencies_ms.append((now - sent) * 1000)
                    totals.timeline.append((sent, (now - sent) * 1000))
            elif kind == "pointer":
                if self.measuring(message["x"]):
                    totals.delivered += 1
                    totals.cursor_latencies_ms.append((now - message["x"]) * 1000)
            elif kind == "whiteboard.ack":
                element_id, version = self.unacked.pop(0)
                if message["accepted"]:
                    totals.acks_accepted += 1
                    totals.acked[element_id] = max(version, totals.acked.get(element_id, 0))
            elif kind == "error":
                totals.errors += 1


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def machine_busy_seconds() -> float:
    """CPU seconds all cores of the machine spent busy (everything but idle and iowait)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / CLK_TCK


async def _sample_machine(at: float) -> float:
    await asyncio.sleep(max(0.0, at - time.perf_counter()))
    return machine_busy_seconds()


async def _sample_cpu(pids: list[int], at: float) -> float:
    await asyncio.sleep(max(0.0, at - time.perf_counter()))
    return sum(cpu_seconds(pid) for pid in pids)


async def drive(
    targets, *, warmup: float, seconds: float, mockroom: bool, run: str, pids: list[int]
) -> tuple[Totals, float, float]:
    """Run every client for warmup + seconds, measuring only the window after the warm-up.
    Returns the totals and the CPU seconds the servers (`pids`) and this generator spent
    within the window."""
    totals = Totals()
    clients = [
        Client(url, headers, room, user, totals, None, mockroom, run)
        for url, headers, room, user in targets
    ]
    # Every socket is open (and has its snapshot) before the clock starts.
    for i in range(0, len(clients), 20):
        await asyncio.gather(*(c.open() for c in clients[i : i + 20]))
    start = time.perf_counter() + 0.2
    window = (start + warmup, start + warmup + seconds)
    for client in clients:
        client.window = window
    me = os.getpid()
    cpu_start = asyncio.create_task(_sample_cpu([*pids, -1], window[0]))
    cpu_end = asyncio.create_task(_sample_cpu([*pids, -1], window[1]))
    gen_start = asyncio.create_task(_sample_cpu([me], window[0]))
    gen_end = asyncio.create_task(_sample_cpu([me], window[1]))
    machine_start = asyncio.create_task(_sample_machine(window[0]))
    machine_end = asyncio.create_task(_sample_machine(window[1]))
    stop_at = window[1]
    await asyncio.gather(*(c.run(stop_at, stop_at + 2.0) for c in clients))
    server_cpu = await cpu_end - await cpu_start
    generator_cpu = await gen_end - await gen_start
    totals.machine_busy = await machine_end - await machine_start
    return totals, server_cpu, generator_cpu


class Server(ServerProcess):
    """A server process pinned to one core (the relay baseline or Mockroom's uvicorn)."""

    def __init__(self, command: list[str], core: int, env: dict, port: int):
        log = ROOT / "bench" / "results" / f"server-{port}.log"
        super().__init__(command, env, port, log, prefix=["taskset", "-c", str(core)])

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid)


def summarize(totals: Totals, seconds: float, server_cpu: float, generator_cpu: float) -> dict:
    lat = totals.latencies_ms + totals.cursor_latencies_ms
    reach = totals.updates_received / totals.updates_sent if totals.updates_sent else 0.0
    return {
        "p50_ms": round(percentile(lat, 0.50), 2),
        "p95_ms": round(percentile(lat, 0.95), 2),
        "p99_ms": round(percentile(lat, 0.99), 2),
        "max_ms": round(max(lat), 2) if lat else None,
        "whiteboard_p99_ms": round(percentile(totals.latencies_ms, 0.99), 2),
        "delivered_per_s": round(totals.delivered / seconds, 1),
        "reach": round(reach, 5),
        "updates_sent": totals.updates_sent,
        "errors": totals.errors,
        "server_cpu_s_per_1000": round(1000 * server_cpu / totals.delivered, 4)
        if totals.delivered
        else None,
        "server_cpu_util": round(server_cpu / seconds, 3),
        "generator_cpu_util": round(generator_cpu / seconds, 3),
        # Cores busy on the whole machine (server, generator, PostgreSQL, Redis, the rest).
        "machine_cores_busy": round(totals.machine_busy / seconds, 2),
    }


def holds(result: dict) -> bool:
    return result["p99_ms"] <= P99_TARGET_MS and result["reach"] >= 1.0 and not result["errors"]


def run_level(servers: list[Server], targets, *, warmup, seconds, mockroom, run) -> tuple:
    totals, server_cpu, generator_cpu = asyncio.run(
        drive(
            targets,
            warmup=warmup,
            seconds=seconds,
            mockroom=mockroom,
            run=run,
            pids=[s.process.pid for s in servers],
        )
    )
    return summarize(totals, seconds, server_cpu, generator_cpu), totals
