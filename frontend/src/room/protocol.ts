/**
 * The room websocket protocol, mirroring docs/protocol.md message for message.
 *
 * Server → client messages form the `ServerMessage` union, client → server the `ClientMessage`
 * union; both are discriminated by `type`. `parseServerMessage` is the one place where untrusted
 * frames become typed messages.
 */

export type Role = "interviewer" | "candidate" | "observer";
export type TimerStatus = "not_started" | "running" | "paused" | "ended";
export type SessionStatus = "scheduled" | "live" | "ended";
export type ReportStatus = "pending" | "running" | "ready" | "failed";

/** An Excalidraw element as it travels: the four fields the server merges on, and the rest. */
export interface WireElement {
  id: string;
  type: string;
  version: number;
  versionNonce: number;
  isDeleted: boolean;
  [field: string]: unknown;
}

export interface Participant {
  user_id: number;
  username: string;
  role: Role;
  online: boolean;
}

export interface TimerStep {
  key: string;
  title: string;
  planned_seconds: number;
  extra_seconds: number;
  /** Closed segments only; the running segment is added from `segment_started_at`. */
  spent_seconds: number;
}

export interface TimerState {
  status: TimerStatus;
  current_step: number;
  step: string;
  /** Server ms when the running segment began; null unless running. */
  segment_started_at: number | null;
  auto_advance: boolean;
  steps: TimerStep[];
}

export interface ChatEntry {
  seq: number;
  author: string;
  author_id: number;
  text: string;
  sent_at: string;
  client_id?: string | null;
}

export interface NoteEntry {
  text: string;
  shared: boolean;
  updated_at: string;
}

export interface ScoreEntry {
  level: number | null;
  comment: string;
}

export interface RubricCriterion {
  key: string;
  title: string;
  /** A framework step key; empty or null for cross-cutting criteria. */
  step: string | null;
  weight: string;
  description: string;
  anchors: Record<string, string>;
}

export interface RoomRubric {
  id: number;
  name: string;
  version: number;
  levels: Record<string, string>;
  criteria: RubricCriterion[];
}

export interface GuideStep {
  hints: string[];
  key_concepts: { name: string; aliases: string[] }[];
  strong_answer: string;
}

export interface Guide {
  clarifying_questions: { question: string; answer: string }[];
  steps: Record<string, GuideStep>;
  pitfalls: { title: string; why: string }[];
  follow_ups: string[];
}

export interface Me {
  user_id: number;
  username: string;
  role: Role;
}

export interface RoomSession {
  id: string;
  status: SessionStatus;
  board_locked: boolean;
  auto_advance: boolean;
  case_study: { slug: string; title: string; prompt: string };
  report_status: ReportStatus | null;
}

// ---------------------------------------------------------------- server → client

export interface StateMessage {
  type: "state";
  seq: number;
  server_time: number;
  me: Me;
  session: RoomSession;
  participants: Participant[];
  timer: TimerState;
  whiteboard: { elements: WireElement[] };
  chat: ChatEntry[];
  /** Interviewer only. */
  notes?: Record<string, NoteEntry>;
  /** Interviewer only. */
  scores?: Record<string, ScoreEntry>;
  /** Interviewer only. */
  rubric?: RoomRubric;
  /** Interviewer only. */
  guide?: Guide;
}

export interface PresenceMessage {
  type: "presence";
  participants: Participant[];
}

export interface TimerStateMessage {
  type: "timer.state";
  seq: number;
  server_time: number;
  timer: TimerState;
}

export interface WhiteboardUpdateMessage {
  type: "whiteboard.update";
  seq: number;
  user_id: number;
  elements: WireElement[];
}

export interface WhiteboardAckMessage {
  type: "whiteboard.ack";
  ref: string | null;
  accepted: number;
  /** Null when nothing was newer than the stored scene. */
  seq: number | null;
}

export interface PointerMessage {
  type: "pointer";
  user_id: number;
  /** Tells two tabs of the same person apart. */
  connection: string;
  username: string;
  x: number;
  y: number;
  button: "down" | "up";
  selected_ids: string[];
}

export type UserIdle = "active" | "idle" | "away";

export interface UserStateMessage {
  type: "user.state";
  user_id: number;
  connection: string;
  username: string;
  state: UserIdle;
}

export interface ChatMessageMessage {
  type: "chat.message";
  seq: number;
  message: ChatEntry;
}

export interface NoteSavedMessage {
  type: "note.saved";
  note: NoteEntry & { step: string };
}

export interface ScoreSavedMessage {
  type: "score.saved";
  score: ScoreEntry & { criterion: string };
}

export interface BoardLockedMessage {
  type: "board.locked";
  seq: number;
  locked: boolean;
}

export interface SessionEndedMessage {
  type: "session.ended";
  seq: number;
  ended_at: string;
  report_status: ReportStatus | null;
  /** The final timer (status `ended`, seconds per step). */
  timer?: TimerState;
  server_time?: number;
}

/** Volatile: the feedback report's status changed. */
export interface ReportStatusMessage {
  type: "report.status";
  session_id?: string;
  status: ReportStatus;
}

/** Volatile: sent besides `report.status` when the report becomes ready. */
export interface ReportReadyMessage {
  type: "report.ready";
  session_id?: string;
  status?: ReportStatus;
}

/** Volatile: the interviewer released the feedback to the candidate. */
export interface FeedbackReleasedMessage {
  type: "feedback.released";
  session_id?: string;
}

export interface PongMessage {
  type: "pong";
  server_time: number;
}

export type ErrorCode =
  | "bad_json"
  | "bad_message"
  | "unknown_type"
  | "too_large"
  | "forbidden"
  | "board_locked"
  | "session_ended"
  | "not_started"
  | "rate_limited"
  | "server_error";

export interface ErrorMessage {
  type: "error";
  code: ErrorCode | string;
  message: string;
  ref?: string | null;
}

/** The answer to a client `sync`: the missed messages in seq order, and the current seq. */
export interface SyncMessage {
  type: "sync";
  events: ServerMessage[];
  seq: number;
}

export type ServerMessage =
  | StateMessage
  | PresenceMessage
  | TimerStateMessage
  | WhiteboardUpdateMessage
  | WhiteboardAckMessage
  | PointerMessage
  | UserStateMessage
  | ChatMessageMessage
  | NoteSavedMessage
  | ScoreSavedMessage
  | BoardLockedMessage
  | SessionEndedMessage
  | ReportStatusMessage
  | ReportReadyMessage
  | FeedbackReleasedMessage
  | PongMessage
  | ErrorMessage
  | SyncMessage;

export type ServerMessageType = ServerMessage["type"];

/** Messages that carry a per-session `seq` and must not be lost. */
export type SequencedMessage =
  | TimerStateMessage
  | WhiteboardUpdateMessage
  | ChatMessageMessage
  | BoardLockedMessage
  | SessionEndedMessage;

const SEQUENCED: ReadonlySet<string> = new Set([
  "whiteboard.update",
  "chat.message",
  "timer.state",
  "board.locked",
  "session.ended",
]);

export function isSequenced(msg: ServerMessage): msg is SequencedMessage {
  return SEQUENCED.has(msg.type) && typeof (msg as { seq?: unknown }).seq === "number";
}

// ---------------------------------------------------------------- client → server

interface Ref {
  /** Echoed by the server in `error` and `whiteboard.ack`; up to 64 characters. */
  ref?: string;
}

export type ClientMessage = Ref &
  (
    | { type: "whiteboard.update"; elements: WireElement[] }
    | {
        type: "pointer";
        x: number;
        y: number;
        button: "down" | "up";
        selected_ids: string[];
      }
    | { type: "user.state"; state: UserIdle }
    | { type: "chat.send"; text: string; client_id?: string }
    | { type: "timer.start" }
    | { type: "timer.pause" }
    | { type: "timer.resume" }
    | { type: "timer.next" }
    | { type: "timer.goto"; step: string }
    | { type: "timer.extend"; minutes: number }
    | { type: "note.save"; step: string; text: string; shared?: boolean }
    | { type: "score.set"; criterion: string; level: number | null; comment?: string }
    | { type: "board.lock"; locked: boolean }
    | { type: "session.end" }
    | { type: "sync"; last_seq: number }
    | { type: "ping" }
  );

export type ClientMessageType = ClientMessage["type"];

/** Protocol limits the client respects before sending (see docs/protocol.md). */
export const LIMITS = {
  elementsPerFrame: 2000,
  bytesPerElement: 64 * 1024,
  bytesPerFrame: 1024 * 1024,
  chatChars: 2000,
  noteChars: 20000,
  commentChars: 4000,
  selectedIds: 200,
} as const;

/** Close codes the server uses before any data; neither is worth reconnecting for. */
export const CLOSE_NOT_LOGGED_IN = 4401;
export const CLOSE_NOT_PARTICIPANT = 4403;
export const CLOSE_POLICY = 1008;

const SERVER_TYPES: ReadonlySet<string> = new Set<ServerMessageType>([
  "state",
  "presence",
  "timer.state",
  "whiteboard.update",
  "whiteboard.ack",
  "pointer",
  "user.state",
  "chat.message",
  "note.saved",
  "score.saved",
  "board.locked",
  "session.ended",
  "report.status",
  "report.ready",
  "feedback.released",
  "pong",
  "error",
  "sync",
]);

/**
 * Parse one frame from the server. Returns null for anything that is not a JSON object with a
 * known `type` (a newer server may add types; an old client ignores them rather than failing).
 */
export function parseServerMessage(raw: unknown): ServerMessage | null {
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string" || !SERVER_TYPES.has(type)) return null;
  const msg = value as ServerMessage;
  if (msg.type === "sync") {
    if (!Array.isArray(msg.events)) return null;
    const events = msg.events
      .map((event) => parseServerMessage(event))
      .filter((event): event is ServerMessage => event !== null);
    return { ...msg, events };
  }
  if (SEQUENCED.has(type) && typeof (msg as { seq?: unknown }).seq !== "number") return null;
  return msg;
}
