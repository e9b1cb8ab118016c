/**
 * The other people on the board: their cursors, selections and idle/away state as Excalidraw's
 * `collaborators`, keyed by user and connection (one person may have several tabs); and this
 * tab's own pointer (throttled) and idle/away state, sent to them.
 */
import type { Collaborator, SocketId } from "@excalidraw/excalidraw/types";
import { throttle } from "lodash-es";
import { LIMITS, type ClientMessage, type PointerMessage, type PresenceMessage, type UserIdle, type UserStateMessage } from "./protocol";

/** Like Excalidraw: idle after a minute without pointer movement, away while the tab is hidden. */
export const IDLE_AFTER_MS = 60_000;
const IDLE_CHECK_MS = 5_000;
/** Cursor positions go out at most this often (about 30 a second). */
export const POINTER_THROTTLE_MS = 33;
const CURSOR_COLORS = ["#e03131", "#1971c2", "#2f9e44", "#f08c00", "#9c36b5", "#0c8599"];

/** What the collaborators need from the room around them. */
export interface CollaboratorLink {
  /** Put a message on the socket; false when it could not be sent. */
  send(msg: ClientMessage): boolean;
  /** Excalidraw's API once its scene is ready (cursors are shown from then on), else null. */
  board(): { updateScene(scene: { collaborators: Map<SocketId, Collaborator> }): void } | null;
  /** Whether this tab's pointer is worth sending (the room is loaded and not over). */
  canPoint(): boolean;
  /** The ids of the elements this user has selected. */
  selectedIds(): string[];
}

function keyOf(msg: { user_id: number; connection: string }): SocketId {
  return `${msg.user_id}:${msg.connection}` as SocketId;
}

export class Collaborators {
  private readonly others = new Map<SocketId, Collaborator>();
  private userState: UserIdle = "active";
  private lastActivity = Date.now();
  private idleTimer: ReturnType<typeof setInterval> | null = null;
  private readonly sendPointer = throttle(
    (x: number, y: number, button: "down" | "up", selected: string[]) =>
      this.link.send({ type: "pointer", x, y, button, selected_ids: selected.slice(0, LIMITS.selectedIds) }),
    POINTER_THROTTLE_MS,
  );

  constructor(private readonly link: CollaboratorLink) {}

  start(): void {
    this.idleTimer ??= setInterval(() => this.checkIdle(), IDLE_CHECK_MS);
    if (typeof document !== "undefined") document.addEventListener("visibilitychange", this.checkIdle);
  }

  stop(): void {
    if (this.idleTimer !== null) clearInterval(this.idleTimer);
    this.idleTimer = null;
    this.sendPointer.cancel();
    if (typeof document !== "undefined") document.removeEventListener("visibilitychange", this.checkIdle);
  }

  /** Put the known collaborators on the board (after it became ready, or after a change). */
  render(): void {
    this.link.board()?.updateScene({ collaborators: new Map(this.others) });
  }

  get size(): number {
    return this.others.size;
  }

  // ------------------------------------------------------------------ the others

  showPointer(msg: PointerMessage): void {
    const key = keyOf(msg);
    const color = CURSOR_COLORS[msg.user_id % CURSOR_COLORS.length] ?? "#1971c2";
    this.others.set(key, {
      ...this.others.get(key),
      id: key,
      socketId: key,
      username: msg.username,
      pointer: { x: msg.x, y: msg.y, tool: "pointer" },
      button: msg.button,
      selectedElementIds: Object.fromEntries(msg.selected_ids.map((id) => [id, true])),
      color: { background: color, stroke: color },
    });
    this.render();
  }

  showUserState(msg: UserStateMessage): void {
    const key = keyOf(msg);
    this.others.set(key, {
      ...this.others.get(key),
      id: key,
      socketId: key,
      username: msg.username,
      userState: msg.state as Collaborator["userState"],
    });
    this.render();
  }

  /** Whoever went offline loses their cursors (all their tabs). */
  showPresence(msg: PresenceMessage): void {
    for (const p of msg.participants) {
      if (p.online) continue;
      for (const key of [...this.others.keys()]) {
        if (key.startsWith(`${p.user_id}:`)) this.others.delete(key);
      }
    }
    this.render();
  }

  // ------------------------------------------------------------------ this tab

  /** Excalidraw's onPointerUpdate: this user is active, and the others see the cursor move. */
  onPointer(payload: { pointer: { x: number; y: number }; button: "down" | "up" }): void {
    this.lastActivity = Date.now();
    if (this.userState !== "active") this.checkIdle();
    if (!this.link.canPoint()) return;
    this.sendPointer(payload.pointer.x, payload.pointer.y, payload.button, this.link.selectedIds());
  }

  /** Tell the others when this tab turns idle or away (and back), as their cursors show it. */
  readonly checkIdle = (): void => {
    const hidden = typeof document !== "undefined" && document.visibilityState === "hidden";
    const next: UserIdle = hidden ? "away" : Date.now() - this.lastActivity > IDLE_AFTER_MS ? "idle" : "active";
    if (next === this.userState) return;
    if (this.link.send({ type: "user.state", state: next })) this.userState = next;
  };
}
