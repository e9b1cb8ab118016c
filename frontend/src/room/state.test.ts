import { describe, expect, it } from "vitest";
import { parseServerMessage, type ServerMessage, type StateMessage } from "./protocol";
import { canDraw, initialRoomState, roomReducer, syncFrom, trackSeq, type RoomState } from "./state";

function snapshot(over: Partial<StateMessage> = {}): StateMessage {
  return {
    type: "state",
    seq: 10,
    server_time: 50_000,
    me: { user_id: 1, username: "iris", role: "interviewer" },
    session: {
      id: "s1",
      status: "live",
      board_locked: false,
      auto_advance: false,
      case_study: { slug: "visual-search", title: "Visual search", prompt: "Design it" },
      report_status: "pending",
    },
    participants: [
      { user_id: 1, username: "iris", role: "interviewer", online: true },
      { user_id: 2, username: "cole", role: "candidate", online: true },
    ],
    timer: {
      status: "not_started",
      current_step: 0,
      step: "clarify",
      segment_started_at: null,
      auto_advance: false,
      steps: [],
    },
    whiteboard: { elements: [] },
    chat: [{ seq: 4, author: "cole", author_id: 2, text: "hi", sent_at: "t" }],
    notes: { clarify: { text: "asked about scale", shared: false, updated_at: "t" } },
    scores: {},
    recording: { state: "pending", consents: { interviewer: null, candidate: null }, active_since: null }, call: { ice_servers: [], expires_at: null },
    ...over,
  };
}

function apply(state: RoomState, ...msgs: ServerMessage[]): RoomState {
  return msgs.reduce(
    (s, msg) => roomReducer(s, { type: "server", msg, receivedAt: 40_000 }),
    state,
  );
}

const loaded = () => apply(initialRoomState, snapshot());

describe("parseServerMessage", () => {
  it("accepts known types and rejects garbage", () => {
    expect(parseServerMessage('{"type":"pong","server_time":1}')).toEqual({ type: "pong", server_time: 1 });
    expect(parseServerMessage("not json")).toBeNull();
    expect(parseServerMessage("[1,2]")).toBeNull();
    expect(parseServerMessage('{"type":"mystery"}')).toBeNull();
    expect(parseServerMessage('{"type":"chat.message"}')).toBeNull(); // seq missing
  });

  it("parses the events inside a sync answer", () => {
    const msg = parseServerMessage({
      type: "sync",
      seq: 12,
      events: [{ type: "board.locked", seq: 11, locked: true }, { type: "bogus" }],
    });
    expect(msg).toEqual({ type: "sync", seq: 12, events: [{ type: "board.locked", seq: 11, locked: true }] });
  });
});

describe("seq tracking", () => {
  it("records gaps and fills them as messages arrive", () => {
    let s = trackSeq({ seq: 10, missing: [] }, 13);
    expect(s).toEqual({ seq: 13, missing: [11, 12], duplicate: false });
    s = trackSeq(s, 12);
    expect(s).toEqual({ seq: 13, missing: [11], duplicate: false });
    expect(trackSeq(s, 12).duplicate).toBe(true);
    expect(syncFrom(s)).toBe(10);
    expect(syncFrom({ seq: 13, missing: [] })).toBe(13);
  });
});

describe("roomReducer", () => {
  it("loads a snapshot with the clock offset and the seq", () => {
    const s = loaded();
    expect(s.loaded).toBe(true);
    expect(s.seq).toBe(10);
    expect(s.clockOffset).toBe(10_000);
    expect(s.notes.clarify?.text).toBe("asked about scale");
    expect(s.chat).toHaveLength(1);
  });

  it("appends chat by seq, once", () => {
    const msg: ServerMessage = {
      type: "chat.message",
      seq: 11,
      message: { seq: 11, author: "iris", author_id: 1, text: "welcome", sent_at: "t" },
    };
    const s = apply(loaded(), msg, msg);
    expect(s.chat.map((c) => c.text)).toEqual(["hi", "welcome"]);
    expect(s.seq).toBe(11);
  });

  it("ignores a timer.state older than the one applied (out of order)", () => {
    const newer: ServerMessage = {
      type: "timer.state",
      seq: 13,
      server_time: 60_000,
      timer: { status: "running", current_step: 1, step: "frame", segment_started_at: 59_000, auto_advance: false, steps: [] },
    };
    const older: ServerMessage = {
      type: "timer.state",
      seq: 12,
      server_time: 55_000,
      timer: { status: "running", current_step: 0, step: "clarify", segment_started_at: 54_000, auto_advance: false, steps: [] },
    };
    const s = apply(loaded(), newer, older);
    expect(s.timer?.step).toBe("frame");
    expect(s.missing).toEqual([11]);
  });

  it("counts the seq of its own whiteboard change from the ack", () => {
    const s = apply(loaded(), { type: "whiteboard.ack", ref: "r1", accepted: 2, seq: 11 });
    expect(s.seq).toBe(11);
    expect(s.missing).toEqual([]);
    expect(apply(s, { type: "whiteboard.ack", ref: "r2", accepted: 0, seq: null }).seq).toBe(11);
  });

  it("applies a sync answer and closes the gap", () => {
    let s = apply(loaded(), { type: "board.locked", seq: 14, locked: false });
    expect(s.missing).toEqual([11, 12, 13]);
    s = apply(s, {
      type: "sync",
      seq: 14,
      events: [
        { type: "board.locked", seq: 11, locked: true },
        { type: "chat.message", seq: 12, message: { seq: 12, author: "cole", author_id: 2, text: "lost", sent_at: "t" } },
        { type: "whiteboard.update", seq: 13, user_id: 2, elements: [] },
      ],
    });
    expect(s.missing).toEqual([]);
    expect(s.chat.map((c) => c.text)).toContain("lost");
    // The lock at seq 14 (unlock) wins over the replayed lock at 11.
    expect(s.boardLocked).toBe(false);
  });

  it("locks the board for the candidate only", () => {
    const candidate = apply(
      initialRoomState,
      snapshot({ me: { user_id: 2, username: "cole", role: "candidate" }, notes: undefined, scores: undefined }),
    );
    const locked = apply(candidate, { type: "board.locked", seq: 11, locked: true });
    expect(canDraw(candidate)).toBe(true);
    expect(canDraw(locked)).toBe(false);
    const interviewer = apply(loaded(), { type: "board.locked", seq: 11, locked: true });
    expect(canDraw(interviewer)).toBe(true);
  });

  it("ends the room for everyone", () => {
    const s = apply(loaded(), { type: "session.ended", seq: 11, ended_at: "t", report_status: "pending" });
    expect(s.ended).toBe(true);
    expect(s.session?.status).toBe("ended");
    expect(canDraw(s)).toBe(false);
    expect(apply(s, { type: "report.status", status: "ready" }).reportStatus).toBe("ready");
    expect(s.timer?.status).toBe("ended");
  });

  it("keeps a report status that arrived before the end message", () => {
    let s = apply(loaded(), { type: "report.status", status: "running" }, { type: "report.ready" });
    s = apply(s, { type: "session.ended", seq: 11, ended_at: "t", report_status: "pending" });
    expect(s.reportStatus).toBe("ready");
  });

  it("takes the stopped clock from session.ended when it carries one", () => {
    const stopped = { ...snapshot().timer, status: "ended" as const, current_step: 3, step: "model" };
    const s = apply(loaded(), {
      type: "session.ended",
      seq: 11,
      ended_at: "t",
      report_status: "pending",
      timer: stopped,
      server_time: 70_000,
    });
    expect(s.timer).toEqual(stopped);
    expect(s.clockOffset).toBe(30_000);
  });

  it("marks a note saved only when the echo matches what was typed", () => {
    let s = roomReducer(loaded(), { type: "note.edit", step: "data", text: "lab" });
    expect(s.noteStatus.data).toBe("unsaved");
    s = roomReducer(s, { type: "note.sending", step: "data" });
    s = roomReducer(s, { type: "note.edit", step: "data", text: "labels" });
    s = apply(s, { type: "note.saved", note: { step: "data", text: "lab", shared: false, updated_at: "t" } });
    expect(s.notes.data?.text).toBe("labels");
    expect(s.noteStatus.data).toBe("unsaved");
    s = apply(s, { type: "note.saved", note: { step: "data", text: "labels", shared: false, updated_at: "t2" } });
    expect(s.noteStatus.data).toBe("saved");
  });

  it("marks a score saved from its echo", () => {
    let s = roomReducer(loaded(), { type: "score.edit", criterion: "communication", level: 3 });
    expect(s.scores.communication).toEqual({ level: 3, comment: "" });
    s = apply(s, { type: "score.saved", score: { criterion: "communication", level: 3, comment: "" } });
    expect(s.scoreStatus.communication).toBe("saved");
  });

  it("keeps unsaved notes across a reconnect snapshot", () => {
    let s = roomReducer(loaded(), { type: "note.edit", step: "clarify", text: "typed offline" });
    s = apply(s, snapshot({ seq: 20 }));
    expect(s.notes.clarify?.text).toBe("typed offline");
    expect(s.noteStatus.clarify).toBe("unsaved");
    expect(s.seq).toBe(20);
  });

  it("tracks who dropped", () => {
    const s = apply(loaded(), {
      type: "presence",
      participants: [
        { user_id: 1, username: "iris", role: "interviewer", online: true },
        { user_id: 2, username: "cole", role: "candidate", online: false },
      ],
    });
    expect(s.dropped).toEqual([2]);
    const back = apply(s, { type: "presence", participants: snapshot().participants });
    expect(back.dropped).toEqual([]);
  });

  it("shows server errors until dismissed", () => {
    const s = apply(loaded(), { type: "error", code: "forbidden", message: "Only the interviewer" });
    expect(s.lastError?.code).toBe("forbidden");
    expect(roomReducer(s, { type: "error.dismiss" }).lastError).toBeNull();
  });
});
