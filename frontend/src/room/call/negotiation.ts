/**
 * One peer connection to one other participant, negotiated with the "perfect negotiation"
 * pattern (MDN): either side may offer whenever its tracks change; on a collision the polite side
 * rolls its own offer back and takes the other's, the impolite side ignores the other's.
 *
 * Around the pattern, what makes it survive a real room (docs/protocol.md, "The call"):
 * - Every connection has a random id (`peer`). A message from a peer id other than the bound one
 *   means the other side started afresh (a reload, a retry): this side replaces its connection,
 *   because a connection that has met one remote connection cannot be reused with another.
 * - A message addressed to an id that is no longer ours is stale; we answer with a hello, so the
 *   sender learns our current id and starts afresh itself.
 * - Signalling is volatile: what could not be sent while the room socket was down is sent again
 *   when it is back (our current description carries our candidates), an offer left unanswered
 *   is sent again, and a connection whose ICE failed restarts ICE.
 * - A polite connection that has not heard an offer yet waits a moment before offering itself:
 *   the impolite side is usually offering already, and Chromium's implicit rollback of a polite
 *   offer can leave the connection without ICE candidates ("new" for good). The browser fires
 *   `negotiationneeded` again once the answer is done if our tracks still need it.
 * - A connection closed while one of its operations is pending never settles that operation's
 *   promise (the WebRTC spec drops it). Signals are handled one after the other, so every wait
 *   on a connection also ends when the connection is replaced or closed: one dead connection
 *   must not hold up the signals of the next.
 */

export type SessionDescriptionWire = { type: "offer" | "answer"; sdp: string };

export interface CandidateWire {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
  usernameFragment: string | null;
}

/** What travels between two links; the room adds who sent it and to whom. */
export interface Signal {
  peer: string;
  to_peer: string | null;
  description?: SessionDescriptionWire;
  candidate?: CandidateWire;
}

/** The part of RTCPeerConnection a link uses (the tests give it a fake). */
export type PeerConnection = Pick<
  RTCPeerConnection,
  | "signalingState"
  | "connectionState"
  | "localDescription"
  | "remoteDescription"
  | "setLocalDescription"
  | "setRemoteDescription"
  | "addIceCandidate"
  | "restartIce"
  | "close"
  | "addEventListener"
  | "removeEventListener"
>;

export type LinkStatus = "new" | "connecting" | "connected" | "disconnected" | "failed" | "closed";

export interface LinkOptions {
  polite: boolean;
  createConnection: () => PeerConnection;
  /** Puts local tracks on a new connection and listens to its remote ones. */
  attach: (pc: PeerConnection) => void;
  /** False when the room socket is down: the link sends it again when told the socket is back. */
  send: (signal: Signal) => boolean;
  onChange: () => void;
  newId?: () => string;
  now?: () => number;
  log?: (message: string, error?: unknown) => void;
}

/** An unanswered offer is sent again after this long (it may have been lost). */
export const OFFER_RESEND_MS = 6_000;
/** ICE "disconnected" this long (not a blip) restarts ICE. */
export const DISCONNECTED_RESTART_MS = 4_000;
/** How long a polite connection waits for the other side's offer before making its own (the
 * other side may have nothing to send, as with a microphone refused). */
export const POLITE_OFFER_WAIT_MS = 2_000;
/** Negotiated, yet ICE has not even started this long: restart it (the impolite side first, the
 * polite one later if that did not help, so the two do not restart at once). */
export const STUCK_NEW_RESTART_MS = 6_000;
/** At most one hello per stale sender this often (two stale sides must not ping-pong). */
const HELLO_INTERVAL_MS = 1_000;

/** A description's `o=` line: its origin and version, new with every offer or answer made. */
export function originLine(sdp: string): string {
  const match = /^o=.*$/m.exec(sdp);
  return match ? match[0].trim() : sdp;
}

/** Thrown into a handler waiting on a connection that has since been replaced or closed. */
class Superseded extends Error {}

export function randomPeerId(): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(36).padStart(2, "0")).join("").slice(0, 16);
}

export class PeerLink {
  id = "";
  /** The other side's connection id, once a message of theirs has reached us. */
  remote: string | null = null;
  pc!: PeerConnection;
  private makingOffer = false;
  private ignoreOffer = false;
  /** Something could not be sent: send our description again when the socket is back. */
  private unsent = false;
  private offerSentAt: number | null = null;
  /** A polite connection held back its own offer at this moment (see the header). */
  private offerWantedSince: number | null = null;
  private disconnectedSince: number | null = null;
  private stuckSince: number | null = null;
  private readonly helloSentAt = new Map<string, number>();
  /** `o=` lines of the remote descriptions this connection took: a description sent again
   * (after a socket drop, an unanswered offer) must not be applied twice, or the two sides'
   * negotiations cross. */
  private applied = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly log: (message: string, error?: unknown) => void;
  private closed = false;
  /** Ends the waits on the current connection (see the header). */
  private supersede: () => void = () => {};
  private superseded: Promise<never> = new Promise(() => {});
  /** Counts connections this link has made (a retry or a remote restart makes a new one). */
  generation = 0;

  constructor(private readonly options: LinkOptions) {
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomPeerId;
    this.log = options.log ?? ((message, error) => console.warn(`call: ${message}`, error ?? ""));
    this.open(null);
  }

  get polite(): boolean {
    return this.options.polite;
  }

  get status(): LinkStatus {
    if (this.closed) return "closed";
    return this.pc.connectionState as LinkStatus;
  }

  // ------------------------------------------------------------------ lifecycle

  /** A new connection with a new id, bound to `remote` (null: whoever answers first). */
  private open(remote: string | null): void {
    this.supersede();
    this.superseded = new Promise<never>((_, reject) => {
      this.supersede = () => reject(new Superseded());
    });
    this.superseded.catch(() => {}); // nobody may be waiting on it
    const pc = this.options.createConnection();
    this.pc = pc;
    this.id = this.newId();
    this.remote = remote;
    this.generation += 1;
    this.makingOffer = this.ignoreOffer = false;
    this.offerSentAt = this.disconnectedSince = this.offerWantedSince = this.stuckSince = null;
    this.applied = new Set();
    pc.addEventListener("negotiationneeded", () => {
      if (this.pc !== pc) return;
      if (this.polite && pc.remoteDescription === null) {
        this.offerWantedSince ??= this.now();
        return;
      }
      void this.negotiate(pc);
    });
    pc.addEventListener("icecandidate", (event) => {
      const { candidate } = event as RTCPeerConnectionIceEvent;
      if (this.pc !== pc || !candidate) return;
      const json = candidate.toJSON();
      this.post({
        candidate: {
          candidate: json.candidate ?? "",
          sdpMid: json.sdpMid ?? null,
          sdpMLineIndex: json.sdpMLineIndex ?? null,
          usernameFragment: json.usernameFragment ?? null,
        },
      });
    });
    pc.addEventListener("connectionstatechange", () => {
      if (this.pc !== pc) return;
      this.watchConnection();
      this.options.onChange();
    });
    pc.addEventListener("signalingstatechange", () => {
      if (this.pc !== pc) return;
      if (pc.signalingState === "stable") this.offerSentAt = null;
      this.options.onChange();
    });
    this.options.attach(pc);
    // Tells a remote that is bound to a connection of ours that is gone to start afresh, and
    // an observer's remote (which has nothing to offer) that we are here.
    this.post({});
    this.options.onChange();
  }

  /** Our own fresh start (the retry button): the other side follows when it hears the new id. */
  restart(): void {
    if (this.closed) return;
    this.pc.close();
    this.open(null);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pc.close();
    this.supersede();
    this.options.onChange();
  }

  // ------------------------------------------------------------------ sending

  private post(payload: Omit<Signal, "peer" | "to_peer">): boolean {
    const ok = this.options.send({ peer: this.id, to_peer: this.remote, ...payload });
    if (!ok) this.unsent = true;
    return ok;
  }

  private sendDescription(): void {
    const description = this.pc.localDescription;
    if (!description || (description.type !== "offer" && description.type !== "answer")) return;
    if (description.type === "offer") this.offerSentAt = this.now();
    this.post({ description: { type: description.type, sdp: description.sdp } });
  }

  private async negotiate(pc: PeerConnection): Promise<void> {
    try {
      this.makingOffer = true;
      await pc.setLocalDescription();
      if (this.pc === pc) this.sendDescription();
    } catch (error) {
      if (this.pc === pc) this.log("making an offer failed", error);
    } finally {
      // A replaced connection's offer must not clear the flag of the one now negotiating.
      if (this.pc === pc) this.makingOffer = false;
    }
  }

  /** Waits for an operation on the current connection, or until that connection is gone. */
  private until<T>(operation: Promise<T>): Promise<T> {
    return Promise.race([operation, this.superseded]);
  }

  // ------------------------------------------------------------------ receiving

  /** A signal from the other side, in the order it arrived. */
  receive(signal: Signal): Promise<void> {
    this.queue = this.queue
      .then(() => this.handle(signal))
      .catch((error) => {
        if (!(error instanceof Superseded)) this.log("signal failed", error);
      });
    return this.queue;
  }

  private async handle(signal: Signal): Promise<void> {
    if (this.closed) return;
    if (signal.to_peer !== null && signal.to_peer !== this.id) {
      // For a connection of ours that is gone: tell the sender which one is current.
      const last = this.helloSentAt.get(signal.peer) ?? -Infinity;
      if (this.now() - last >= HELLO_INTERVAL_MS) {
        this.helloSentAt.set(signal.peer, this.now());
        this.options.send({ peer: this.id, to_peer: signal.peer });
      }
      return;
    }
    if (this.remote === null) {
      this.remote = signal.peer;
    } else if (this.remote !== signal.peer) {
      this.pc.close();
      this.open(signal.peer);
    }
    const pc = this.pc;
    const { description, candidate } = signal;
    if (!description && !candidate && !this.makingOffer && pc.signalingState === "have-local-offer") {
      // A hello: the other side is (back) here and may have missed our offer; waiting for the
      // resend would let a polite side offer first, which ends in a rollback.
      this.sendDescription();
      return;
    }
    if (description) {
      const origin = originLine(description.sdp);
      if (this.applied.has(origin)) {
        // Sent again because our answer may have been lost: answer again, if we still are the
        // answering side.
        if (description.type === "offer" && pc.signalingState === "stable" && pc.localDescription?.type === "answer") {
          this.sendDescription();
        }
        return;
      }
      const collision = description.type === "offer" && (this.makingOffer || pc.signalingState !== "stable");
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) {
        // Ours wins; the other side may never have seen it (it was offline, or had another id
        // then), so it goes again, now addressed to them.
        if (!this.makingOffer && pc.signalingState === "have-local-offer") this.sendDescription();
        return;
      }
      if (description.type === "answer" && pc.signalingState !== "have-local-offer") {
        return; // a second answer to an offer we sent twice
      }
      await this.until(pc.setRemoteDescription(description));
      this.applied.add(origin);
      if (this.pc !== pc) return;
      if (description.type === "offer") {
        this.offerWantedSince = null; // the browser asks again after this answer if it must
        await this.until(pc.setLocalDescription());
        if (this.pc === pc) this.sendDescription();
      }
    } else if (candidate) {
      try {
        await this.until(pc.addIceCandidate(candidate));
      } catch (error) {
        if (error instanceof Superseded) throw error;
        // Candidates of an offer we ignored, or of an ICE generation that is over.
        if (!this.ignoreOffer) this.log("a remote candidate was refused", error);
      }
    }
  }

  // ------------------------------------------------------------------ healing

  /** The room socket is (again) open: re-announce ourselves and send what got lost. */
  socketOpened(): void {
    if (this.closed) return;
    this.post({});
    const state = this.pc.signalingState;
    if (this.unsent) {
      this.unsent = false;
      // An offer still waiting for its answer, or the answer we gave: either may be what got
      // lost. A completed offer is not sent again (the other side would take it for a new one).
      if (state === "have-local-offer" || (state === "stable" && this.pc.localDescription?.type === "answer")) {
        this.sendDescription();
      }
    }
    const status = this.pc.connectionState;
    if ((status === "failed" || status === "disconnected") && state === "stable") this.pc.restartIce();
  }

  private watchConnection(): void {
    const status = this.pc.connectionState;
    if (status === "failed") {
      this.pc.restartIce();
    }
    this.disconnectedSince = status === "disconnected" ? (this.disconnectedSince ?? this.now()) : null;
  }

  /** Called about every second: resend an offer nobody answered, restart a long disconnect. */
  tick(): void {
    if (this.closed) return;
    const now = this.now();
    if (
      this.offerSentAt !== null &&
      this.pc.signalingState === "have-local-offer" &&
      now - this.offerSentAt >= OFFER_RESEND_MS
    ) {
      this.sendDescription();
    }
    if (
      this.offerWantedSince !== null &&
      now - this.offerWantedSince >= POLITE_OFFER_WAIT_MS &&
      this.pc.signalingState === "stable"
    ) {
      this.offerWantedSince = null; // nobody offered: we do
      void this.negotiate(this.pc);
    }
    const pc = this.pc;
    const negotiatedButNew =
      pc.connectionState === "new" && pc.signalingState === "stable" && pc.remoteDescription !== null;
    this.stuckSince = negotiatedButNew ? (this.stuckSince ?? now) : null;
    if (this.stuckSince !== null && now - this.stuckSince >= STUCK_NEW_RESTART_MS * (this.polite ? 2 : 1)) {
      this.stuckSince = now;
      pc.restartIce();
    }
    if (this.disconnectedSince !== null && now - this.disconnectedSince >= DISCONNECTED_RESTART_MS) {
      this.disconnectedSince = now;
      this.pc.restartIce();
    }
  }
}
