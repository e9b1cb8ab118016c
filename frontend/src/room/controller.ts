/**
 * The room's one facade for the pages: the socket, and what its messages feed. `RoomStore`
 * (store.ts) holds the room state and sends the commands; `BoardBridge` (boardBridge.ts) syncs
 * the whiteboard with Excalidraw; `Collaborators` (collaborators.ts) shows the others' cursors
 * and sends this tab's; `CallManager` (call/manager.ts) holds the call and the microphone;
 * `RecordingManager` (recording/manager.ts) asks for consent and records that microphone while
 * the room's recording is active. Components read state with `useSyncExternalStore` and call the
 * command methods; nothing else talks to the socket.
 */
import type { OrderedExcalidrawElement } from "@excalidraw/excalidraw/element/types";
import type { AppState } from "@excalidraw/excalidraw/types";
import { Api, csrfToken } from "../api";
import { BoardBridge, type BoardApi, type InitialScene } from "./boardBridge";
import { CallManager } from "./call/manager";
import { Collaborators } from "./collaborators";
import type { ClientMessage, ServerMessage } from "./protocol";
import { httpPut, IdbChunkStore } from "./recording/queue";
import { RecordingManager, type RecordingDeps, type RoomFacts, type RecordingView } from "./recording/manager";
import { RoomSocket, type SocketFactory } from "./socket";
import { canDraw, type RoomState } from "./state";
import { RoomStore } from "./store";
import { clockOffsetFromPong } from "./timer";

function roomSocketUrl(sessionId: string, loc: Location = window.location): string {
  const scheme = loc.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${loc.host}/ws/sessions/${encodeURIComponent(sessionId)}/`;
}

declare global {
  interface Window {
    /** e2e builds only: drop the room socket as a network loss would (it reconnects by itself). */
    __mockroomSocket?: { drop: () => void };
    /** e2e builds only: what the recording shows (capturing, chunks not sent yet, ...). */
    __mockroomRecording?: () => RecordingView;
  }
}

/** What the recording follows of the room state. */
export function recordingFacts(state: RoomState): RoomFacts {
  return {
    me: state.me ? { userId: state.me.user_id, role: state.me.role } : null,
    recording: state.recording,
    started: state.timer !== null && state.timer.status !== "not_started",
    ended: state.ended,
  };
}

export class RoomController {
  private readonly socket: RoomSocket;
  private readonly store: RoomStore;
  private readonly board: BoardBridge;
  private readonly collaborators: Collaborators;
  /** The participants' audio/video call (call/manager.ts); the call panel reads its view. */
  readonly call: CallManager;
  /** Consent, this browser's recorder and its uploads; the recording indicator reads its view. */
  readonly recording: RecordingManager;
  private unsubscribe: (() => void)[] = [];

  constructor(
    readonly sessionId: string,
    options: { url?: string; socketFactory?: SocketFactory; recording?: Partial<RecordingDeps> } = {},
  ) {
    const send = (msg: ClientMessage) => this.socket.send(msg);
    this.store = new RoomStore(send);
    this.board = new BoardBridge({
      send,
      isOpen: () => this.socket.isOpen,
      canDraw: () => canDraw(this.store.getState()),
      tooLarge: () =>
        this.store.reportError("too_large", "A drawing element is too large to share (over 64 KB); simplify it."),
      ready: () => {
        if (this.collaborators.size > 0) this.collaborators.render();
      },
    });
    this.collaborators = new Collaborators({
      send,
      board: () => this.board.readyBoard,
      canPoint: () => {
        const state = this.store.getState();
        return state.loaded && !state.ended;
      },
      selectedIds: () => this.board.selectedIds(),
    });
    this.call = new CallManager(sessionId, send);
    this.recording = new RecordingManager(sessionId, {
      api: { status: Api.recording, consent: Api.recordingConsent, remove: Api.deleteRecordings },
      store: new IdbChunkStore(),
      put: httpPut(csrfToken),
      clockOffset: () => this.store.getState().clockOffset,
      ...options.recording,
    });
    const dispatch = this.store.dispatch.bind(this.store);
    this.socket = new RoomSocket(
      options.url ?? roomSocketUrl(sessionId),
      {
        onOpen: () => dispatch({ type: "connection", status: "open" }),
        onMessage: (msg, receivedAt) => this.receive(msg, receivedAt),
        onPong: (serverTime, sentAt, receivedAt) => {
          if (sentAt > 0) dispatch({ type: "clock", offset: clockOffsetFromPong(serverTime, sentAt, receivedAt) });
        },
        onDrop: () => dispatch({ type: "connection", status: "reconnecting" }),
        onFatal: (code) =>
          dispatch({
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

  getState = (): RoomState => this.store.getState();

  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  // ------------------------------------------------------------------ lifecycle

  start(): void {
    if (import.meta.env.MODE === "e2e") window.__mockroomSocket = { drop: () => this.socket.reconnectNow() };
    this.socket.start();
    this.store.start();
    this.board.start();
    this.collaborators.start();
    this.call.start();
    this.recording.start();
    this.unsubscribe = [
      this.store.subscribe(() => this.recording.onRoom(recordingFacts(this.store.getState()))),
      this.call.subscribe(() => this.recording.onTrack(this.call.recordingTrack)),
    ];
    if (import.meta.env.MODE === "e2e") window.__mockroomRecording = () => this.recording.getView();
  }

  stop(): void {
    if (import.meta.env.MODE === "e2e") delete window.__mockroomSocket;
    this.socket.stop();
    this.store.stop();
    this.board.stop();
    this.collaborators.stop();
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    this.unsubscribe = [];
    this.recording.stop();
    this.call.stop();
    if (import.meta.env.MODE === "e2e") delete window.__mockroomRecording;
  }

  // ------------------------------------------------------------------ receiving

  private receive(msg: ServerMessage, receivedAt: number): void {
    this.store.dispatch({ type: "server", msg, receivedAt });
    this.route(msg);
    if (msg.type === "state") this.call.onState(msg);
    if (msg.type === "state") {
      this.board.afterSnapshot();
      this.store.afterSnapshot();
    }
  }

  /** What besides the room state a message changes: the board and the cursors on it. */
  private route(msg: ServerMessage): void {
    switch (msg.type) {
      case "state":
        this.board.merge(msg.whiteboard.elements, true);
        break;
      case "whiteboard.update":
        this.board.merge(msg.elements, false);
        break;
      case "sync":
        for (const event of msg.events) this.route(event);
        break;
      case "pointer":
        this.collaborators.showPointer(msg);
        break;
      case "user.state":
        this.collaborators.showUserState(msg);
        break;
      case "presence":
        this.collaborators.showPresence(msg);
        this.call.onPresence(msg.participants);
        break;
      case "call.signal":
        this.call.onSignal(msg);
        break;
      case "call.media":
        this.call.onMedia(msg);
        break;
      default:
        break;
    }
  }

  // ------------------------------------------------------------------ Excalidraw

  initialScene(): InitialScene {
    return this.board.initialScene();
  }

  attachBoard(api: BoardApi | null): void {
    this.board.attachBoard(api);
  }

  onBoardChange(elements: readonly OrderedExcalidrawElement[], appState: Pick<AppState, "isLoading">): void {
    this.board.onBoardChange(elements, appState);
  }

  onPointer(payload: { pointer: { x: number; y: number }; button: "down" | "up" }): void {
    this.collaborators.onPointer(payload);
  }

  // ------------------------------------------------------------------ commands

  timer(command: "timer.start" | "timer.pause" | "timer.resume" | "timer.next"): boolean {
    return this.store.timer(command);
  }

  gotoStep(step: string): boolean {
    return this.store.gotoStep(step);
  }

  extend(minutes = 2): boolean {
    return this.store.extend(minutes);
  }

  lockBoard(locked: boolean): boolean {
    return this.store.lockBoard(locked);
  }

  endSession(): boolean {
    // Whatever is on the board goes in before the final snapshot.
    this.board.sendDelta.flush();
    return this.store.endSession();
  }

  chat(text: string): boolean {
    return this.store.chat(text);
  }

  editNote(step: string, text: string): void {
    this.store.editNote(step, text);
  }

  shareNote(step: string, shared: boolean): void {
    this.store.shareNote(step, shared);
  }

  editScore(criterion: string, change: { level?: number | null; comment?: string }): void {
    this.store.editScore(criterion, change);
  }

  dismissError(): void {
    this.store.dismissError();
  }
}
