/**
 * The bridge between the room and Excalidraw: remote scenes merged into the board (outside the
 * undo history), local changes sent as deltas of the elements whose version rose, and the full
 * scene resent every 20 s and after a reconnect. Excalidraw keeps the scene; this keeps only
 * what the server is known to have (`KnownVersions`).
 */
import { CaptureUpdateAction, hashElementsVersion } from "@excalidraw/excalidraw";
import type { OrderedExcalidrawElement } from "@excalidraw/excalidraw/element/types";
import type { AppState, ExcalidrawImperativeAPI } from "@excalidraw/excalidraw/types";
import { throttle } from "lodash-es";
import { chunkElements, DELTA_THROTTLE_MS, FULL_SYNC_INTERVAL_MS, KnownVersions } from "./boardSync";
import { mergeRemote, restoreRemote } from "./merge";
import type { ClientMessage, WireElement } from "./protocol";

export type BoardApi = Pick<ExcalidrawImperativeAPI, "updateScene" | "getSceneElementsIncludingDeleted" | "getAppState">;

/** What the bridge needs from the room around it. */
export interface BoardLink {
  /** Put a message on the socket; false when it could not be sent. */
  send(msg: ClientMessage): boolean;
  isOpen(): boolean;
  /** Whether this user may draw now (role, lock, end). */
  canDraw(): boolean;
  /** Tell the user that an element is too large to share. */
  tooLarge(): void;
  /** The board is initialised: remote changes (and cursors) may go in from now on. */
  ready(api: BoardApi): void;
}

/** The font families Excalidraw's text tool offers (served from /excalidraw/fonts/). */
const BOARD_FONTS = ["Excalifont", "Nunito", "Lilita One", "Comic Shanns"];
const FONT_SAMPLE = "AaBbXx0123456789 .,;:!?()-&";

interface BoardSummaryItem {
  id: string;
  type: string;
  version: number;
  width: number;
  text: string | null;
}

declare global {
  interface Window {
    /** Only in the e2e build (`vite build --mode e2e`): what is on the board, for the tests. */
    __mockroomBoard?: () => BoardSummaryItem[];
  }
}

/** The scene Excalidraw starts from (its `initialData`). */
export interface InitialScene {
  elements: OrderedExcalidrawElement[];
  scrollToContent: boolean;
}

export class BoardBridge {
  private initial: InitialScene | null = null;
  /** Registered by Excalidraw, not necessarily initialised yet. */
  private api: BoardApi | null = null;
  /** Excalidraw's API once its scene is initialised: only then may remote changes go in. */
  private board: BoardApi | null = null;
  /** Whiteboard elements that arrived before Excalidraw mounted. */
  private pendingRemote: WireElement[] = [];
  private readonly known = new KnownVersions();
  /** Excalidraw's hash of the scene's element versions when it was last looked at. */
  private lastSceneVersion = -1;
  private snapshots = 0;
  private refCounter = 0;
  private fullSyncTimer: ReturnType<typeof setInterval> | null = null;
  /** Deltas at most every DELTA_THROTTLE_MS while someone drags; the last change always goes. */
  readonly sendDelta = throttle(() => this.flushDelta(), DELTA_THROTTLE_MS);

  constructor(private readonly link: BoardLink) {}

  /** Excalidraw's API once its scene is ready, else null. */
  get readyBoard(): BoardApi | null {
    return this.board;
  }

  start(): void {
    this.fullSyncTimer ??= setInterval(() => this.fullSync(), FULL_SYNC_INTERVAL_MS);
  }

  stop(): void {
    if (this.fullSyncTimer !== null) clearInterval(this.fullSyncTimer);
    this.fullSyncTimer = null;
    this.sendDelta.cancel();
    if (import.meta.env.MODE === "e2e" && this.board) delete window.__mockroomBoard;
  }

  // ------------------------------------------------------------------ remote → board

  /**
   * Merge server elements into the scene, outside the undo history. `snapshot`: these are the
   * whole stored scene (a `state`), so what the server knows is reset to exactly them; anything
   * newer here (drawn while disconnected) is then sent by the full resend.
   */
  merge(remote: WireElement[], snapshot: boolean): void {
    if (snapshot) this.known.clear();
    this.known.mark(remote);
    if (!this.board) {
      this.pendingRemote = snapshot ? [...remote] : [...this.pendingRemote, ...remote];
      return;
    }
    if (remote.length === 0) return;
    const local = this.board.getSceneElementsIncludingDeleted();
    const merged = mergeRemote(local, remote, this.board.getAppState());
    this.lastSceneVersion = hashElementsVersion(merged);
    this.board.updateScene({ elements: merged, captureUpdate: CaptureUpdateAction.NEVER });
  }

  /**
   * A `state` snapshot was merged. After a reconnect, the full scene goes out (it heals whatever
   * either side missed and keeps what was drawn offline); on the first, only what is newer.
   */
  afterSnapshot(): void {
    this.snapshots += 1;
    if (this.snapshots > 1) this.fullSync();
    else this.sendDelta();
  }

  // ------------------------------------------------------------------ Excalidraw's callbacks

  /**
   * The scene Excalidraw starts from (its `initialData`): what the server sent before the board
   * mounted. Excalidraw replaces its scene with this once it has initialised, so nothing may be
   * pushed into it before then (see `onBoardChange`).
   */
  initialScene(): InitialScene {
    // Idempotent until the board is ready (React may call a state initialiser twice).
    if (!this.initial) {
      const elements = restoreRemote(this.pendingRemote);
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

  /** Excalidraw's onChange: cheap unless the scene actually changed. */
  onBoardChange(elements: readonly OrderedExcalidrawElement[], appState: Pick<AppState, "isLoading">): void {
    if (!this.board) {
      if (!this.api || appState.isLoading) return;
      this.boardReady(this.api);
    }
    const version = hashElementsVersion(elements);
    if (version === this.lastSceneVersion) return;
    this.lastSceneVersion = version;
    if (!this.link.canDraw()) return;
    this.sendDelta();
  }

  /** The ids of the elements this user has selected (shown to the others with the cursor). */
  selectedIds(): string[] {
    const appState = this.board?.getAppState();
    return appState ? Object.keys(appState.selectedElementIds ?? {}) : [];
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

  private boardReady(api: BoardApi): void {
    this.board = api;
    this.initial = null;
    // What is on the board, for the end-to-end tests (the canvas itself cannot be read). Only in
    // their build: the condition is constant, so other builds do not contain this at all.
    if (import.meta.env.MODE === "e2e") window.__mockroomBoard = () => this.boardSummary();
    const pending = this.pendingRemote;
    this.pendingRemote = [];
    if (pending.length > 0) this.merge(pending, false);
    this.link.ready(api);
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
    const measured = restoreRemote(elements);
    const before = new Map(elements.map((el) => [el.id, el]));
    const changed = measured.some((el) => {
      const old = before.get(el.id);
      return !old || old.width !== el.width || old.height !== el.height;
    });
    if (!changed) return;
    this.lastSceneVersion = hashElementsVersion(measured);
    board.updateScene({ elements: measured, captureUpdate: CaptureUpdateAction.NEVER });
  }

  // ------------------------------------------------------------------ board → server

  /** Send the elements whose version rose above what the server is known to have. */
  private flushDelta(): void {
    if (!this.board || !this.link.isOpen() || !this.link.canDraw()) return;
    const delta = this.known.changed(this.board.getSceneElementsIncludingDeleted());
    if (delta.length > 0) this.sendElements(delta);
  }

  /** Send the whole scene (tombstones included); the server keeps only what is newer. */
  fullSync(): void {
    if (!this.board || !this.link.isOpen() || !this.link.canDraw()) return;
    const all = this.board.getSceneElementsIncludingDeleted();
    if (all.length > 0) this.sendElements(all);
  }

  private sendElements(elements: readonly OrderedExcalidrawElement[]): void {
    const { frames, tooLarge } = chunkElements(elements);
    for (const frame of frames) {
      const ref = `wb${++this.refCounter}`;
      if (!this.link.send({ type: "whiteboard.update", elements: frame, ref })) return;
      this.known.mark(frame);
    }
    if (tooLarge.length > 0) {
      this.known.mark(tooLarge);
      this.link.tooLarge();
    }
  }
}
