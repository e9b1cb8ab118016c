/**
 * One websocket to the room that reconnects by itself: exponential backoff with jitter, a ping
 * for liveness and clock offset, and no retry after the server's "not logged in" / "not a
 * participant" closes.
 */
import {
  CLOSE_NOT_LOGGED_IN,
  CLOSE_NOT_PARTICIPANT,
  parseServerMessage,
  type ClientMessage,
  type ServerMessage,
} from "./protocol";

const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 15_000;
const PING_INTERVAL_MS = 10_000;
/** No frame at all for this long means the connection is dead even if the browser has not
 * noticed yet (a laptop lid, a dropped Wi-Fi). */
const SILENCE_LIMIT_MS = 35_000;

/** Delay before reconnect attempt `attempt` (0-based): doubling, capped, with ±50 % jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.round(base * (0.5 + random() * 0.5));
}

interface SocketHandlers {
  onOpen: () => void;
  onMessage: (msg: ServerMessage, receivedAt: number) => void;
  onPong: (serverTime: number, sentAt: number, receivedAt: number) => void;
  /** The socket dropped; it will retry in `retryInMs`. */
  onDrop: (retryInMs: number) => void;
  /** The server refused us for good (4401/4403). */
  onFatal: (code: number) => void;
}

export type SocketFactory = (url: string) => WebSocket;

export class RoomSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastFrameAt = 0;
  private pingSentAt = 0;
  private stopped = true;

  constructor(
    private readonly url: string,
    private readonly handlers: SocketHandlers,
    private readonly factory: SocketFactory = (u) => new WebSocket(u),
  ) {}

  get isOpen(): boolean {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.retryTimer = null;
    this.pingTimer = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      ws.close(1000);
    }
  }

  /** Send now; false when not connected (the caller keeps what it could not send). */
  send(msg: ClientMessage): boolean {
    if (!this.isOpen || !this.ws) return false;
    if (msg.type === "ping") this.pingSentAt = Date.now();
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  /** Drop the connection and reconnect at once (e.g. after a long silence). */
  reconnectNow(): void {
    this.ws?.close(4000);
  }

  private open(): void {
    if (this.stopped) return;
    const ws = this.factory(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.lastFrameAt = Date.now();
      this.handlers.onOpen();
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.heartbeat(), PING_INTERVAL_MS);
      this.send({ type: "ping" });
    };
    ws.onmessage = (event: MessageEvent) => {
      const receivedAt = Date.now();
      this.lastFrameAt = receivedAt;
      const msg = parseServerMessage(typeof event.data === "string" ? event.data : null);
      if (!msg) return;
      if (msg.type === "pong") this.handlers.onPong(msg.server_time, this.pingSentAt, receivedAt);
      this.handlers.onMessage(msg, receivedAt);
    };
    ws.onerror = () => {
      // onclose follows and handles the retry.
    };
    ws.onclose = (event: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      if (this.stopped) return;
      if (event.code === CLOSE_NOT_LOGGED_IN || event.code === CLOSE_NOT_PARTICIPANT) {
        this.stopped = true;
        this.handlers.onFatal(event.code);
        return;
      }
      const delay = backoffDelay(this.attempt++);
      this.handlers.onDrop(delay);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.open();
      }, delay);
    };
  }

  private heartbeat(): void {
    if (Date.now() - this.lastFrameAt > SILENCE_LIMIT_MS) {
      this.reconnectNow();
      return;
    }
    this.send({ type: "ping" });
  }
}
