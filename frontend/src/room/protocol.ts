/**
 * The room websocket protocol, mirroring docs/protocol.md message for message.
 *
 * Server → client messages form the `ServerMessage` union, client → server the `ClientMessage`
 * union; both are discriminated by `type`. `parseServerMessage` is the one place where untrusted
 * frames become typed messages.
 */

import protocolSchema from "./protocol.schema.json";

import type * as Wire from "./protocol.types";
import { SEQUENCED_TYPES, SERVER_TYPES as SERVER_TYPE_LIST } from "./protocol.types";

// The messages the server sends are generated from its definitions
// (interviews/protocol/outbound.py → protocol.types.ts); what is written here only narrows
// what the schema leaves open (the rubric and the guide of `state`).
export type {
  BoardLockedMessage,
  CallMediaMessage,
  CallSignalMessage,
  ChatEntry,
  ChatMessageMessage,
  ErrorMessage,
  FeedbackReleasedMessage,
  NoteEntry,
  NoteSavedMessage,
  Participant,
  PointerMessage,
  PongMessage,
  PresenceMessage,
  RecordingStatusMessage,
  ReportReadyMessage,
  ReportStatus,
  ReportStatusMessage,
  Role,
  RoomSession,
  ScoreEntry,
  ScoreSavedMessage,
  SequencedMessage,
  SessionEndedMessage,
  TimerState,
  TimerStateMessage,
  TimerStep,
  UserStateMessage,
  WhiteboardAckMessage,
  WhiteboardUpdateMessage,
  WireElement,
} from "./protocol.types";

export type TimerStatus = Wire.TimerState["status"];
export type SessionStatus = Wire.RoomSession["status"];
export type UserIdle = Wire.UserStateMessage["state"];
export type ErrorCode = Wire.ErrorMessage["code"];
export type SessionDescriptionWire = NonNullable<Wire.CallSignalMessage["description"]>;
export type IceCandidateWire = NonNullable<Wire.CallSignalMessage["candidate"]>;
/** docs/recording.md: `active` only while both the interviewer and the candidate consented. */
export type RecordingStatus = Omit<Wire.RecordingStatusMessage, "type">;

export interface RubricCriterion {
  key: string;
  title: string;
  /** A framework step key; empty or null for cross-cutting criteria. */
  step: string | null;
  weight: string;
  description: string;
  anchors: Record<string, string>;
  /** A few short cues for the listen-for card (empty for rubrics written before them). */
  listen_for?: string[];
}

export interface RoomRubric {
  id: number;
  name: string;
  version: number;
  levels: Record<string, string>;
  criteria: RubricCriterion[];
  /** Must-pass criterion keys (absent or empty for rubrics that only average). */
  gates?: string[];
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
  /** Each question names the step it probes; guides stored before that hold plain strings. */
  follow_ups: (FollowUp | string)[];
}

export interface FollowUp {
  question: string;
  step: string | null;
}

export interface Me {
  user_id: number;
  username: string;
  role: Wire.Role;
}

// ---------------------------------------------------------------- server → client

/** `state`, with the interviewer's rubric and guide typed. */
export type StateMessage = Omit<Wire.StateMessage, "rubric" | "guide"> & {
  rubric?: RoomRubric;
  guide?: Guide;
};

/** The answer to a client `sync`: the missed messages in seq order, and the current seq. */
export type SyncMessage = Omit<Wire.SyncMessage, "events"> & { events: ServerMessage[] };

export type ServerMessage =
  | Exclude<Wire.ServerMessage, Wire.StateMessage | Wire.SyncMessage>
  | StateMessage
  | SyncMessage;

export type ServerMessageType = ServerMessage["type"];

const SEQUENCED: ReadonlySet<string> = new Set<string>(SEQUENCED_TYPES);

export function isSequenced(msg: ServerMessage): msg is Wire.SequencedMessage {
  return SEQUENCED.has(msg.type) && typeof (msg as { seq?: unknown }).seq === "number";
}

// ---------------------------------------------------------------- client → server

interface Ref {
  /** Echoed by the server in `error` and `whiteboard.ack`; up to 64 characters. */
  ref?: string;
}

export type ClientMessage = Ref &
  (
    | { type: "whiteboard.update"; elements: Wire.WireElement[] }
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
    | {
        type: "call.signal";
        to: number;
        peer: string;
        to_peer: string | null;
        description?: SessionDescriptionWire;
        candidate?: IceCandidateWire;
      }
    | { type: "call.media"; audio: boolean; video: boolean }
    | { type: "sync"; last_seq: number }
    | { type: "ping" }
  );

export type ClientMessageType = ClientMessage["type"];

/** Protocol limits the client respects before sending (see docs/protocol.md), as the server
 * defines them (interviews/limits.py, written into protocol.schema.json). Text limits count
 * UTF-8 bytes. */
export const LIMITS = protocolSchema.limits;

const utf8 = new TextEncoder();

/** The longest start of `text` within `maxBytes` bytes of UTF-8, never splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4).
  if (text.length * 3 <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    bytes += utf8.encode(char).length;
    if (bytes > maxBytes) break;
    end += char.length;
  }
  return text.slice(0, end);
}

/** Close codes the server uses before any data; neither is worth reconnecting for. */
export const CLOSE_NOT_LOGGED_IN = 4401;
export const CLOSE_NOT_PARTICIPANT = 4403;
export const CLOSE_POLICY = 1008;

export const SERVER_TYPES: ReadonlySet<string> = new Set<ServerMessageType>(SERVER_TYPE_LIST);

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
