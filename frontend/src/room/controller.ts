/**
 * The room's one store and its wiring: socket → reducer (room state) and socket ↔ Excalidraw
 * (whiteboard sync, cursors). Components read state with `useSyncExternalStore` and call the
 * command methods; nothing else talks to the socket.
 */
import { CaptureUpdateAction } from "@excalidraw/excalidraw";
import type { OrderedExcalidrawElement } from "@excalidraw/excalidraw/element/types";
import type { AppState, Collaborator, ExcalidrawImperativeAPI, SocketId } from "@excalidraw/excalidraw/types";
import {
  chunkElements,
  DELTA_THROTTLE_MS,
  FULL_SYNC_INTERVAL_MS,
  KnownVersions,
  POINTER_THROTTLE_MS,
  sceneVersion,
  throttle,
  toWire,
} from "./boardSync";
import { mergeRemote, restoreRemote } from "./merge";
import {
  LIMITS,
  type ClientMessage,
  type PointerMessage,
  type ServerMessage,
  type UserIdle,
  type UserStateMessage,
  type WireElement,
} from "./protocol";
import { RoomSocket, type SocketFactory } from "./socket";
import { canDraw, initialRoomState, roomReducer, syncFrom, type RoomAction, type RoomState } from "./state";
import { clockOffsetFromPong } from "./timer";

/** How long a seq gap may stay open (messages can arrive slightly out of order) before a sync. */
export const GAP_GRACE_MS = 1_000;
const SAVE_DEBOUNCE_MS = 500;

type BoardApi = Pick<ExcalidrawImperativeAPI, "updateScene" | "getSceneElementsIncludingDeleted" | "getAppState">;

/** The font families Excalidraw's text tool offers (served from /excalidraw/fonts/). */
const BOARD_FONTS = ["Excalifont", "Nunito", "Lilita One", "Comic Shanns"];
const FONT_SAMPLE = "AaBbXx0123456789 .,;:!?()-&";

/** Like Excalidraw: idle after a minute without pointer movement, away while the tab is hidden. */
export const IDLE_AFTER_MS = 60_000;
const CURSOR_COLORS = ["#e03131", "#1971c2", "#2f9e44", "#f08c00", "#9c36b5", "#0c8599"];

export interface BoardSummaryItem {
  id: string;
  type: string;
  version: number;
  width: number;
  text: string | null;
}

declare global {
  interface Window {
    __mockroomBoard?: () => BoardSummaryItem[];
  }
}

export function roomSocketUrl(sessionId: string, loc: Location = window.location): string {
  const scheme = loc.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${loc.host}/ws/sessions/${encodeURIComponent(sessionId)}/`;
}

export class RoomController {
  private state: RoomState = initialRoomState;
  private readonly listeners = new Set<() => void>();
  private readonly socket: RoomSocket;
  private initial: { elements: WireElement[]; scrollToContent: boolean } | null = null;
  /** Registered by Excalidraw, not necessarily initialised yet. */
  private api: BoardApi | null = null;
  /** Excalidraw's API once its scene is initialised: only then may remote changes go in. */
  private board: BoardApi | null = null;
  /** Whiteboard elements that arrived before Excalidraw mounted. */
  private pendingRemote: WireElement[] = [];
  private readonly known = new KnownVersions();
  private lastSceneVersion = -1;
  private snapshots = 0;
  private gapSince: number | null = null;
  private lastSyncAt = 0;
  private timers: ReturnType<typeof setInterval>[] = [];
  private readonly saveTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly collaborators = new Map<SocketId, Collaborator>();
  private refCounter = 0;
  private userState: UserIdle = "active";
  private lastActivity = Date.now();
  private readonly sendDelta = throttle(() => this.flushDelta(), DELTA_THROTTLE_MS);
  private readonly sendPointer = throttle(
    (x: number, y: number, button: "down" | "up", selected: string[]) =>
      this.socket.send({ type: "pointer", x, y, button, selected_ids: selected.slice(0, LIMITS.selectedIds) }),
    POINTER_THROTTLE_MS,
  );

  constructor(
    readonly sessionId: string,
    options: { url?: string; socketFactory?: SocketFactory } = {},
  ) {
    this.socket = new RoomSocket(
      options.url ?? roomSocketUrl(sessionId),
      {
        onOpen: () => this.dispatch({ type: "connection", status: "open" }),
        onMessage: (msg, receivedAt) => this.receive(msg, receivedAt),
        onPong: (serverTime, sentAt, receivedAt) => {
          if (sentAt > 0) this.dispatch({ type: "clock", offset: clockOffsetFromPong(serverTime, sentAt, receivedAt) });
        },
        onDrop: () => this.dispatch({ type: "connection", status: "reconnecting" }),
        onFatal: (code) =>
          this.dispatch({
            type: "fatal",
            code,
            message:
              code === 4401
                ? "You are not logged in (or were logged out elsewhere). Log in again to rejoin."
                : "You are not a participant of this session, or it does not exist.",
          }),
      },
      options.socketFactory,
    );
  }

  // ------------------------------------------------------------------ store

  getState = (): RoomState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private dispatch(action: RoomAction): void {
    const next = roomReducer(this.state, action);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  // ------------------------------------------------------------------ lifecycle

  start(): void {
    this.socket.start();
    this.timers.push(setInterval(() => this.fullSync(), FULL_SYNC_INTERVAL_MS));
    this.timers.push(setInterval(() => this.checkGap(), 250));
    this.timers.push(setInterval(() => this.checkIdle(), 5_000));
    if (typeof document !== "undefined") document.addEventListener("visibilitychange", this.checkIdle);
  }

  /** Tell the others when this tab turns idle or away (and back), as their cursors show it. */
  readonly checkIdle = (): void => {
    const hidden = typeof document !== "undefined" && document.visibilityState === "hidden";
    const next: UserIdle = hidden ? "away" : Date.now() - this.lastActivity > IDLE_AFTER_MS ? "idle" : "active";
    if (next === this.userState) return;
    if (this.send({ type: "user.state", state: next })) this.userState = next;
  };

  stop(): void {
    this.socket.stop();
    if (this.board) delete window.__mockroomBoard;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const t of this.saveTimers.values()) clearTimeout(t);
    this.saveTimers.clear();
    this.sendDelta.cancel();
    this.sendPointer.cancel();
    if (typeof document !== "undefined") document.removeEventListener("visibilitychange", this.checkIdle);
  }

  /** Send a message if connected; false when it could not be sent. */
  send(msg: ClientMessage): boolean {
    return this.socket.send(msg);
  }

  // ------------------------------------------------------------------ receiving

  private receive(msg: ServerMessage, receivedAt: number): void {
    this.dispatch({ type: "server", msg, receivedAt });
    this.applyToBoard(msg);
    if (msg.type === "state") this.afterSnapshot();
  }

  private applyToBoard(msg: ServerMessage): void {
    switch (msg.type) {
      case "state":
        this.mergeIntoBoard(msg.whiteboard.elements, true);
        break;
      case "whiteboard.update":
        this.mergeIntoBoard(msg.elements, false);
        break;
      case "sync":
        for (const event of msg.events) this.applyToBoard(event);
        break;
      case "pointer":
        this.showPointer(msg);
        break;
      case "user.state":
        this.showUserState(msg);
        break;
      case "presence":
        for (const p of msg.participants) {
          if (p.online) continue;
          for (const key of [...this.collaborators.keys()]) {
            if (key.startsWith(`${p.user_id}:`)) this.collaborators.delete(key);
          }
        }
        this.board?.updateScene({ collaborators: new Map(this.collaborators) });
        break;
      default:
        break;
    }
  }

  /**
   * Merge server elements into the scene, outside the undo history. `snapshot`: these are the
   * whole stored scene (a `state`), so what the server knows is reset to exactly them; anything
   * newer here (drawn while disconnected) is then sent by the full resend.
   */
  private mergeIntoBoard(remote: WireElement[], snapshot: boolean): void {
    if (snapshot) {
      this.known.clear();
      this.known.mark(remote);
    } else {
      this.known.mark(remote);
    }
    if (!this.board) {
      this.pendingRemote = snapshot ? [...remote] : [...this.pendingRemote, ...remote];
      return;
    }
    if (remote.length === 0) return;
    const local = this.board.getSceneElementsIncludingDeleted() as readonly OrderedExcalidrawElement[];
    const merged = mergeRemote(local, remote, this.board.getAppState());
    this.lastSceneVersion = sceneVersion(merged);
    this.board.updateScene({ elements: merged, captureUpdate: CaptureUpdateAction.NEVER });
  }

  private afterSnapshot(): void {
    this.snapshots += 1;
    this.gapSince = null;
    // After a reconnect: the full scene (heals whatever either side missed, keeps what was
    // drawn offline) and the notes and scores typed while offline.
    if (this.snapshots > 1) this.fullSync();
    else this.sendDelta();
    this.resendUnsaved();
  }

  private checkGap(): void {
    const { missing, loaded } = this.state;
    if (!loaded || missing.length === 0) {
      this.gapSince = null;
      return;
    }
    const now = Date.now();
    this.gapSince ??= now;
    if (now - this.gapSince < GAP_GRACE_MS || now - this.lastSyncAt < 2 * GAP_GRACE_MS) return;
    if (this.socket.send({ type: "sync", last_seq: syncFrom(this.state) })) this.lastSyncAt = now;
  }

  // ------------------------------------------------------------------ whiteboard out

  /**
   * The scene Excalidraw starts from (its `initialData`): what the server sent before the board
   * mounted. Excalidraw replaces its scene with this once it has initialised, so nothing may be
   * pushed into it before then (see `onBoardChange`).
   */
  initialScene(): { elements: WireElement[]; scrollToContent: boolean } {
    // Idempotent until the board is ready (React may call a state initialiser twice).
    if (!this.initial) {
      const elements = restoreRemote(this.pendingRemote) as unknown as WireElement[];
      this.pendingRemote = [];
      this.initial = { elements, scrollToContent: elements.length > 0 };
    }
    return this.initial;
  }

  /** Excalidraw hands over its API while still constructing; it is used once it is ready. */
  attachBoard(api: BoardApi | null): void {
    this.api = api;
    this.board = null;
  }

  private boardReady(api: BoardApi): void {
    this.board = api;
    this.initial = null;
    // What is on the board, for people debugging a room and for the end-to-end tests (the
    // canvas itself cannot be read). Shows nothing the user cannot already see.
    window.__mockroomBoard = () => this.boardSummary();
    const pending = this.pendingRemote;
    this.pendingRemote = [];
    if (pending.length > 0) this.mergeIntoBoard(pending, false);
    if (this.collaborators.size > 0) api.updateScene({ collaborators: new Map(this.collaborators) });
    // Anything drawn before the first state arrived, or drawn offline before a reload.
    this.sendDelta();
    void this.loadFonts(api);
  }

  /**
   * Text is measured with whatever font is loaded at that moment; Excalidraw loads its fonts
   * lazily, so text measured before then gets a box too narrow for the real glyphs and is drawn
   * cut off. Load the fonts up front, then measure the board's text again (locally: the version
   * stays, and every receiver measures incoming text itself, see merge.ts).
   */
  private async loadFonts(api: BoardApi): Promise<void> {
    if (typeof document === "undefined" || !document.fonts?.load) return;
    await Promise.allSettled(BOARD_FONTS.map((family) => document.fonts.load(`20px "${family}"`, FONT_SAMPLE)));
    if (this.board === api) this.remeasureText();
  }

  private remeasureText(): void {
    const board = this.board;
    if (!board || board.getAppState().editingTextElement) return;
    const elements = board.getSceneElementsIncludingDeleted();
    if (!elements.some((el) => el.type === "text" && !el.isDeleted)) return;
    const measured = restoreRemote(elements as unknown as WireElement[]);
    const before = new Map(elements.map((el) => [el.id, el]));
    const changed = measured.some((el) => {
      const old = before.get(el.id);
      return !old || old.width !== el.width || old.height !== el.height;
    });
    if (!changed) return;
    this.lastSceneVersion = sceneVersion(measured);
    board.updateScene({ elements: measured, captureUpdate: CaptureUpdateAction.NEVER });
  }

  boardSummary(): BoardSummaryItem[] {
    if (!this.board) return [];
    return this.board
      .getSceneElementsIncludingDeleted()
      .filter((el) => !el.isDeleted)
      .map((el) => ({
        id: el.id,
        type: el.type,
        version: el.version,
        width: Math.round(el.width),
        text: "text" in el ? String(el.text) : null,
      }));
  }

  /** Excalidraw's onChange: cheap unless the scene actually changed. */
  onBoardChange(elements: readonly OrderedExcalidrawElement[], appState: Pick<AppState, "isLoading">): void {
    if (!this.board) {
      if (!this.api || appState.isLoading) return;
      this.boardReady(this.api);
    }
    const version = sceneVersion(elements);
    if (version === this.lastSceneVersion) return;
    this.lastSceneVersion = version;
    if (!canDraw(this.state)) return;
    this.sendDelta();
  }

  private flushDelta(): void {
    if (!this.board || !this.socket.isOpen || !canDraw(this.state)) return;
    const delta = this.known.changed(this.board.getSceneElementsIncludingDeleted());
    if (delta.length > 0) this.sendElements(delta);
  }

  /** Send the whole scene (tombstones included); the server keeps only what is newer. */
  fullSync(): void {
    if (!this.board || !this.socket.isOpen || !canDraw(this.state)) return;
    const all = this.board.getSceneElementsIncludingDeleted();
    if (all.length > 0) this.sendElements(all);
  }

  private sendElements(elements: readonly OrderedExcalidrawElement[]): void {
    const { frames, tooLarge } = chunkElements(elements);
    for (const frame of frames) {
      const ref = `wb${++this.refCounter}`;
      if (!this.socket.send({ type: "whiteboard.update", elements: toWire(frame), ref })) return;
      this.known.mark(frame);
    }
    if (tooLarge.length > 0) {
      this.known.mark(tooLarge);
      this.dispatch({
        type: "server",
        receivedAt: Date.now(),
        msg: { type: "error", code: "too_large", message: "A drawing element is too large to share (over 64 KB); simplify it." },
      });
    }
  }

  onPointer(payload: { pointer: { x: number; y: number }; button: "down" | "up" }): void {
    this.lastActivity = Date.now();
    if (this.userState !== "active") this.checkIdle();
    if (!this.state.loaded || this.state.ended) return;
    const appState: AppState | undefined = this.board?.getAppState();
    const selected = appState ? Object.keys(appState.selectedElementIds ?? {}) : [];
    this.sendPointer(payload.pointer.x, payload.pointer.y, payload.button, selected);
  }

  private showUserState(msg: UserStateMessage): void {
    const key = `${msg.user_id}:${msg.connection}` as SocketId;
    const known = this.collaborators.get(key);
    this.collaborators.set(key, {
      ...known,
      id: key,
      socketId: key,
      username: msg.username,
      userState: msg.state as Collaborator["userState"],
    });
    this.board?.updateScene({ collaborators: new Map(this.collaborators) });
  }

  private showPointer(msg: PointerMessage): void {
    const key = `${msg.user_id}:${msg.connection}` as SocketId;
    const color = CURSOR_COLORS[msg.user_id % CURSOR_COLORS.length] ?? "#1971c2";
    this.collaborators.set(key, {
      ...this.collaborators.get(key),
      id: key,
      socketId: key,
      username: msg.username,
      pointer: { x: msg.x, y: msg.y, tool: "pointer" },
      button: msg.button,
      selectedElementIds: Object.fromEntries(msg.selected_ids.map((id) => [id, true])),
      color: { background: color, stroke: color },
    });
    this.board?.updateScene({ collaborators: new Map(this.collaborators) });
  }

  // ------------------------------------------------------------------ commands

  timer(command: "timer.start" | "timer.pause" | "timer.resume" | "timer.next"): boolean {
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
    // Whatever is on the board goes in before the final snapshot.
    this.sendDelta.flush();
    return this.send({ type: "session.end" });
  }

  chat(text: string): boolean {
    const trimmed = text.trim().slice(0, LIMITS.chatChars);
    if (!trimmed) return false;
    const clientId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    return this.send({ type: "chat.send", text: trimmed, client_id: clientId });
  }

  /** Edit a note: shown at once, saved after a short pause in typing. */
  editNote(step: string, text: string): void {
    this.dispatch({ type: "note.edit", step, text: text.slice(0, LIMITS.noteChars) });
    this.debounce(`note:${step}`, () => this.saveNote(step));
  }

  /** Share a step's note with the candidate in the feedback report, or make it private again (saved at once). */
  shareNote(step: string, shared: boolean): void {
    this.dispatch({ type: "note.share", step, shared });
    this.cancelDebounce(`note:${step}`);
    this.saveNote(step);
  }

  /** Set a criterion's level (saved at once) and/or its comment (saved after a pause). */
  editScore(criterion: string, change: { level?: number | null; comment?: string }): void {
    this.dispatch({
      type: "score.edit",
      criterion,
      level: change.level,
      comment: change.comment === undefined ? undefined : change.comment.slice(0, LIMITS.commentChars),
    });
    if (change.level !== undefined && change.comment === undefined) {
      this.cancelDebounce(`score:${criterion}`);
      this.saveScore(criterion);
    } else {
      this.debounce(`score:${criterion}`, () => this.saveScore(criterion));
    }
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

  private resendUnsaved(): void {
    for (const [step, status] of Object.entries(this.state.noteStatus)) {
      if (status !== "saved") this.saveNote(step);
    }
    for (const [criterion, status] of Object.entries(this.state.scoreStatus)) {
      if (status !== "saved") this.saveScore(criterion);
    }
  }

  private debounce(key: string, fn: () => void): void {
    this.cancelDebounce(key);
    this.saveTimers.set(
      key,
      setTimeout(() => {
        this.saveTimers.delete(key);
        fn();
      }, SAVE_DEBOUNCE_MS),
    );
  }

  private cancelDebounce(key: string): void {
    const t = this.saveTimers.get(key);
    if (t) clearTimeout(t);
    this.saveTimers.delete(key);
  }

  dismissError(): void {
    this.dispatch({ type: "error.dismiss" });
  }
}
