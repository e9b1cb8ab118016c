"""The baseline the room server is measured against: a minimal websocket relay (the
`websockets` library, one process) that forwards every frame to the other members of its room.
No auth, no validation, no storage. Bench-only code: it never serves users.

Run: python -m bench.baseline_relay PORT
"""

import asyncio
import sys

from websockets.asyncio.server import broadcast, serve

rooms: dict[str, set] = {}


async def relay(connection) -> None:
    room = connection.request.path
    members = rooms.setdefault(room, set())
    members.add(connection)
    try:
        async for frame in connection:
            broadcast([m for m in members if m is not connection], frame)
    finally:
        members.discard(connection)


async def main(port: int) -> None:
    async with serve(relay, "127.0.0.1", port, max_size=2**20, compression=None) as server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(main(int(sys.argv[1])))
