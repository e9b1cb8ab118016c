import { describe, expect, it, vi } from "vitest";
import type { RecordingStatus as ApiStatus } from "../../api";
import type { RecordingStatus, Role } from "../protocol";
import { recordingLabel } from "./labels";
import { RecordingManager, type Recorder, type RoomFacts } from "./manager";
import { chunkKey, MemoryChunkStore, type StoredChunk } from "./queue";
import type { RecordedChunk } from "./recorder";

const SESSION = "s1";
const ME = 7;

function status(overrides: Partial<ApiStatus> = {}): ApiStatus {
  return {
    state: "pending",
    consents: { interviewer: null, candidate: null },
    my_consent: null,
    active_since: null,
    uploads_until: null,
    server_time: 1_000_000,
    limits: { max_chunk_bytes: 1024, max_bytes_per_participant: 4096, max_chunk_ms: 60_000, content_types: ["audio/webm", "audio/ogg"] },
    chunks: [],
    transcription: { pending: 0, transcribed: 0, failed: 0 },
    ...overrides,
  };
}

const ACTIVE: RecordingStatus = { state: "active", consents: { interviewer: true, candidate: true }, active_since: 999_000 };
const REFUSED: RecordingStatus = { state: "refused", consents: { interviewer: true, candidate: false }, active_since: null };

class FakeRecorder implements Recorder {
  running = false;
  private started = 0;
  constructor(
    readonly source: MediaStreamTrack,
    private readonly onChunk: (chunk: RecordedChunk) => void,
    private readonly nextIndex: () => number,
  ) {}
  start() {
    this.running = true;
  }
  /** A finished file, as the real recorder hands one over every ten seconds. */
  emit(bytes = 10) {
    const start = 1_000_000 + this.started;
    this.started += 10_000;
    this.onChunk({ index: this.nextIndex(), start, duration: 10_000, type: "audio/webm", blob: new Blob(["x".repeat(bytes)]) });
  }
  stop() {
    // The real recorder hands over the partial chunk when it stops.
    if (this.running) this.emit();
    this.running = false;
  }
}

function setup(options: { server?: ApiStatus; answers?: number[]; store?: MemoryChunkStore } = {}) {
  let server = options.server ?? status();
  const store = options.store ?? new MemoryChunkStore();
  const recorders: FakeRecorder[] = [];
  const puts: number[] = [];
  const answers = [...(options.answers ?? [])];
  const api = {
    status: vi.fn(async () => server),
    consent: vi.fn(async (_id: string, consent: boolean) => {
      server = { ...server, my_consent: consent };
      return server;
    }),
    remove: vi.fn(async () => {
      server = { ...server, my_consent: false, chunks: [] };
      return server;
    }),
  };
  const manager = new RecordingManager(SESSION, {
    api,
    store,
    put: async (chunk: StoredChunk) => {
      puts.push(chunk.index);
      const answer = answers.length ? answers.shift()! : 201;
      if (answer === 0) throw new TypeError("offline");
      return answer === 403 ? { status: 403, code: "no_consent" } : { status: answer };
    },
    clockOffset: () => 0,
    type: "audio/webm;codecs=opus",
    createRecorder: (track, onChunk, nextIndex) => {
      const recorder = new FakeRecorder(track, onChunk, nextIndex);
      recorders.push(recorder);
      return recorder;
    },
    schedule: () => 0 as unknown as ReturnType<typeof setTimeout>, // retries wait for the test
  });
  manager.start();
  const facts = (role: Role, recording: RecordingStatus | null, more: Partial<RoomFacts> = {}): RoomFacts => ({
    me: { userId: ME, role },
    recording,
    started: true,
    ended: false,
    ...more,
  });
  return { manager, api, store, recorders, puts, facts, setServer: (s: ApiStatus) => (server = s) };
}

const track = (name: string) => ({ id: name }) as unknown as MediaStreamTrack;

async function settle() {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}

async function stored(store: MemoryChunkStore): Promise<number[]> {
  return (await store.list(SESSION, ME)).map((c) => c.index);
}

/** A consented participant recording, whose first chunk the network lost: it waits in the store. */
async function withLostChunk(role: Role = "interviewer") {
  const room = setup({ server: status({ my_consent: true }), answers: [0] });
  room.manager.onTrack(track("mic"));
  room.manager.onRoom(room.facts(role, ACTIVE));
  await settle();
  room.recorders[0]!.emit();
  await settle();
  expect(await stored(room.store)).toEqual([0]);
  return room;
}

describe("RecordingManager: consent", () => {
  it("asks the interviewer and the candidate who have not answered, and never an observer", async () => {
    const observer = setup();
    observer.manager.onRoom(observer.facts("observer", ACTIVE));
    await settle();
    expect(observer.manager.getView().ask).toBe(false);
    expect(observer.api.status).not.toHaveBeenCalled();

    const { manager, api, facts } = setup();
    manager.onRoom(facts("candidate", { ...ACTIVE, state: "pending" }));
    await settle();
    expect(manager.getView().ask).toBe(true);
    await manager.answer(true);
    expect(api.consent).toHaveBeenCalledWith(SESSION, true);
    expect(manager.getView()).toMatchObject({ ask: false, myConsent: true });
  });

  it("does not ask once the interview has ended", async () => {
    const { manager, facts } = setup();
    manager.onRoom(facts("interviewer", { ...ACTIVE, state: "closed" }, { ended: true }));
    await settle();
    expect(manager.getView().ask).toBe(false);
  });
});

describe("RecordingManager: recording", () => {
  it("records only while both consented, the interview runs and the microphone is on; a chunk leaves IndexedDB once stored", async () => {
    const { manager, recorders, puts, store, facts } = setup({ server: status({ my_consent: true }) });
    const mic = track("mic");
    manager.onTrack(mic);
    manager.onRoom(facts("candidate", { ...ACTIVE, state: "pending" }));
    await settle();
    expect(recorders).toHaveLength(0); // the other person has not said yes
    manager.onRoom(facts("candidate", ACTIVE, { started: false }));
    await settle();
    expect(recorders).toHaveLength(0); // the server takes no audio before the start
    expect(recordingLabel(manager.getView(), false).text).toBe("Recording starts when the interview starts");

    manager.onRoom(facts("candidate", ACTIVE));
    await settle();
    expect(recorders).toHaveLength(1);
    expect(recorders[0]!.source).toBe(mic); // the call's own track: no second microphone
    expect(manager.getView().capturing).toBe(true);
    recorders[0]!.emit();
    await settle();
    expect(puts).toEqual([0]);
    expect(await stored(store)).toEqual([]);
    expect(recordingLabel(manager.getView(), false)).toMatchObject({ tone: "on", text: "Recording" });
  });

  it("keeps a chunk the network lost and sends it again when the network is back", async () => {
    const { manager, puts, store } = await withLostChunk();
    expect(manager.getView().unsent).toBe(1);
    window.dispatchEvent(new Event("online"));
    await settle();
    expect(puts).toEqual([0, 0]);
    expect(await stored(store)).toEqual([]);
  });

  it("stops and discards what was not sent when someone refuses, including the last partial chunk", async () => {
    const { manager, recorders, puts, store, facts } = await withLostChunk(); // waiting for a retry
    manager.onRoom(facts("interviewer", REFUSED));
    await settle();
    expect(recorders[0]!.running).toBe(false);
    expect(await stored(store)).toEqual([]);
    expect(puts).toEqual([0]); // the partial chunk was never sent
    expect(manager.getView()).toMatchObject({ capturing: false, unsent: 0 });
    expect(recordingLabel(manager.getView(), false).text).toBe("Not recording: the candidate said no");
  });

  it("stops when the server answers no_consent (a withdrawal it heard first) and when this person withdraws", async () => {
    const { manager, recorders, store, facts, api } = setup({ server: status({ my_consent: true }), answers: [403] });
    manager.onTrack(track("mic"));
    manager.onRoom(facts("candidate", ACTIVE));
    await settle();
    recorders[0]!.emit();
    await settle();
    expect(recorders[0]!.running).toBe(false);
    expect(await stored(store)).toEqual([]);

    const second = await withLostChunk("candidate");
    await second.manager.answer(false);
    await settle();
    expect(second.recorders[0]!.running).toBe(false);
    expect(await stored(second.store)).toEqual([]);
    expect(second.api.consent).toHaveBeenCalledWith(SESSION, false);
    expect(api.consent).not.toHaveBeenCalled();
  });

  it("stops at the end but still sends the last chunk", async () => {
    const { manager, recorders, puts, facts } = setup({ server: status({ my_consent: true }) });
    manager.onTrack(track("mic"));
    manager.onRoom(facts("candidate", ACTIVE));
    await settle();
    manager.onRoom(facts("candidate", ACTIVE, { ended: true }));
    await settle();
    expect(recorders[0]!.running).toBe(false);
    expect(puts).toEqual([0]); // the partial chunk handed over by the stop
  });

  it("pauses while muted and records a new device on, numbering on", async () => {
    const { manager, recorders, puts, facts } = setup({ server: status({ my_consent: true }) });
    manager.onTrack(track("mic"));
    manager.onRoom(facts("candidate", ACTIVE));
    await settle();
    manager.onTrack(null); // muted
    await settle();
    expect(recorders[0]!.running).toBe(false);
    expect(manager.getView().notCapturing).toBe("no-microphone");
    expect(recordingLabel(manager.getView(), false).detail).toMatch(/not being recorded/);
    manager.onTrack(track("mic"));
    await settle();
    const headset = track("headset");
    manager.onTrack(headset); // another microphone chosen
    await settle();
    expect(recorders).toHaveLength(3);
    expect(recorders[1]!.running).toBe(false);
    expect(recorders[2]!.source).toBe(headset);
    recorders[2]!.emit();
    await settle();
    expect(puts).toEqual([0, 1, 2]);
  });

  it("does not record a type the server does not take, nor past the size limit", async () => {
    const ogg = setup({ server: status({ my_consent: true, limits: { ...status().limits, content_types: ["audio/ogg"] } }) });
    ogg.manager.onTrack(track("mic"));
    ogg.manager.onRoom(ogg.facts("candidate", ACTIVE));
    await settle();
    expect(ogg.recorders).toHaveLength(0);
    expect(ogg.manager.getView().notCapturing).toBe("unsupported");

    const { manager, recorders, puts, facts } = setup({
      server: status({ my_consent: true, chunks: [{ index: 0, start: 1, duration: 10_000, bytes: 4090, sha256: "", status: "transcribed", reason: "" }] }),
    });
    manager.onTrack(track("mic"));
    manager.onRoom(facts("candidate", ACTIVE));
    await settle();
    recorders[0]!.emit(10); // 4090 + 10 > 4096
    await settle();
    expect(puts).toEqual([]);
    expect(recorders[0]!.running).toBe(false);
    expect(manager.getView().notCapturing).toBe("limit");
  });
});

describe("RecordingManager: after a reload", () => {
  it("sends only the chunks the server does not have, and numbers new ones after all of them", async () => {
    const store = new MemoryChunkStore();
    for (const index of [0, 1, 2]) {
      await store.put({
        key: chunkKey(SESSION, ME, index),
        sessionId: SESSION,
        userId: ME,
        index,
        start: 1_000 + index * 10_000,
        duration: 10_000,
        type: "audio/webm",
        blob: new Blob([`c${index}`]),
      });
    }
    const server = status({
      my_consent: true,
      chunks: [0, 1, 5].map((index) => ({ index, start: 1_000 + index * 10_000, duration: 10_000, bytes: 2, sha256: "", status: "pending" as const, reason: "" })),
    });
    const { manager, recorders, puts, facts } = setup({ server, store });
    manager.onTrack(track("mic"));
    manager.onRoom(facts("candidate", ACTIVE));
    await settle();
    expect(puts).toEqual([2]);
    expect(await stored(store)).toEqual([]);
    recorders[0]!.emit();
    await settle();
    expect(puts).toEqual([2, 6]);
  });
});

describe("RecordingManager: after a reload into a refused room", () => {
  it("discards what an earlier page kept", async () => {
    const store = new MemoryChunkStore();
    await store.put({ key: chunkKey(SESSION, ME, 0), sessionId: SESSION, userId: ME, index: 0, start: 1, duration: 10_000, type: "audio/webm", blob: new Blob(["c"]) });
    const { manager, puts, facts } = setup({ server: status({ my_consent: true, state: "refused" }), store });
    manager.onRoom(facts("candidate", REFUSED));
    await settle();
    expect(puts).toEqual([]);
    expect(await stored(store)).toEqual([]);
  });
});

describe("RecordingManager: deleting", () => {
  it("deletes, withdraws and discards, and the room says so", async () => {
    const { manager, api, recorders, facts } = setup({
      server: status({ my_consent: true, transcription: { pending: 0, transcribed: 3, failed: 0 } }),
    });
    manager.onTrack(track("mic"));
    manager.onRoom(facts("interviewer", ACTIVE, { ended: true }));
    await settle();
    expect(manager.getView()).toMatchObject({ stored: 3, deleted: false });
    expect(recorders).toHaveLength(0);
    await manager.deleteRecordings();
    expect(api.remove).toHaveBeenCalledWith(SESSION);
    expect(manager.getView()).toMatchObject({ deleted: true, myConsent: false });
  });
});

describe("recordingLabel", () => {
  const base = setup().manager.getView();
  it("names who the room is waiting for and who said no", () => {
    const pending = { ...base, myRole: "candidate" as const, participant: true, state: "pending" as const, consents: { interviewer: null, candidate: true } };
    expect(recordingLabel(pending, false).text).toBe("Not recording: waiting for consent from the interviewer");
    expect(recordingLabel({ ...pending, consents: { interviewer: null, candidate: null } }, false).text).toBe(
      "Not recording: waiting for consent from the interviewer and you",
    );
    const refused = { ...pending, state: "refused" as const, consents: { interviewer: false, candidate: false } };
    expect(recordingLabel(refused, false).text).toBe("Not recording: both said no");
    expect(recordingLabel({ ...refused, consents: { interviewer: true, candidate: false } }, false).text).toBe("Not recording: you said no");
    expect(recordingLabel({ ...pending, state: "active" as const, live: true }, true)).toMatchObject({ tone: "off" });
  });
});
