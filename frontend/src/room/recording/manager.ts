/**
 * The room's recording (docs/recording.md): this participant's answer to the recording question,
 * this browser's recorder and its upload queue, and a view of it all for the room's indicator and
 * consent dialog (`getView`/`subscribe`, for useSyncExternalStore).
 *
 * Fed by the room controller after every change of the room state (`onRoom`) and of the call
 * (the microphone: `recordingTrack`). It records this browser's own microphone only while
 * everything holds: both people said yes (the room's `recording.state` is `active`), the
 * interview is running (the server refuses chunks from before the start), it has not ended, the
 * microphone is on and held by this tab. Every chunk goes to IndexedDB first and leaves it only
 * when the server has stored it (queue.ts). A refusal or withdrawal stops the recorder and
 * discards what was not sent; the end stops it and the queue goes on sending within the upload
 * grace period. After a reload the server's list of stored chunks decides what is sent again.
 */
import type { RecordingStatus as ApiRecordingStatus } from "../../api";
import type { RecordingStatus, Role } from "../protocol";
import { ChunkUploader, type ChunkStore, type Put } from "./queue";
import { recordingType, SegmentedRecorder, type RecordedChunk } from "./recorder";

export interface RecordingApi {
  status(sessionId: string): Promise<ApiRecordingStatus>;
  consent(sessionId: string, consent: boolean): Promise<ApiRecordingStatus>;
  remove(sessionId: string): Promise<ApiRecordingStatus>;
}

/** What the manager needs to know of the room, read from its state after every change. */
export interface RoomFacts {
  me: { userId: number; role: Role } | null;
  /** The room's recording status (`state` snapshot, then `recording.status` messages). */
  recording: RecordingStatus | null;
  /** The timer has started (the session is live: the server takes chunks from then on). */
  started: boolean;
  ended: boolean;
}

export interface Recorder {
  readonly source: MediaStreamTrack;
  start(): void;
  stop(): void;
}

export type RecorderFactory = (
  track: MediaStreamTrack,
  onChunk: (chunk: RecordedChunk) => void,
  nextIndex: () => number,
  type: string,
) => Recorder;

/** Why this browser is not recording although recording is active for the room. */
export type NotCapturing = "no-microphone" | "unsupported" | "limit" | null;

export interface RecordingView {
  myRole: Role | null;
  /** Interviewer or candidate: the people who are asked, record, and may delete. */
  participant: boolean;
  /** The interview runs (started, not ended): recording happens only then. */
  live: boolean;
  /** When both said yes (server clock); null unless both did. */
  activeSince: number | null;
  /** The room's status: everyone sees it. */
  state: RecordingStatus["state"] | null;
  consents: RecordingStatus["consents"] | null;
  /** This person's answer; undefined until the server said (or for observers). */
  myConsent: boolean | null | undefined;
  /** Show the recording question now. */
  ask: boolean;
  /** This browser records its microphone right now. */
  capturing: boolean;
  /** Recording is active for the room, but not in this browser, and why. */
  notCapturing: NotCapturing;
  /** Chunks kept in this browser that the server does not have yet. */
  unsent: number;
  /** Chunks this page has recorded (sent or not). */
  recorded: number;
  /** Chunks of this interview on the server (both people's), from the last status read. */
  stored: number;
  deleted: boolean;
  busy: boolean;
  error: string | null;
}

export interface RecordingDeps {
  api: RecordingApi;
  store: ChunkStore;
  put: Put;
  /** The server clock minus this browser's, ms (the room's clock offset). */
  clockOffset: () => number;
  /** The MediaRecorder type this browser can record, or null. */
  type?: string | null;
  createRecorder?: RecorderFactory;
  schedule?: (fn: () => void, ms: number) => ReturnType<typeof setTimeout>;
}

/** After a failed status read, wait this long before the next room change tries again. */
const LOAD_RETRY_MS = 5_000;

function browserType(): string | null {
  if (typeof MediaRecorder === "undefined") return null;
  return recordingType((type) => MediaRecorder.isTypeSupported(type));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : "The request failed.";
}

export class RecordingManager {
  private facts: RoomFacts = { me: null, recording: null, started: false, ended: false };
  private track: MediaStreamTrack | null = null;
  private status: ApiRecordingStatus | null = null;
  private loading: Promise<void> | null = null;
  private uploader: ChunkUploader | null = null;
  private recorder: Recorder | null = null;
  private nextIndex = 0;
  /** Bytes of this person's chunks: on the server at the last read, plus those sent since. */
  private bytes = 0;
  private limitReached = false;
  private wasRefused = false;
  /** A chunk was refused with no_consent; cleared by the room's next recording status. */
  private serverRefused = false;
  private loadAfter = 0;
  private myConsent: boolean | null | undefined = undefined;
  private deleted = false;
  private busy = false;
  private error: string | null = null;
  private unsent = 0;
  private recorded = 0;
  private started = false;
  private view: RecordingView;
  private readonly listeners = new Set<() => void>();
  private readonly type: string | null;
  private readonly createRecorder: RecorderFactory;
  private readonly onOnline = () => this.uploader?.retryNow();

  constructor(
    private readonly sessionId: string,
    private readonly deps: RecordingDeps,
  ) {
    this.type = deps.type !== undefined ? deps.type : browserType();
    this.createRecorder =
      deps.createRecorder ??
      ((track, onChunk, nextIndex, type) => new SegmentedRecorder(track, onChunk, nextIndex, deps.clockOffset, type));
    this.view = this.buildView();
  }

  // ------------------------------------------------------------------ view

  getView = (): RecordingView => this.view;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    const next = this.buildView();
    const same = (Object.keys(next) as (keyof RecordingView)[]).every((key) => next[key] === this.view[key]);
    if (same) return;
    this.view = next;
    for (const listener of this.listeners) listener();
  }

  private get participant(): boolean {
    const role = this.facts.me?.role;
    return role === "interviewer" || role === "candidate";
  }

  private buildView(): RecordingView {
    const room = this.facts.recording;
    const active = room?.state === "active" && this.facts.started && !this.facts.ended;
    let notCapturing: NotCapturing = null;
    if (active && this.participant && this.myConsent === true && !this.recorder) {
      if (!this.type || !this.typeAllowed()) notCapturing = "unsupported";
      else if (this.limitReached) notCapturing = "limit";
      else if (!this.track) notCapturing = "no-microphone";
    }
    const counts = this.status?.transcription;
    return {
      myRole: this.facts.me?.role ?? null,
      participant: this.participant,
      live: this.facts.started && !this.facts.ended,
      activeSince: room?.active_since ?? null,
      state: room?.state ?? null,
      consents: room?.consents ?? null,
      myConsent: this.participant ? this.myConsent : undefined,
      ask: this.participant && this.myConsent === null && !this.facts.ended && !this.deleted,
      capturing: this.recorder !== null,
      notCapturing,
      unsent: this.unsent,
      recorded: this.recorded,
      stored: counts ? counts.pending + counts.transcribed + counts.failed : 0,
      deleted: this.deleted,
      busy: this.busy,
      error: this.error,
    };
  }

  // ------------------------------------------------------------------ lifecycle

  start(): void {
    this.started = true;
    globalThis.addEventListener?.("online", this.onOnline);
  }

  stop(): void {
    this.started = false;
    globalThis.removeEventListener?.("online", this.onOnline);
    // Leaving the page: the last partial chunk still goes to IndexedDB and is sent after a
    // reload (or by another tab) if the server has not closed the interview for uploads.
    this.stopRecorder();
  }

  // ------------------------------------------------------------------ from the room

  /** The room state changed: follow it (called after every message; cheap when nothing that
   * matters here changed). */
  onRoom(facts: RoomFacts): void {
    const before = this.facts;
    const same =
      before.me?.userId === facts.me?.userId &&
      before.me?.role === facts.me?.role &&
      before.recording === facts.recording &&
      before.started === facts.started &&
      before.ended === facts.ended;
    this.facts = facts;
    if (same && this.status) return;
    if (facts.recording !== before.recording) this.serverRefused = false;
    if (this.participant && this.started && !this.status && !this.loading && Date.now() >= this.loadAfter) {
      this.loading = this.load().finally(() => {
        this.loading = null;
      });
    }
    this.discardIfRefused();
    if (facts.ended && !before.ended) void this.countUnsent();
    this.follow();
  }

  /** The call's microphone changed (on, muted, another device). */
  onTrack(track: MediaStreamTrack | null): void {
    this.track = track;
    this.follow();
  }

  /** The status as the server sees it, and the queue reconciled with it (after a reload too). */
  private async load(): Promise<void> {
    const me = this.facts.me;
    if (!me) return;
    try {
      const status = await this.deps.api.status(this.sessionId);
      this.adopt(status);
      this.uploader ??= new ChunkUploader(
        this.deps.store,
        this.sessionId,
        me.userId,
        (chunk) => this.deps.put(chunk),
        {
          onNoConsent: () => {
            // The server heard a refusal before this room did (the queue cleared itself): the
            // partial chunk the stopping recorder hands over is not kept either.
            this.serverRefused = true;
            this.discardIfRefused();
            this.follow();
          },
          onFinalFailure: (_chunk, _status, code) => {
            if (code === "too_large") {
              this.limitReached = true;
              this.stopRecorder();
            }
          },
          onSettled: () => void this.countUnsent(),
        },
        this.deps.schedule,
      );
      const indexes = status.chunks.map((c) => c.index);
      await this.uploader.forget(indexes);
      this.nextIndex = Math.max(this.nextIndex, await this.uploader.nextIndex(indexes));
      // Refused already (before this page loaded): what an earlier page kept is discarded now.
      this.wasRefused = this.refused();
      if (this.wasRefused) await this.discard();
      else await this.send();
    } catch (error) {
      this.error = `Could not read the recording status: ${describe(error)}`;
      this.status = null;
      this.loadAfter = Date.now() + LOAD_RETRY_MS;
    }
    this.follow();
  }

  private adopt(status: ApiRecordingStatus): void {
    this.status = status;
    this.myConsent = status.my_consent;
    this.bytes = status.chunks.reduce((sum, c) => sum + c.bytes, 0);
  }

  /** Recording was refused or withdrawn (by anyone), or this person deleted the recordings. */
  private refused(): boolean {
    return this.deleted || this.serverRefused || this.myConsent === false || this.facts.recording?.state === "refused";
  }

  /** Discard once per refusal (not on every message while it lasts); true while refused. */
  private discardIfRefused(): boolean {
    const refused = this.refused();
    if (refused && !this.wasRefused) void this.discard();
    this.wasRefused = refused;
    return refused;
  }

  private typeAllowed(): boolean {
    const base = this.type?.split(";")[0] ?? "";
    return this.status?.limits.content_types.includes(base) ?? false;
  }

  /** Start, stop or switch the recorder to match the room and the microphone. */
  private follow(): void {
    const should =
      this.started &&
      this.participant &&
      this.status !== null &&
      this.uploader !== null &&
      this.myConsent === true &&
      this.facts.recording?.state === "active" &&
      this.facts.started &&
      !this.facts.ended &&
      !this.refused() &&
      !this.limitReached &&
      this.typeAllowed() &&
      this.track !== null;
    if (!should || (this.recorder && this.recorder.source !== this.track)) this.stopRecorder();
    if (should && !this.recorder && this.track && this.type) {
      this.recorder = this.createRecorder(this.track, (chunk) => void this.keep(chunk), () => this.nextIndex++, this.type);
      this.recorder.start();
    }
    this.changed();
  }

  /** Muting pauses the recording rather than recording silence: a muted person expects not to
   * be heard, and the recorder reads the microphone itself (the call takes the track off its
   * connections, but the track keeps capturing), so it stops; silence would only cost uploads
   * and transcription. Each stop hands over the partial chunk, so nothing said before is lost. */
  private stopRecorder(): void {
    const recorder = this.recorder;
    this.recorder = null;
    recorder?.stop();
  }

  /** A finished chunk: into the queue (IndexedDB) first, then sent. */
  private async keep(chunk: RecordedChunk): Promise<void> {
    const limits = this.status?.limits;
    if (!this.uploader || !limits || this.refused()) return; // withdrawn meanwhile: never kept
    if (chunk.blob.size > limits.max_chunk_bytes) return; // cannot happen at a speech bitrate
    if (this.bytes + chunk.blob.size > limits.max_bytes_per_participant) {
      this.limitReached = true;
      this.stopRecorder();
      this.changed();
      return;
    }
    this.bytes += chunk.blob.size;
    this.recorded += 1;
    try {
      await this.uploader.add({
        index: chunk.index,
        start: chunk.start,
        duration: Math.min(chunk.duration, limits.max_chunk_ms),
        type: chunk.type,
        blob: chunk.blob,
      });
    } catch (error) {
      this.error = `Could not keep the recording in this browser: ${describe(error)}`;
    }
    await this.countUnsent();
  }

  private async send(): Promise<void> {
    await this.uploader?.flush();
    await this.countUnsent();
  }

  private async countUnsent(): Promise<void> {
    const before = this.unsent;
    this.unsent = (await this.uploader?.pending()) ?? 0;
    // After the end, once the last chunk is in, read how many the server holds (for "delete").
    if (this.facts.ended && this.unsent === 0 && (before > 0 || this.view.stored === 0)) await this.refreshCount();
    this.changed();
  }

  private async discard(): Promise<void> {
    this.stopRecorder();
    await this.uploader?.discard();
    await this.countUnsent();
  }

  private async refreshCount(): Promise<void> {
    if (!this.participant || !this.status) return;
    try {
      this.adopt(await this.deps.api.status(this.sessionId));
    } catch {
      // The count only decides whether "delete recordings" shows; the room's status does too.
    }
  }

  // ------------------------------------------------------------------ commands

  /** Answer the recording question, withdraw (false) or say yes again (true). */
  async answer(consent: boolean): Promise<void> {
    await this.request(async () => {
      const status = await this.deps.api.consent(this.sessionId, consent);
      if (consent) this.deleted = false;
      this.adopt(status);
      if (!consent) await this.discard();
    });
  }

  /** Delete both people's audio and the transcript (and withdraw this person's consent). */
  async deleteRecordings(): Promise<void> {
    await this.request(async () => {
      const status = await this.deps.api.remove(this.sessionId);
      this.deleted = true;
      this.adopt(status);
      await this.discard();
    });
  }

  private async request(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    this.changed();
    try {
      await work();
    } catch (error) {
      this.error = describe(error);
      throw error;
    } finally {
      this.busy = false;
      this.follow();
    }
  }
}
