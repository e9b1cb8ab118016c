/**
 * Room state in one place: a pure reducer over server messages and local edits.
 *
 * The whiteboard scene itself lives in Excalidraw (its own store); this reducer only tracks the
 * sequence numbers that whiteboard messages carry. Everything else the room shows — who is here,
 * the timer, chat, notes, scores, lock and end state, connection — is derived from `RoomState`.
 */
import type {
  ChatEntry,
  Guide,
  Me,
  NoteEntry,
  Participant,
  RecordingStatus,
  ReportStatus,
  RoomRubric,
  RoomSession,
  ScoreEntry,
  ServerMessage,
  TimerState,
} from "./protocol";
import { clockOffset } from "./timer";

type ConnectionStatus = "connecting" | "open" | "reconnecting";
export type SaveStatus = "saved" | "unsaved" | "saving";

export interface RoomState {
  connection: ConnectionStatus;
  /** A close the client will not retry (not logged in, not a participant). */
  fatal: { code: number; message: string } | null;
  /** A `state` snapshot has arrived at least once. */
  loaded: boolean;
  me: Me | null;
  session: RoomSession | null;
  participants: Participant[];
  /** user ids of participants who were online and dropped. */
  dropped: number[];
  timer: TimerState | null;
  timerSeq: number;
  /** Add to Date.now() to get the server's clock (ms). */
  clockOffset: number;
  /** Highest seq seen. */
  seq: number;
  /** Seqs below `seq` not seen yet: a gap, healed by arrival or by a `sync`. */
  missing: number[];
  lockSeq: number;
  boardLocked: boolean;
  chat: ChatEntry[];
  notes: Record<string, NoteEntry>;
  scores: Record<string, ScoreEntry>;
  noteStatus: Record<string, SaveStatus>;
  scoreStatus: Record<string, SaveStatus>;
  rubric: RoomRubric | null;
  guide: Guide | null;
  guideWithheld: string | null;
  ended: boolean;
  reportStatus: ReportStatus | null;
  /** Whether audio is being recorded (docs/recording.md); null before the first snapshot. */
  recording: RecordingStatus | null;
  /** A practice pairing's next interview (roles swapped), announced when this one ended. */
  practiceNext: { sessionId: string; text: string } | null;
  lastError: { code: string; message: string; at: number } | null;
}

export type RoomAction =
  | { type: "connection"; status: ConnectionStatus }
  | { type: "fatal"; code: number; message: string }
  | { type: "server"; msg: ServerMessage; receivedAt: number }
  | { type: "clock"; offset: number }
  | { type: "note.edit"; step: string; text: string }
  | { type: "note.share"; step: string; shared: boolean }
  | { type: "note.sending"; step: string }
  | { type: "score.edit"; criterion: string; level?: number | null; comment?: string }
  | { type: "score.sending"; criterion: string }
  | { type: "error.dismiss" };

export const initialRoomState: RoomState = {
  connection: "connecting",
  fatal: null,
  loaded: false,
  me: null,
  session: null,
  participants: [],
  dropped: [],
  timer: null,
  timerSeq: -1,
  clockOffset: 0,
  seq: 0,
  missing: [],
  lockSeq: -1,
  boardLocked: false,
  chat: [],
  notes: {},
  scores: {},
  noteStatus: {},
  scoreStatus: {},
  rubric: null,
  guide: null,
  guideWithheld: null,
  ended: false,
  reportStatus: null,
  recording: null,
  practiceNext: null,
  lastError: null,
};

/** More missing seqs than this is not worth tracking one by one: the server answers a sync
 * that far behind with a fresh `state` anyway. */
const MAX_TRACKED_GAP = 1000;

/** Record that `seq` was seen; returns the new seq/missing and whether it was seen before. */
export function trackSeq(
  state: Pick<RoomState, "seq" | "missing">,
  seq: number,
): { seq: number; missing: number[]; duplicate: boolean } {
  if (seq > state.seq) {
    const missing = [...state.missing];
    const from = Math.max(state.seq + 1, seq - MAX_TRACKED_GAP);
    for (let s = from; s < seq; s++) missing.push(s);
    return { seq, missing, duplicate: false };
  }
  if (state.missing.includes(seq)) {
    return { seq: state.seq, missing: state.missing.filter((s) => s !== seq), duplicate: false };
  }
  return { seq: state.seq, missing: state.missing, duplicate: true };
}

/** The `last_seq` to send in a `sync` request: everything up to it has been applied. */
export function syncFrom(state: Pick<RoomState, "seq" | "missing">): number {
  if (state.missing.length === 0) return state.seq;
  return Math.max(0, Math.min(...state.missing) - 1);
}

function insertChat(chat: ChatEntry[], entry: ChatEntry): ChatEntry[] {
  if (chat.some((c) => c.seq === entry.seq)) return chat;
  const next = [...chat, entry];
  next.sort((a, b) => a.seq - b.seq);
  return next;
}

function pending(status: SaveStatus | undefined): boolean {
  return status === "unsaved" || status === "saving";
}

function applyServer(state: RoomState, msg: ServerMessage, receivedAt: number): RoomState {
  switch (msg.type) {
    case "state": {
      // A snapshot replaces everything, except local edits not yet confirmed: the store
      // re-sends those, so keep them on screen.
      const notes = { ...(msg.notes ?? {}) };
      const noteStatus: Record<string, SaveStatus> = {};
      for (const [step, status] of Object.entries(state.noteStatus)) {
        const local = state.notes[step];
        if (pending(status) && local) {
          notes[step] = local;
          noteStatus[step] = "unsaved";
        }
      }
      const scores = { ...(msg.scores ?? {}) };
      const scoreStatus: Record<string, SaveStatus> = {};
      for (const [key, status] of Object.entries(state.scoreStatus)) {
        const local = state.scores[key];
        if (pending(status) && local) {
          scores[key] = local;
          scoreStatus[key] = "unsaved";
        }
      }
      const chat = [...msg.chat].sort((a, b) => a.seq - b.seq);
      return {
        ...state,
        loaded: true,
        me: msg.me,
        session: msg.session,
        recording: msg.recording ?? null,
        participants: msg.participants,
        dropped: [],
        timer: msg.timer,
        timerSeq: msg.seq,
        clockOffset: clockOffset(msg.server_time, receivedAt),
        seq: msg.seq,
        missing: [],
        lockSeq: msg.seq,
        boardLocked: msg.session.board_locked,
        chat,
        notes,
        scores,
        noteStatus,
        scoreStatus,
        rubric: msg.rubric ?? null,
        guide: msg.guide ?? null,
        guideWithheld: msg.guide_withheld ?? null,
        ended: msg.session.status === "ended",
        reportStatus: msg.session.report_status,
      };
    }
    case "presence": {
      const wasOnline = new Set(state.participants.filter((p) => p.online).map((p) => p.user_id));
      const dropped = new Set(state.dropped);
      for (const p of msg.participants) {
        if (p.online) dropped.delete(p.user_id);
        else if (wasOnline.has(p.user_id)) dropped.add(p.user_id);
      }
      return { ...state, participants: msg.participants, dropped: [...dropped] };
    }
    case "timer.state": {
      const tracked = trackSeq(state, msg.seq);
      const next = { ...state, seq: tracked.seq, missing: tracked.missing };
      if (msg.seq <= state.timerSeq) return next;
      return {
        ...next,
        timer: msg.timer,
        timerSeq: msg.seq,
        clockOffset: clockOffset(msg.server_time, receivedAt),
      };
    }
    case "whiteboard.update": {
      // The elements go to the board (see boardBridge.ts); here only the seq.
      const tracked = trackSeq(state, msg.seq);
      return { ...state, seq: tracked.seq, missing: tracked.missing };
    }
    case "whiteboard.ack": {
      // The sender gets no whiteboard.update for its own change: the ack's seq fills that slot.
      if (msg.seq === null) return state;
      const tracked = trackSeq(state, msg.seq);
      return { ...state, seq: tracked.seq, missing: tracked.missing };
    }
    case "chat.message": {
      const tracked = trackSeq(state, msg.seq);
      return {
        ...state,
        seq: tracked.seq,
        missing: tracked.missing,
        chat: insertChat(state.chat, { ...msg.message, seq: msg.message.seq ?? msg.seq }),
      };
    }
    case "board.locked": {
      const tracked = trackSeq(state, msg.seq);
      const next = { ...state, seq: tracked.seq, missing: tracked.missing };
      if (msg.seq <= state.lockSeq) return next;
      return { ...next, boardLocked: msg.locked, lockSeq: msg.seq };
    }
    case "session.ended": {
      const tracked = trackSeq(state, msg.seq);
      // The clock stops with the end: from the message when it carries the timer, else frozen
      // where the last timer.state left it.
      let timer = state.timer;
      if (msg.timer) timer = msg.timer;
      else if (timer) timer = { ...timer, status: "ended", segment_started_at: null };
      return {
        ...state,
        seq: tracked.seq,
        missing: tracked.missing,
        timer,
        timerSeq: Math.max(state.timerSeq, msg.seq),
        clockOffset: msg.server_time !== undefined ? clockOffset(msg.server_time, receivedAt) : state.clockOffset,
        ended: true,
        session: state.session ? { ...state.session, status: "ended" } : state.session,
        // With inline tasks the report's own status messages can arrive before the end itself
        // (the report is built while the end commits): never step back from what they said.
        reportStatus:
          state.reportStatus && state.reportStatus !== "pending"
            ? state.reportStatus
            : (msg.report_status ?? state.reportStatus),
      };
    }
    case "note.saved": {
      const { step, ...note } = msg.note;
      const local = state.notes[step];
      const status = state.noteStatus[step];
      if (pending(status) && local && local.text !== note.text) {
        // The user typed on since this save was sent; the next save carries the newer text.
        return state;
      }
      return {
        ...state,
        notes: { ...state.notes, [step]: note },
        noteStatus: { ...state.noteStatus, [step]: "saved" },
      };
    }
    case "score.saved": {
      const { criterion, ...score } = msg.score;
      const local = state.scores[criterion];
      const status = state.scoreStatus[criterion];
      if (
        pending(status) &&
        local &&
        (local.level !== score.level || (local.comment ?? "") !== (score.comment ?? ""))
      ) {
        return state;
      }
      return {
        ...state,
        scores: { ...state.scores, [criterion]: { level: score.level, comment: score.comment ?? "" } },
        scoreStatus: { ...state.scoreStatus, [criterion]: "saved" },
      };
    }
    case "report.status":
      return { ...state, reportStatus: msg.status };
    case "report.ready":
      return { ...state, reportStatus: msg.status ?? "ready" };
    case "recording.status": {
      const { type: _type, ...recording } = msg;
      return { ...state, recording };
    }
    case "practice.notice":
      return msg.event === "interview.next" && msg.session_id
        ? { ...state, practiceNext: { sessionId: msg.session_id, text: msg.text } }
        : state;
    case "error":
      return { ...state, lastError: { code: msg.code, message: msg.message, at: receivedAt } };
    case "sync": {
      let next = state;
      for (const event of msg.events) next = applyServer(next, event, receivedAt);
      if (msg.events.some((e) => e.type === "state")) return next;
      const seq = Math.max(next.seq, msg.seq);
      return { ...next, seq, missing: next.missing.filter((s) => s > msg.seq) };
    }
    case "pointer":
    case "user.state":
    case "call.signal": // the call manager's, not the room state's
    case "call.media":
    case "pong":
    case "feedback.released":
      return state;
    default: {
      // Every server message has its case above: a new one fails to compile here.
      const unreachable: never = msg;
      return unreachable;
    }
  }
}

export function roomReducer(state: RoomState, action: RoomAction): RoomState {
  switch (action.type) {
    case "connection":
      return { ...state, connection: action.status };
    case "fatal":
      return { ...state, fatal: { code: action.code, message: action.message } };
    case "clock":
      return { ...state, clockOffset: action.offset };
    case "server":
      return applyServer(state, action.msg, action.receivedAt);
    case "note.edit": {
      const prev = state.notes[action.step];
      return {
        ...state,
        notes: {
          ...state.notes,
          [action.step]: {
            text: action.text,
            shared: prev?.shared ?? false,
            updated_at: prev?.updated_at ?? "",
          },
        },
        noteStatus: { ...state.noteStatus, [action.step]: "unsaved" },
      };
    }
    case "note.share": {
      const prev = state.notes[action.step];
      return {
        ...state,
        notes: {
          ...state.notes,
          [action.step]: { text: prev?.text ?? "", shared: action.shared, updated_at: prev?.updated_at ?? "" },
        },
        noteStatus: { ...state.noteStatus, [action.step]: "unsaved" },
      };
    }
    case "note.sending":
      return { ...state, noteStatus: { ...state.noteStatus, [action.step]: "saving" } };
    case "score.edit": {
      const prev = state.scores[action.criterion] ?? { level: null, comment: "" };
      const next: ScoreEntry = {
        level: action.level === undefined ? prev.level : action.level,
        comment: action.comment === undefined ? prev.comment : action.comment,
      };
      return {
        ...state,
        scores: { ...state.scores, [action.criterion]: next },
        scoreStatus: { ...state.scoreStatus, [action.criterion]: "unsaved" },
      };
    }
    case "score.sending":
      return { ...state, scoreStatus: { ...state.scoreStatus, [action.criterion]: "saving" } };
    case "error.dismiss":
      return { ...state, lastError: null };
    default: {
      const unreachable: never = action;
      return unreachable;
    }
  }
}

/** Whether this user may draw right now. */
export function canDraw(state: RoomState): boolean {
  if (!state.me || !state.loaded || state.ended) return false;
  if (state.me.role === "observer") return false;
  if (state.me.role === "candidate" && state.boardLocked) return false;
  return true;
}
