/**
 * A stand-in for RTCPeerConnection in unit tests: the signalling state machine of the WebRTC
 * spec (offers, answers, implicit rollback, negotiationneeded after a track is added while
 * stable) without media. `connectionState` turns "connected" once an offer/answer exchange has
 * completed with a description that came from the other fake; tests can fail it by hand.
 */
import type { PeerConnection } from "./negotiation";

let counter = 0;

type Listener = (event: Event) => void;

export class FakePeerConnection implements PeerConnection {
  signalingState: RTCSignalingState = "stable";
  connectionState: RTCPeerConnectionState = "new";
  localDescription: RTCSessionDescription | null = null;
  remoteDescription: RTCSessionDescription | null = null;
  readonly name: string;
  tracks = 0;
  candidates: RTCIceCandidateInit[] = [];
  restarts = 0;
  offersMade = 0;
  private current: { local: string; remote: string } | null = null;
  private readonly listeners = new Map<string, Set<Listener>>();
  private needsNegotiation = false;
  private iceRestart = false;
  private closed = false;

  constructor(name = "pc") {
    counter += 1;
    this.name = `${name}#${counter}`;
  }

  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
    if (!listener) return;
    const fn = typeof listener === "function" ? listener : (e: Event) => listener.handleEvent(e);
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)?.add(fn as Listener);
  }

  removeEventListener(): void {}

  private emit(type: string, extra: Record<string, unknown> = {}): void {
    const event = Object.assign(new Event(type), extra);
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }

  senders: { track: MediaStreamTrack | null; replaceTrack: (t: MediaStreamTrack | null) => Promise<void> }[] = [];

  /** What addTrack does to negotiation: asks for it once the state is stable. */
  addTrack(track: MediaStreamTrack | null = null): RTCRtpSender {
    this.tracks += 1;
    this.needsNegotiation = true;
    this.scheduleNegotiation();
    const sender = {
      track,
      replaceTrack: async (next: MediaStreamTrack | null) => {
        sender.track = next;
      },
    };
    this.senders.push(sender);
    return sender as unknown as RTCRtpSender;
  }

  private scheduleNegotiation(): void {
    setTimeout(() => {
      if (this.closed || !this.needsNegotiation || this.signalingState !== "stable") return;
      this.needsNegotiation = false;
      this.emit("negotiationneeded");
    }, 0);
  }

  private setSignaling(state: RTCSignalingState): void {
    this.signalingState = state;
    this.emit("signalingstatechange");
    if (state === "stable") {
      if (this.current && this.connectionState !== "connected" && !this.neverConnects) this.setConnection("connected");
      if (this.needsNegotiation) this.scheduleNegotiation();
    }
  }

  setConnection(state: RTCPeerConnectionState): void {
    this.connectionState = state;
    this.emit("connectionstatechange");
  }

  private description(type: RTCSdpType): RTCSessionDescription {
    return { type, sdp: `v=0\r\no=- ${this.name} ${++this.offersMade}\r\n${this.iceRestart ? "a=ice-restart\r\n" : ""}`, toJSON() { return this; } } as RTCSessionDescription;
  }

  async setLocalDescription(init?: RTCLocalSessionDescriptionInit): Promise<void> {
    await Promise.resolve();
    this.assertOpen();
    if (init?.type === "rollback") {
      this.localDescription = this.current ? this.localDescription : null;
      this.setSignaling("stable");
      return;
    }
    if (this.signalingState === "stable" || this.signalingState === "have-local-offer") {
      this.localDescription = this.description("offer");
      this.iceRestart = false;
      this.setSignaling("have-local-offer");
      this.gather();
    } else if (this.signalingState === "have-remote-offer") {
      this.localDescription = this.description("answer");
      this.current = { local: this.localDescription.sdp, remote: this.remoteDescription?.sdp ?? "" };
      this.setSignaling("stable");
      this.gather();
    } else {
      throw new DOMException("wrong state", "InvalidStateError");
    }
  }

  /** Candidates come in tasks after the description is set, as in a browser. */
  private gather(): void {
    setTimeout(() => {
      if (!this.closed) this.emit("icecandidate", { candidate: fakeCandidate(this.name) });
    }, 0);
  }

  /** A connection closed while an operation was pending: per the spec that operation's promise
   * never settles. */
  stalled = false;
  /** A negotiation that ends without ICE ever starting (Chromium after some rollbacks). */
  neverConnects = false;

  async setRemoteDescription(init: RTCSessionDescriptionInit): Promise<void> {
    await Promise.resolve();
    if (this.stalled) await new Promise(() => {});
    this.assertOpen();
    const description = { ...init, toJSON() { return init; } } as RTCSessionDescription;
    if (init.type === "offer") {
      if (this.signalingState === "have-local-offer") this.setSignaling("stable"); // implicit rollback
      this.remoteDescription = description;
      this.setSignaling("have-remote-offer");
    } else if (init.type === "answer") {
      if (this.signalingState !== "have-local-offer") throw new DOMException("wrong state", "InvalidStateError");
      this.remoteDescription = description;
      this.current = { local: this.localDescription?.sdp ?? "", remote: init.sdp ?? "" };
      this.setSignaling("stable");
    }
  }

  async addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void> {
    await Promise.resolve();
    if (this.stalled) await new Promise(() => {});
    if (!this.remoteDescription) throw new DOMException("no remote description", "InvalidStateError");
    if (candidate) this.candidates.push(candidate);
  }

  restartIce(): void {
    this.restarts += 1;
    this.iceRestart = true;
    this.needsNegotiation = true;
    this.scheduleNegotiation();
  }

  close(): void {
    this.closed = true;
    this.signalingState = "closed";
    this.connectionState = "closed";
  }

  private assertOpen(): void {
    if (this.closed) throw new DOMException("closed", "InvalidStateError");
  }
}

function fakeCandidate(name: string): RTCIceCandidate {
  const init = { candidate: `candidate:1 1 udp 1 127.0.0.1 9 typ host ${name}`, sdpMid: "0", sdpMLineIndex: 0, usernameFragment: null };
  return { ...init, toJSON: () => init } as unknown as RTCIceCandidate;
}
