/**
 * The room's call: one PeerLink (negotiation.ts) per other participant, this browser's
 * microphone and camera (media.ts), who is speaking (level.ts), and a view of it all for the
 * call panel (`getView`/`subscribe`, for useSyncExternalStore).
 *
 * Fed by the room controller: the `state` snapshot (who I am, who takes part, the ICE servers;
 * every new one after a reconnect re-signals the links), `presence`, `call.signal` and
 * `call.media`. Observers listen only: they capture nothing and put no track on a connection.
 * One tab per person takes part (a Web Lock per session): two tabs of one person would each
 * answer the other side and keep replacing each other's connection.
 */
import type { CallMediaMessage, CallSignalMessage, ClientMessage, Participant, Role, StateMessage } from "../protocol";
import { LevelMeter } from "./level";
import { LocalMedia, type DeviceOption, type MediaKind } from "./media";
import { PeerLink, type LinkStatus, type PeerConnection } from "./negotiation";

export type PeerStatus = LinkStatus | "offline";

export interface PeerView {
  userId: number;
  username: string;
  role: Role;
  status: PeerStatus;
  /** From their `call.media`; null until they said. */
  micOn: boolean | null;
  cameraOn: boolean;
  speaking: boolean;
  stream: MediaStream | null;
  /** Changes when the connection is replaced: media elements re-attach. */
  generation: number;
}

export interface CallView {
  phase: "waiting" | "other-tab" | "starting" | "ready";
  canSpeak: boolean;
  micOn: boolean;
  cameraOn: boolean;
  micError: string | null;
  cameraError: string | null;
  hasMic: boolean;
  devices: Record<MediaKind, DeviceOption[]>;
  selected: Record<MediaKind, string>;
  speaking: boolean;
  localStream: MediaStream | null;
  peers: PeerView[];
}

interface Senders {
  audio?: RTCRtpSender;
  video?: RTCRtpSender;
  remote: MediaStream | null;
}

const TICK_MS = 1_000;
const LEVEL_MS = 120;

export interface CallDeps {
  createConnection?: (config: RTCConfiguration) => RTCPeerConnection;
  mediaDevices?: MediaDevices;
  locks?: LockManager | null;
}

declare global {
  interface Window {
    /** e2e builds only: the call's connections and their statistics. */
    __mockroomCall?: {
      connections: () => { userId: number; pc: RTCPeerConnection; status: string }[];
      stats: () => Promise<CallStats[]>;
    };
  }
}

export interface CallStats {
  userId: number;
  status: string;
  inbound: Record<string, { packetsReceived: number; bytesReceived: number }>;
  outbound: Record<string, { packetsSent: number }>;
}

export class CallManager {
  private me: { userId: number; role: Role } | null = null;
  private participants: Participant[] = [];
  private iceServers: RTCIceServer[] = [];
  private readonly links = new Map<number, PeerLink>();
  private readonly senders = new WeakMap<object, Senders>();
  private readonly remoteMedia = new Map<number, { audio: boolean; video: boolean }>();
  private readonly remoteMeters = new WeakMap<MediaStream, LevelMeter>();
  private readonly speaking = new Map<number, boolean>();
  private localMeter: LevelMeter | null = null;
  private localSpeaking = false;
  private audioContext: AudioContext | null = null;
  private readonly media: LocalMedia;
  private micOn = true;
  private cameraOn = false;
  private phase: CallView["phase"] = "waiting";
  private haveLock = false;
  private releaseLock: (() => void) | null = null;
  private started = false;
  private timers: ReturnType<typeof setInterval>[] = [];
  private view: CallView;
  private readonly listeners = new Set<() => void>();
  private readonly createConnection: (config: RTCConfiguration) => RTCPeerConnection;
  private readonly locks: LockManager | null;
  /** Whether this browser can place a call at all (WebRTC exists). */
  readonly supported: boolean;

  constructor(
    private readonly sessionId: string,
    private readonly send: (msg: ClientMessage) => boolean,
    deps: CallDeps = {},
  ) {
    this.supported = deps.createConnection !== undefined || typeof RTCPeerConnection !== "undefined";
    this.createConnection = deps.createConnection ?? ((config) => new RTCPeerConnection(config));
    this.locks = deps.locks !== undefined ? deps.locks : (globalThis.navigator?.locks ?? null);
    this.media = new LocalMedia(() => this.changed(), deps.mediaDevices);
    this.view = this.buildView();
  }

  // ------------------------------------------------------------------ view

  getView = (): CallView => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    this.view = this.buildView();
    for (const listener of this.listeners) listener();
  }

  private get canSpeak(): boolean {
    return this.me !== null && this.me.role !== "observer";
  }

  private buildView(): CallView {
    const peers: PeerView[] = [];
    for (const p of this.callable()) {
      const link = this.links.get(p.user_id);
      const said = this.remoteMedia.get(p.user_id);
      const senders = link ? this.senders.get(link.pc) : undefined;
      peers.push({
        userId: p.user_id,
        username: p.username,
        role: p.role,
        status: !p.online && link?.status !== "connected" ? "offline" : (link?.status ?? "new"),
        micOn: said ? said.audio : null,
        cameraOn: said?.video ?? false,
        speaking: this.speaking.get(p.user_id) ?? false,
        stream: senders?.remote ?? null,
        generation: link?.generation ?? 0,
      });
    }
    return {
      phase: this.phase,
      canSpeak: this.canSpeak,
      micOn: this.micOn,
      cameraOn: this.cameraOn,
      micError: this.media.micError,
      cameraError: this.media.cameraError,
      hasMic: this.media.mic !== null,
      devices: this.media.devices,
      selected: this.media.selected,
      speaking: this.localSpeaking && this.micOn,
      localStream: this.media.camera ? this.media.stream : null,
      peers,
    };
  }

  /** The others this browser has a call with: everyone but observers among themselves. */
  private callable(): Participant[] {
    const me = this.me;
    if (!me) return [];
    return this.participants.filter(
      (p) => p.user_id !== me.userId && !(me.role === "observer" && p.role === "observer"),
    );
  }

  // ------------------------------------------------------------------ lifecycle

  start(): void {
    if (this.started) return;
    this.started = true;
    this.timers.push(setInterval(() => this.tick(), TICK_MS));
    this.timers.push(setInterval(() => this.sampleLevels(), LEVEL_MS));
    if (import.meta.env.MODE === "e2e") {
      window.__mockroomCall = {
        connections: () =>
          [...this.links].map(([userId, link]) => ({ userId, pc: link.pc as RTCPeerConnection, status: link.status })),
        stats: () => this.stats(),
      };
    }
    if (!this.locks) {
      this.haveLock = true;
      return;
    }
    const name = `mockroom-call-${this.sessionId}`;
    void this.locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (lock) return this.holdLock();
        this.phase = "other-tab";
        this.changed();
        // Wait for the other tab to close, then take over.
        return this.locks?.request(name, () => this.holdLock());
      })
      .catch(() => {
        this.haveLock = true;
        void this.begin();
      });
  }

  private holdLock(): Promise<void> {
    this.haveLock = true;
    if (this.phase === "other-tab") this.phase = "waiting";
    void this.begin();
    return new Promise<void>((release) => {
      this.releaseLock = release;
    });
  }

  stop(): void {
    this.started = false;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    for (const link of this.links.values()) link.close();
    this.links.clear();
    this.media.stop();
    this.localMeter?.close();
    void this.audioContext?.close().catch(() => {});
    this.audioContext = null;
    this.releaseLock?.();
    this.releaseLock = null;
    if (import.meta.env.MODE === "e2e") delete window.__mockroomCall;
  }

  /** Once we hold the lock and know who we are: the microphone, then the connections. */
  private async begin(): Promise<void> {
    if (!this.haveLock || !this.me || this.phase === "starting" || this.phase === "ready") return;
    this.phase = "starting";
    this.changed();
    if (this.canSpeak && this.supported) {
      await this.media.startMic();
      this.watchLocalLevel();
    }
    this.phase = "ready";
    this.syncLinks();
    this.announceMedia();
    this.changed();
  }

  // ------------------------------------------------------------------ from the room

  onState(msg: StateMessage): void {
    this.me = { userId: msg.me.user_id, role: msg.me.role };
    this.participants = msg.participants;
    this.iceServers = msg.call?.ice_servers ?? [];
    // A new snapshot follows every (re)connect of the socket: re-signal what may have been lost.
    for (const link of this.links.values()) {
      try {
        (link.pc as RTCPeerConnection).setConfiguration?.({ iceServers: this.iceServers });
      } catch {
        // Some browsers refuse a configuration change mid-call; the next connection gets it.
      }
      link.socketOpened();
    }
    if (this.phase === "ready") {
      this.syncLinks();
      this.announceMedia();
    } else {
      void this.begin();
    }
    this.changed();
  }

  onPresence(participants: Participant[]): void {
    const before = new Map(this.participants.map((p) => [p.user_id, p.online]));
    this.participants = participants;
    let someoneCame = false;
    for (const p of participants) {
      // Came online, or joined the session just now (not in the list before).
      if (p.online && before.get(p.user_id) !== true) {
        someoneCame = true;
        this.links.get(p.user_id)?.socketOpened();
      }
    }
    this.syncLinks();
    if (someoneCame) this.announceMedia();
    this.changed();
  }

  onSignal(msg: CallSignalMessage): void {
    if (this.phase !== "ready") return; // the other side sends again; our hello will tell them
    let link = this.links.get(msg.from);
    if (!link && this.supported && this.callable().some((p) => p.user_id === msg.from)) {
      link = this.addLink(msg.from);
    }
    if (!link) return;
    void link.receive({
      peer: msg.peer,
      to_peer: msg.to_peer,
      description: msg.description,
      candidate: msg.candidate,
    });
  }

  onMedia(msg: CallMediaMessage): void {
    this.remoteMedia.set(msg.user_id, { audio: msg.audio, video: msg.video });
    this.changed();
  }

  private announceMedia(): void {
    if (!this.canSpeak || this.phase !== "ready") return;
    this.send({ type: "call.media", audio: this.micOn && this.media.mic !== null, video: this.cameraOn });
  }

  // ------------------------------------------------------------------ links

  private syncLinks(): void {
    if (this.phase !== "ready" || !this.supported) return;
    for (const p of this.callable()) {
      if (p.online && !this.links.has(p.user_id)) this.addLink(p.user_id);
    }
  }

  private addLink(userId: number): PeerLink {
    const me = this.me as { userId: number; role: Role };
    const other = this.participants.find((p) => p.user_id === userId);
    // The interviewer never gives way; observers always do.
    const polite = me.role === "observer" || (me.role === "candidate" && other?.role !== "observer");
    const link = new PeerLink({
      polite,
      createConnection: () => this.createConnection({ iceServers: this.iceServers }) as PeerConnection,
      attach: (pc) => this.attach(pc as RTCPeerConnection),
      send: (signal) => this.send({ type: "call.signal", to: userId, ...signal }),
      onChange: () => this.changed(),
    });
    this.links.set(userId, link);
    return link;
  }

  /** Our tracks on a new connection, and a stream for what it receives. */
  private attach(pc: RTCPeerConnection): void {
    const senders: Senders = { remote: typeof MediaStream === "undefined" ? null : new MediaStream() };
    this.senders.set(pc, senders);
    if (this.canSpeak && this.media.mic) {
      senders.audio = pc.addTrack(this.media.mic, this.media.stream);
      if (!this.micOn) void senders.audio.replaceTrack(null);
    }
    if (this.canSpeak && this.cameraOn && this.media.camera) {
      senders.video = pc.addTrack(this.media.camera, this.media.stream);
    }
    pc.addEventListener("track", (event) => {
      senders.remote?.addTrack(event.track);
      event.track.addEventListener("unmute", () => this.changed());
      this.changed();
    });
  }

  retry(userId: number): void {
    this.links.get(userId)?.restart();
  }

  /** The microphone the recorder should record (recording/manager.ts), or null: none in this
   * tab (observer, refused, another tab holds the call) or muted. The same track the call
   * sends, so recording never opens a second microphone and follows a device change. */
  get recordingTrack(): MediaStreamTrack | null {
    return this.micOn ? this.media.mic : null;
  }

  // ------------------------------------------------------------------ controls

  /** Muting takes the track off the connections (replaceTrack(null)): no packets at all go out,
   * where a disabled track would still send silence. The microphone itself stays open, so
   * unmuting is instant. */
  toggleMic(): void {
    if (!this.media.mic) {
      void this.media.startMic().then(({ track }) => {
        if (track) {
          this.micOn = true;
          this.putTrack("audio", track);
          this.watchLocalLevel();
          this.announceMedia();
        }
      });
      return;
    }
    this.micOn = !this.micOn;
    for (const link of this.links.values()) {
      const sender = this.senders.get(link.pc)?.audio;
      void sender?.replaceTrack(this.micOn ? this.media.mic : null);
    }
    this.announceMedia();
    this.changed();
  }

  async toggleCamera(): Promise<void> {
    if (this.cameraOn) {
      this.cameraOn = false;
      for (const link of this.links.values()) void this.senders.get(link.pc)?.video?.replaceTrack(null);
      this.media.stopCamera();
      this.announceMedia();
      this.changed();
      return;
    }
    const { track } = await this.media.startCamera();
    if (!track) return;
    this.cameraOn = true;
    this.putTrack("video", track);
    this.announceMedia();
    this.changed();
  }

  async chooseDevice(kind: MediaKind, deviceId: string): Promise<void> {
    if (kind === "audio") {
      const { track } = await this.media.startMic(deviceId);
      if (track) {
        if (this.micOn) this.putTrack("audio", track);
        this.watchLocalLevel();
      }
    } else if (this.cameraOn) {
      const { track } = await this.media.startCamera(deviceId);
      if (track) this.putTrack("video", track);
    } else {
      this.media.selected.video = deviceId;
    }
    this.changed();
  }

  /** A new track on every connection: swapped in place where a sender exists (no
   * renegotiation), added where none does (the connections renegotiate by themselves). */
  private putTrack(kind: MediaKind, track: MediaStreamTrack): void {
    for (const link of this.links.values()) {
      const pc = link.pc as RTCPeerConnection;
      const senders = this.senders.get(pc);
      if (!senders) continue;
      const sender = senders[kind];
      if (sender) void sender.replaceTrack(track);
      else senders[kind] = pc.addTrack(track, this.media.stream);
    }
  }

  // ------------------------------------------------------------------ speaking

  private context(): AudioContext | null {
    if (typeof AudioContext === "undefined") return null;
    if (!this.audioContext) {
      this.audioContext = new AudioContext();
      // Autoplay rules may start it suspended until the person interacts with the page.
      const resume = () => void this.audioContext?.resume().catch(() => {});
      document.addEventListener("pointerdown", resume, { once: true });
      document.addEventListener("keydown", resume, { once: true });
      resume();
    }
    return this.audioContext;
  }

  private watchLocalLevel(): void {
    const context = this.context();
    if (!context || !this.media.mic) return;
    this.localMeter?.close();
    this.localMeter = new LevelMeter(context, new MediaStream([this.media.mic]));
  }

  private sampleLevels(): void {
    const now = Date.now();
    let dirty = false;
    if (this.localMeter) {
      const speaking = this.localMeter.sample(now);
      if (speaking !== this.localSpeaking) {
        this.localSpeaking = speaking;
        dirty = true;
      }
    }
    for (const [userId, link] of this.links) {
      const remote = this.senders.get(link.pc)?.remote;
      let speaking = false;
      if (remote && remote.getAudioTracks().length > 0 && link.status === "connected") {
        let meter = this.remoteMeters.get(remote);
        const context = this.context();
        if (!meter && context) {
          meter = new LevelMeter(context, remote);
          this.remoteMeters.set(remote, meter);
        }
        speaking = (meter?.sample(now) ?? false) && this.remoteMedia.get(userId)?.audio !== false;
      }
      if (speaking !== (this.speaking.get(userId) ?? false)) {
        this.speaking.set(userId, speaking);
        dirty = true;
      }
    }
    if (dirty) this.changed();
  }

  private tick(): void {
    for (const link of this.links.values()) link.tick();
    // A connection closed under us fires no event; the panel must still show it.
    if (this.view.peers.some((peer) => peer.status !== "offline" && this.links.get(peer.userId)?.status !== peer.status)) {
      this.changed();
    }
  }

  // ------------------------------------------------------------------ statistics

  private async stats(): Promise<CallStats[]> {
    const out: CallStats[] = [];
    for (const [userId, link] of this.links) {
      const entry: CallStats = { userId, status: link.status, inbound: {}, outbound: {} };
      const report = await (link.pc as RTCPeerConnection).getStats();
      report.forEach((stat: RTCStats & Record<string, unknown>) => {
        const kind = String(stat.kind ?? "");
        if (stat.type === "inbound-rtp") {
          const seen = entry.inbound[kind] ?? { packetsReceived: 0, bytesReceived: 0 };
          seen.packetsReceived += Number(stat.packetsReceived ?? 0);
          seen.bytesReceived += Number(stat.bytesReceived ?? 0);
          entry.inbound[kind] = seen;
        } else if (stat.type === "outbound-rtp") {
          const sent = entry.outbound[kind] ?? { packetsSent: 0 };
          sent.packetsSent += Number(stat.packetsSent ?? 0);
          entry.outbound[kind] = sent;
        }
      });
      out.push(entry);
    }
    return out;
  }
}
