/**
 * Records one microphone track as a series of standalone Opus files: the MediaRecorder is
 * stopped and started again every SEGMENT_MS, so each chunk has its own container header and can
 * be decoded alone (the pieces one recorder emits with a `timeslice` cannot). Times are on the
 * server's clock (`clockOffset` = server time - local time, from the room's pong).
 */

export const SEGMENT_MS = 10_000;
export const AUDIO_BITS_PER_SECOND = 24_000;

export interface RecordedChunk {
  index: number;
  start: number;
  duration: number;
  type: string;
  blob: Blob;
}

/** The first type this browser can record: WebM/Opus (Chromium, Firefox), then Ogg/Opus. */
export function recordingType(isSupported: (type: string) => boolean): string | null {
  for (const type of ["audio/webm;codecs=opus", "audio/ogg;codecs=opus"]) {
    if (isSupported(type)) return type;
  }
  return null;
}

type RecorderFactory = (stream: MediaStream, options: MediaRecorderOptions) => MediaRecorder;

export class SegmentedRecorder {
  private recorder: MediaRecorder | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private active = false;
  private segmentStart = 0;

  constructor(
    private readonly track: MediaStreamTrack,
    private readonly onChunk: (chunk: RecordedChunk) => void,
    /** Hands out the next chunk index when a chunk is finished: the owner numbers the chunks
     * of every recorder it starts (a new one after a device change or an unmute), so a stopping
     * recorder's last chunk and the next recorder's first never share an index. */
    private readonly nextIndex: () => number,
    private readonly clockOffset: () => number,
    private readonly type: string,
    private readonly create: RecorderFactory = (stream, options) => new MediaRecorder(stream, options),
    private readonly now: () => number = Date.now,
  ) {}

  /** The microphone track this recorder records. */
  get source(): MediaStreamTrack {
    return this.track;
  }

  get recording(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.segment();
  }

  /** Stops after handing over the last partial chunk. */
  stop(): void {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.recorder?.state === "recording") this.recorder.stop();
  }

  private segment(): void {
    const recorder = this.create(new MediaStream([this.track]), {
      mimeType: this.type,
      audioBitsPerSecond: AUDIO_BITS_PER_SECOND,
    });
    const parts: Blob[] = [];
    const start = this.now();
    this.segmentStart = start;
    recorder.addEventListener("dataavailable", (event) => {
      if ((event as BlobEvent).data.size > 0) parts.push((event as BlobEvent).data);
    });
    recorder.addEventListener("stop", () => {
      const duration = this.now() - start;
      if (parts.length > 0 && duration > 0) {
        this.onChunk({
          index: this.nextIndex(),
          start: start + this.clockOffset(),
          duration: Math.min(duration, 60_000),
          type: this.type.split(";")[0] ?? this.type,
          blob: new Blob(parts, { type: this.type }),
        });
      }
      // The next file starts as this one ends; a gap of a few ms between files is inaudible.
      if (this.active) this.segment();
    });
    this.recorder = recorder;
    recorder.start();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (recorder.state === "recording") recorder.stop();
    }, SEGMENT_MS);
  }

  /** When the current file began (local clock), for the indicator's elapsed time. */
  get currentSegmentStart(): number {
    return this.segmentStart;
  }
}
