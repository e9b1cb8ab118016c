import { describe, expect, it } from "vitest";
import { ChunkUploader, MemoryChunkStore, outcomeOf, type Put, type StoredChunk } from "./queue";

function chunk(index: number) {
  return { index, start: 1_000 + index * 10_000, duration: 10_000, type: "audio/webm", blob: new Blob([`c${index}`]) };
}

function uploader(answers: ((c: StoredChunk) => { status: number; code?: string })[], store = new MemoryChunkStore()) {
  const calls: number[] = [];
  const scheduled: (() => void)[] = [];
  let i = 0;
  const put: Put = async (c) => {
    calls.push(c.index);
    const answer = answers[Math.min(i++, answers.length - 1)];
    if (!answer) throw new TypeError("offline");
    return answer(c);
  };
  const events = { noConsent: 0, final: [] as number[] };
  const up = new ChunkUploader(
    store,
    "s1",
    7,
    put,
    { onNoConsent: () => (events.noConsent += 1), onFinalFailure: (c) => events.final.push(c.index) },
    (fn) => {
      scheduled.push(fn);
      return 0 as unknown as ReturnType<typeof setTimeout>;
    },
  );
  return { up, store, calls, scheduled, events };
}

const ok = () => ({ status: 201 });

describe("outcomeOf", () => {
  it("reads the server's answers as docs/recording.md defines them", () => {
    expect(outcomeOf(201, undefined)).toBe("stored");
    expect(outcomeOf(200, undefined)).toBe("stored"); // a retry of a stored chunk
    expect(outcomeOf(403, "no_consent")).toBe("no_consent");
    expect(outcomeOf(0, undefined)).toBe("retry");
    expect(outcomeOf(503, undefined)).toBe("retry");
    for (const [status, code] of [[409, "conflict"], [409, "out_of_order"], [413, "too_large"], [415, "unsupported_type"], [403, "observer"]] as const) {
      expect(outcomeOf(status, code)).toBe("final");
    }
  });
});

describe("ChunkUploader", () => {
  it("uploads in index order and forgets what the server stored", async () => {
    const { up, store, calls } = uploader([ok]);
    await store.put({ ...chunk(1), key: "s1:7:1", sessionId: "s1", userId: 7 });
    await up.add(chunk(0));
    expect(calls).toEqual([0, 1]);
    expect(store.chunks.size).toBe(0);
  });

  it("keeps chunks through a network loss and sends them when it is back", async () => {
    const { up, store, calls, scheduled } = uploader([() => ({ status: 0 }), ok]);
    await up.add(chunk(0));
    expect(store.chunks.size).toBe(1);
    expect(scheduled).toHaveLength(1);
    await up.add(chunk(1)); // still offline for this one? the next answer is ok
    expect(calls).toEqual([0, 0, 1]);
    expect(store.chunks.size).toBe(0);
  });

  it("survives a reload: a new uploader on the same store sends what was kept", async () => {
    const store = new MemoryChunkStore();
    const first = uploader([() => ({ status: 503 })], store);
    await first.up.add(chunk(0));
    await first.up.add(chunk(1));
    expect(store.chunks.size).toBe(2);
    const second = uploader([ok], store);
    await second.up.flush();
    expect(second.calls).toEqual([0, 1]);
    expect(store.chunks.size).toBe(0);
    expect(await second.up.nextIndex([0, 1])).toBe(2);
  });

  it("discards everything and says so when consent was withdrawn", async () => {
    const { up, store, events } = uploader([() => ({ status: 403, code: "no_consent" })]);
    await store.put({ ...chunk(1), key: "s1:7:1", sessionId: "s1", userId: 7 });
    await up.add(chunk(0));
    expect(store.chunks.size).toBe(0);
    expect(events.noConsent).toBe(1);
  });

  it("drops a chunk the server refuses for good and goes on with the rest", async () => {
    const { up, store, events, calls } = uploader([() => ({ status: 413, code: "too_large" }), ok]);
    await store.put({ ...chunk(1), key: "s1:7:1", sessionId: "s1", userId: 7 });
    await up.add(chunk(0));
    expect(calls).toEqual([0, 1]);
    expect(events.final).toEqual([0]);
    expect(store.chunks.size).toBe(0);
  });

  it("sends a chunk added while an upload is under way in the same run", async () => {
    const store = new MemoryChunkStore();
    let release: () => void = () => {};
    const calls: number[] = [];
    let settled = 0;
    const up = new ChunkUploader(store, "s1", 7, async (c) => {
      calls.push(c.index);
      if (c.index === 0) await new Promise<void>((resolve) => (release = resolve));
      return { status: 201 };
    }, { onSettled: () => (settled += 1) });
    const first = up.add(chunk(0));
    await new Promise((resolve) => setTimeout(resolve, 0));
    await up.add(chunk(1)); // the first upload has not been answered yet
    release();
    await first;
    expect(calls).toEqual([0, 1]);
    expect(store.chunks.size).toBe(0);
    expect(settled).toBe(1);
  });

  it("continues numbering after what the server already has", async () => {
    const { up } = uploader([ok]);
    expect(await up.nextIndex([])).toBe(0);
    expect(await up.nextIndex([0, 1, 2])).toBe(3);
  });
});
