/**
 * The room's store and its commands: `RoomState` behind `getState`/`subscribe` (for
 * `useSyncExternalStore`), `dispatch` through the reducer, and every outbound message that is not
 * the whiteboard or a cursor: timer, lock, end, chat, notes and scores (with their save
 * debouncing and their re-send after a reconnect), and the `sync` request that heals a seq gap.
 */
import { debounce, type DebouncedFunc } from "lodash-es";
import { LIMITS, truncateUtf8, type ClientMessage } from "./protocol";
import { initialRoomState, roomReducer, syncFrom, type RoomAction, type RoomState } from "./state";

/** How long a seq gap may stay open (messages can arrive slightly out of order) before a sync. */
export const GAP_GRACE_MS = 1_000;
const GAP_CHECK_MS = 250;
/** Notes and score comments are saved after this long without typing. */
export const SAVE_DEBOUNCE_MS = 500;

type TimerCommand = "timer.start" | "timer.pause" | "timer.resume" | "timer.next";

export class RoomStore {
  private state: RoomState = initialRoomState;
  private readonly listeners = new Set<() => void>();
  private readonly savers = new Map<string, DebouncedFunc<() => void>>();
  private gapSince: number | null = null;
  private lastSyncAt = 0;
  private gapTimer: ReturnType<typeof setInterval> | null = null;

  /** `send` puts a message on the socket; false when it could not be sent (not connected). */
  constructor(private readonly send: (msg: ClientMessage) => boolean) {}

  getState = (): RoomState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispatch(action: RoomAction): void {
    const next = roomReducer(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  start(): void {
    this.gapTimer ??= setInterval(() => this.requestSyncIfGap(), GAP_CHECK_MS);
  }

  stop(): void {
    if (this.gapTimer !== null) clearInterval(this.gapTimer);
    this.gapTimer = null;
    for (const saver of this.savers.values()) saver.cancel();
    this.savers.clear();
  }

  // ------------------------------------------------------------------ seq gaps and snapshots

  /** Ask for a `sync` when a seq gap has stayed open for a while (and not just asked). */
  requestSyncIfGap(): void {
    const { missing, loaded } = this.state;
    if (!loaded || missing.length === 0) {
      this.gapSince = null;
      return;
    }
    const now = Date.now();
    this.gapSince ??= now;
    if (now - this.gapSince < GAP_GRACE_MS || now - this.lastSyncAt < 2 * GAP_GRACE_MS) return;
    if (this.send({ type: "sync", last_seq: syncFrom(this.state) })) this.lastSyncAt = now;
  }

  /** A `state` snapshot was applied: no gap is open; notes and scores typed offline go out. */
  afterSnapshot(): void {
    this.gapSince = null;
    for (const [step, status] of Object.entries(this.state.noteStatus)) {
      if (status !== "saved") this.saveNote(step);
    }
    for (const [criterion, status] of Object.entries(this.state.scoreStatus)) {
      if (status !== "saved") this.saveScore(criterion);
    }
  }

  /** Show an error the client found itself, as if the server had sent it. */
  reportError(code: "too_large", message: string): void {
    this.dispatch({ type: "server", receivedAt: Date.now(), msg: { type: "error", code, message } });
  }

  dismissError(): void {
    this.dispatch({ type: "error.dismiss" });
  }

  // ------------------------------------------------------------------ commands

  timer(command: TimerCommand): boolean {
    return this.send({ type: command });
  }

  gotoStep(step: string): boolean {
    return this.send({ type: "timer.goto", step });
  }

  extend(minutes = 2): boolean {
    return this.send({ type: "timer.extend", minutes });
  }

  lockBoard(locked: boolean): boolean {
    return this.send({ type: "board.lock", locked });
  }

  endSession(): boolean {
    return this.send({ type: "session.end" });
  }

  chat(text: string): boolean {
    const trimmed = truncateUtf8(text.trim(), LIMITS.chatBytes);
    if (!trimmed) return false;
    const clientId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    return this.send({ type: "chat.send", text: trimmed, client_id: clientId });
  }

  /** Edit a note: shown at once, saved after a short pause in typing. */
  editNote(step: string, text: string): void {
    this.dispatch({ type: "note.edit", step, text: truncateUtf8(text, LIMITS.noteBytes) });
    this.saver(`note:${step}`, () => this.saveNote(step))();
  }

  /** Share a step's note with the candidate in the feedback report, or make it private again (saved at once). */
  shareNote(step: string, shared: boolean): void {
    this.dispatch({ type: "note.share", step, shared });
    this.savers.get(`note:${step}`)?.cancel();
    this.saveNote(step);
  }

  /** Set a criterion's level (saved at once) and/or its comment (saved after a pause). */
  editScore(criterion: string, change: { level?: number | null; comment?: string }): void {
    this.dispatch({
      type: "score.edit",
      criterion,
      level: change.level,
      comment: change.comment === undefined ? undefined : truncateUtf8(change.comment, LIMITS.commentBytes),
    });
    if (change.level !== undefined && change.comment === undefined) {
      this.savers.get(`score:${criterion}`)?.cancel();
      this.saveScore(criterion);
    } else {
      this.saver(`score:${criterion}`, () => this.saveScore(criterion))();
    }
  }

  private saver(key: string, save: () => void): DebouncedFunc<() => void> {
    let saver = this.savers.get(key);
    if (!saver) {
      saver = debounce(save, SAVE_DEBOUNCE_MS);
      this.savers.set(key, saver);
    }
    return saver;
  }

  private saveNote(step: string): void {
    const note = this.state.notes[step];
    if (!note) return;
    if (this.send({ type: "note.save", step, text: note.text, shared: note.shared })) this.dispatch({ type: "note.sending", step });
  }

  private saveScore(criterion: string): void {
    const score = this.state.scores[criterion];
    if (!score) return;
    if (this.send({ type: "score.set", criterion, level: score.level, comment: score.comment ?? "" })) {
      this.dispatch({ type: "score.sending", criterion });
    }
  }
}
