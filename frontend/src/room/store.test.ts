import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ClientMessage, StateMessage } from "./protocol";
import { GAP_GRACE_MS, RoomStore, SAVE_DEBOUNCE_MS } from "./store";

function snapshot(seq: number): StateMessage {
  return {
    type: "state", seq, server_time: Date.now(),
    me: { user_id: 1, username: "iris", role: "interviewer" },
    session: { id: "s", status: "live", board_locked: false, auto_advance: false, case_study: { slug: "c", title: "C", prompt: "P" }, report_status: "pending" },
    participants: [], timer: { status: "not_started", current_step: 0, step: "clarify", segment_started_at: null, auto_advance: false, steps: [] },
    whiteboard: { elements: [] }, chat: [], notes: {}, scores: {},
    recording: { state: "pending", consents: { interviewer: null, candidate: null }, active_since: null }, call: { ice_servers: [], expires_at: null },
  };
}

let sent: ClientMessage[];
let connected: boolean;
let store: RoomStore;

beforeEach(() => {
  vi.useFakeTimers();
  sent = [];
  connected = true;
  store = new RoomStore((msg) => {
    if (connected) sent.push(msg);
    return connected;
  });
  store.start();
  store.dispatch({ type: "server", msg: snapshot(5), receivedAt: Date.now() });
});

afterEach(() => {
  store.stop();
  vi.useRealTimers();
});

describe("RoomStore", () => {
  it("notifies subscribers until they unsubscribe", () => {
    const calls = vi.fn();
    const unsubscribe = store.subscribe(calls);
    store.reportError("too_large", "too big");
    expect(calls).toHaveBeenCalledTimes(1);
    expect(store.getState().lastError).toMatchObject({ code: "too_large", message: "too big" });
    unsubscribe();
    store.dismissError();
    expect(calls).toHaveBeenCalledTimes(1);
  });

  it("saves a score's level at once and its comment after a pause", () => {
    store.editScore("framing", { level: 3 });
    expect(sent).toEqual([{ type: "score.set", criterion: "framing", level: 3, comment: "" }]);
    store.editScore("framing", { comment: "cl" });
    store.editScore("framing", { comment: "clear" });
    vi.advanceTimersByTime(SAVE_DEBOUNCE_MS - 1);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent[1]).toEqual({ type: "score.set", criterion: "framing", level: 3, comment: "clear" });
    expect(store.getState().scoreStatus.framing).toBe("saving");
  });

  it("keeps a note unsaved while offline and sends it after the next snapshot", () => {
    connected = false;
    store.editNote("clarify", "offline thought");
    vi.advanceTimersByTime(SAVE_DEBOUNCE_MS);
    expect(store.getState().noteStatus.clarify).toBe("unsaved");
    connected = true;
    store.dispatch({ type: "server", msg: snapshot(6), receivedAt: Date.now() });
    store.afterSnapshot();
    expect(sent).toEqual([{ type: "note.save", step: "clarify", text: "offline thought", shared: false }]);
  });

  it("asks for a sync once a gap has stayed open past the grace time, and not again at once", () => {
    store.dispatch({ type: "server", msg: { type: "board.locked", seq: 8, locked: false }, receivedAt: Date.now() });
    vi.advanceTimersByTime(GAP_GRACE_MS - 300);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(600);
    expect(sent).toEqual([{ type: "sync", last_seq: 5 }]);
    vi.advanceTimersByTime(GAP_GRACE_MS);
    expect(sent).toHaveLength(1);
  });

  it("refuses an empty chat message and trims the others", () => {
    expect(store.chat("   ")).toBe(false);
    expect(store.chat("  hello ")).toBe(true);
    expect(sent).toMatchObject([{ type: "chat.send", text: "hello" }]);
  });
});
