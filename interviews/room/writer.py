"""Group commit for whiteboard updates.

Sockets hand their validated updates to the process's writer and await the result. The writer
merges everything that queued up while the previous batch was being written in one transaction,
on one dedicated thread (one database connection). Under light load a batch holds one update and
is written at once; under heavy load batches grow, so the database cost per update falls exactly
when it matters. Nothing is broadcast before its batch has committed.
"""

import asyncio
import logging
import zlib
from concurrent.futures import ThreadPoolExecutor

from django.db import connection

from .whiteboard import WhiteboardWrite, whiteboard_apply_batch

logger = logging.getLogger(__name__)

# After this long without work a writer thread gives its database connection back.
IDLE_CLOSE_SECONDS = 2.0
WRITER_LANES = 2


def _close_connection() -> None:
    # Resolved here, on the writer thread: `connection` is per thread.
    connection.close()


def _apply_alone(batch: list[WhiteboardWrite]) -> list[WhiteboardWrite]:
    try:
        return whiteboard_apply_batch(batch)
    except Exception:
        # A broken connection must not poison the next batch.
        connection.close()
        raise


def _apply(batch: list[WhiteboardWrite]) -> list[WhiteboardWrite]:
    """Write a batch; if it fails, write each update on its own, so that one room's bad
    update (or one that trips the database) fails only its sender, never the other rooms in
    the batch. Each update is atomic, so a failed batch left nothing behind to redo."""
    try:
        return _apply_alone(batch)
    except Exception:
        if len(batch) == 1:
            raise
        logger.exception("whiteboard batch of %d failed; writing each update alone", len(batch))
    for write in batch:
        write.accepted, write.seq, write.message_text, write.error = [], None, "", None
        try:
            _apply_alone([write])
        except Exception:
            logger.exception("whiteboard update for room %s failed", write.session_id)
            write.accepted, write.seq, write.message_text = [], None, ""
            write.error = ("server_error", "The drawing was not saved; send it again.")
    return batch


class _Lane:
    """One writer thread with its own database connection and its own queue."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="whiteboard-writer")
        self._pending: list[tuple[WhiteboardWrite, asyncio.Future]] = []
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._busy = False

    async def submit(self, write: WhiteboardWrite) -> WhiteboardWrite:
        """Queue a write and wait until its batch has committed (or failed)."""
        future = asyncio.get_running_loop().create_future()
        self._pending.append((write, future))
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="whiteboard-writer")
        return await future

    async def flush(self) -> None:
        """Wait until everything queued so far has been written."""
        while self._pending or self._busy:
            await asyncio.sleep(0.005)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), IDLE_CLOSE_SECONDS)
            except TimeoutError:
                await loop.run_in_executor(self._executor, _close_connection)
                continue
            self._wake.clear()
            batch, self._pending = self._pending, []
            if not batch:
                continue
            self._busy = True
            try:
                await loop.run_in_executor(self._executor, _apply, [w for w, _ in batch])
            except Exception as exc:
                logger.exception("whiteboard batch of %d failed", len(batch))
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
            else:
                for write, future in batch:
                    if not future.done():
                        future.set_result(write)
            finally:
                self._busy = False

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
        await asyncio.get_running_loop().run_in_executor(self._executor, _close_connection)
        self._executor.shutdown(wait=False)


class WhiteboardWriter:
    """Rooms are spread over a few lanes (by room id, so one room's writes stay in order in
    one lane): while one lane waits for the database, another prepares or commits its batch.
    Lanes never lock the same rooms, so they cannot deadlock each other."""

    def __init__(self, lanes: int = WRITER_LANES) -> None:
        self._lanes = [_Lane() for _ in range(lanes)]

    def _lane(self, room) -> _Lane:
        return self._lanes[zlib.crc32(str(room).encode()) % len(self._lanes)]

    async def submit(self, write: WhiteboardWrite) -> WhiteboardWrite:
        """Queue a write and wait until its batch has committed (or failed)."""
        return await self._lane(write.session_id).submit(write)

    async def flush(self) -> None:
        """Wait until everything queued so far has been written."""
        for lane in self._lanes:
            await lane.flush()

    async def close(self) -> None:
        for lane in self._lanes:
            await lane.close()
