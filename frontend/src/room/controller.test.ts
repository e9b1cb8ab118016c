import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RoomController } from "./controller";
import type { StateMessage, WireElement } from "./protocol";
import { backoffDelay, BACKOFF_MAX_MS } from "./socket";

/** A WebSocket double the test drives by hand. */
class FakeSocket {
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code = 1000) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(msg: object) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  sentOf(type: string) {
    return this.sent.filter((m) => m.type === type);
  }
}

/** The part of Excalidraw's API the controller uses. */
class FakeBoard {
  elements: WireElement[] = [];
  updates: { elements?: unknown; captureUpdate?: string; collaborators?: Map<string, unknown> }[] = [];
  getSceneElementsIncludingDeleted = () => this.elements as never;
  getAppState = () => ({ isLoading: false, selectedElementIds: {}, editingTextElement: null, resizingElement: null, newElement: null }) as never;
  updateScene = (scene: { elements?: WireElement[]; captureUpdate?: string; collaborators?: Map<string, unknown> }) => {
    this.updates.push(scene);
    if (scene.elements) this.elements = [...scene.elements];
  };
  draw(el: WireElement) {
    this.elements = [...this.elements.filter((e) => e.id !== el.id), el];
  }
}

function el(id: string, version: number, index = "a0"): WireElement {
  return {
    id, type: "rectangle", x: 0, y: 0, width: 10, height: 10, angle: 0, strokeColor: "#000",
    backgroundColor: "transparent", fillStyle: "solid", strokeWidth: 1, strokeStyle: "solid",
    roughness: 1, opacity: 100, groupIds: [], frameId: null, roundness: null, seed: 1,
    version, versionNonce: version, isDeleted: false, boundElements: null, updated: 1,
    link: null, locked: false, index,
  };
}

function state(seq: number, elements: WireElement[]): StateMessage {
  return {
    type: "state", seq, server_time: Date.now(),
    me: { user_id: 2, username: "cole", role: "candidate" },
    session: { id: "s", status: "live", board_locked: false, auto_advance: false, case_study: { slug: "c", title: "C", prompt: "P" }, report_status: "pending" },
    participants: [], timer: { status: "not_started", current_step: 0, step: "clarify", segment_started_at: null, auto_advance: false, steps: [] },
    whiteboard: { elements }, chat: [],
    recording: { state: "pending", consents: { interviewer: null, candidate: null }, active_since: null }, call: { ice_servers: [], expires_at: null },
  };
}

let room: RoomController;
let board: FakeBoard;
const socket = () => FakeSocket.instances[FakeSocket.instances.length - 1]!;

/** Mount the board the way Excalidraw does: initial data, API, then a first onChange. */
function mountBoard() {
  const initial = room.initialScene();
  board.elements = [...initial.elements];
  room.attachBoard(board as never);
  room.onBoardChange(board.elements as never, { isLoading: false });
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.instances = [];
  board = new FakeBoard();
  room = new RoomController("s", { url: "ws://test/ws/sessions/s/", socketFactory: (url) => new FakeSocket(url) as never });
  room.start();
  socket().open();
});

afterEach(() => {
  room.stop();
  vi.useRealTimers();
});

describe("RoomController whiteboard sync", () => {
  it("starts the board from the snapshot and sends nothing back", () => {
    socket().receive(state(5, [el("a", 3)]));
    mountBoard();
    vi.advanceTimersByTime(100);
    expect(board.elements.map((e) => e.id)).toEqual(["a"]);
    expect(socket().sentOf("whiteboard.update")).toEqual([]);
  });

  it("sends only the elements whose version rose", () => {
    socket().receive(state(5, [el("a", 3)]));
    mountBoard();
    board.draw(el("b", 1, "a1"));
    room.onBoardChange(board.elements as never, { isLoading: false });
    vi.advanceTimersByTime(100);
    const sent = socket().sentOf("whiteboard.update");
    expect(sent).toHaveLength(1);
    expect((sent[0]!.elements as WireElement[]).map((e) => e.id)).toEqual(["b"]);
  });

  it("merges remote updates outside the undo history", () => {
    socket().receive(state(5, [el("a", 3)]));
    mountBoard();
    socket().receive({ type: "whiteboard.update", seq: 6, user_id: 1, elements: [el("a", 4), el("c", 1, "a2")] });
    const last = board.updates[board.updates.length - 1]!;
    expect(last.captureUpdate).toBe("NEVER");
    expect(board.elements.find((e) => e.id === "a")?.version).toBe(4);
    // Received versions are not echoed back.
    room.onBoardChange(board.elements as never, { isLoading: false });
    vi.advanceTimersByTime(100);
    expect(socket().sentOf("whiteboard.update")).toEqual([]);
  });

  it("keeps what was drawn while disconnected and sends the full scene after reconnecting", () => {
    socket().receive(state(5, [el("a", 3)]));
    mountBoard();
    const first = socket();
    first.drop();
    expect(room.getState().connection).toBe("reconnecting");

    board.draw(el("offline", 1, "a1"));
    room.onBoardChange(board.elements as never, { isLoading: false });
    vi.advanceTimersByTime(100);
    expect(first.sentOf("whiteboard.update")).toEqual([]);

    vi.advanceTimersByTime(BACKOFF_MAX_MS);
    const second = socket();
    expect(second).not.toBe(first);
    second.open();
    second.receive(state(9, [el("a", 3)]));
    expect(board.elements.map((e) => e.id).sort()).toEqual(["a", "offline"]);
    const ids = second.sentOf("whiteboard.update").flatMap((m) => (m.elements as WireElement[]).map((e) => e.id));
    expect(ids).toContain("offline");
  });

  it("resends the full scene every 20 seconds", () => {
    socket().receive(state(5, [el("a", 3)]));
    mountBoard();
    vi.advanceTimersByTime(20_000);
    const ids = socket().sentOf("whiteboard.update").flatMap((m) => (m.elements as WireElement[]).map((e) => e.id));
    expect(ids).toEqual(["a"]);
  });

  it("shows other people's cursors with their names", () => {
    socket().receive(state(5, []));
    mountBoard();
    socket().receive({ type: "pointer", user_id: 7, connection: "tab-a", username: "iris", x: 10, y: 20, button: "up", selected_ids: [] });
    socket().receive({ type: "pointer", user_id: 7, connection: "tab-b", username: "iris", x: 50, y: 60, button: "up", selected_ids: [] });
    const collaborators = board.updates[board.updates.length - 1]!.collaborators!;
    expect(collaborators.get("7:tab-a")).toMatchObject({ username: "iris", pointer: { x: 10, y: 20, tool: "pointer" } });
    expect(collaborators.get("7:tab-b")).toMatchObject({ pointer: { x: 50, y: 60 } });
  });

  it("shows when someone's tab is idle or away", () => {
    socket().receive(state(5, []));
    mountBoard();
    socket().receive({ type: "user.state", user_id: 7, connection: "tab-a", username: "iris", state: "away" });
    const collaborators = board.updates[board.updates.length - 1]!.collaborators!;
    expect(collaborators.get("7:tab-a")).toMatchObject({ username: "iris", userState: "away" });
  });

  it("drops the cursors of whoever went offline", () => {
    socket().receive(state(5, []));
    mountBoard();
    socket().receive({ type: "pointer", user_id: 7, connection: "tab-a", username: "iris", x: 10, y: 20, button: "up", selected_ids: [] });
    socket().receive({ type: "presence", participants: [{ user_id: 7, username: "iris", role: "interviewer", online: false }] });
    expect(board.updates[board.updates.length - 1]!.collaborators!.size).toBe(0);
  });

  it("sends this tab's pointer, with what is selected", () => {
    socket().receive(state(5, []));
    mountBoard();
    room.onPointer({ pointer: { x: 3, y: 4 }, button: "down" });
    expect(socket().sentOf("pointer")).toEqual([{ type: "pointer", x: 3, y: 4, button: "down", selected_ids: [] }]);
  });

  it("flushes the board before ending the session", () => {
    socket().receive({ ...state(5, []), me: { user_id: 1, username: "iris", role: "interviewer" } });
    mountBoard();
    board.draw(el("a", 1));
    room.onBoardChange(board.elements as never, { isLoading: false });
    board.draw(el("b", 1, "a1"));
    room.onBoardChange(board.elements as never, { isLoading: false });
    room.endSession();
    const sent = socket().sent.filter((m) => m.type === "whiteboard.update" || m.type === "session.end");
    expect(sent.map((m) => m.type)).toEqual(["whiteboard.update", "session.end"]);
    expect((sent[0]!.elements as WireElement[]).map((e) => e.id)).toEqual(["a", "b"]);
  });

  it("asks for a sync when a seq gap stays open", () => {
    socket().receive(state(5, []));
    socket().receive({ type: "board.locked", seq: 8, locked: false });
    vi.advanceTimersByTime(300);
    expect(socket().sentOf("sync")).toEqual([]);
    vi.advanceTimersByTime(1500);
    expect(socket().sentOf("sync")).toEqual([{ type: "sync", last_seq: 5 }]);
  });

  it("does not reconnect when the server says the user may not enter", () => {
    socket().drop(4403);
    vi.advanceTimersByTime(BACKOFF_MAX_MS * 2);
    expect(FakeSocket.instances).toHaveLength(1);
    expect(room.getState().fatal?.code).toBe(4403);
  });
});

describe("RoomController notes", () => {
  it("debounces a note and re-sends it after a reconnect if it was never confirmed", () => {
    socket().receive({ ...state(5, []), me: { user_id: 1, username: "iris", role: "interviewer" }, notes: {}, scores: {} });
    room.editNote("clarify", "a");
    room.editNote("clarify", "ab");
    vi.advanceTimersByTime(600);
    expect(socket().sentOf("note.save")).toEqual([{ type: "note.save", step: "clarify", text: "ab", shared: false }]);
    socket().drop();
    vi.advanceTimersByTime(BACKOFF_MAX_MS);
    socket().open();
    socket().receive({ ...state(6, []), me: { user_id: 1, username: "iris", role: "interviewer" }, notes: {}, scores: {} });
    expect(room.getState().notes.clarify?.text).toBe("ab");
    expect(socket().sentOf("note.save")).toEqual([{ type: "note.save", step: "clarify", text: "ab", shared: false }]);
  });

  it("saves a note's sharing at once, with its text still being typed", () => {
    socket().receive({ ...state(5, []), me: { user_id: 1, username: "iris", role: "interviewer" }, notes: {}, scores: {} });
    room.editNote("model", "Good baseline");
    room.shareNote("model", true);
    expect(socket().sentOf("note.save")).toEqual([{ type: "note.save", step: "model", text: "Good baseline", shared: true }]);
    expect(room.getState().notes.model?.shared).toBe(true);
    vi.advanceTimersByTime(600);
    expect(socket().sentOf("note.save")).toHaveLength(1);
  });
});

describe("backoff", () => {
  it("doubles up to a cap, with jitter", () => {
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(3, () => 1)).toBe(4000);
    expect(backoffDelay(20, () => 1)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(3, () => 0)).toBe(2000);
  });
});
