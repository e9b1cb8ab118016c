/**
 * Who is speaking: the loudness of an audio stream (WebAudio AnalyserNode, read a few times a
 * second) and a detector with hysteresis, so the indicator neither flickers between syllables
 * nor lights up on background hiss.
 */

/** Root mean square of samples in [-1, 1]. */
export function rms(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/** Speech is louder than this to start the indicator (RMS; quiet speech into a laptop mic is ~0.02-0.05). */
export const SPEAKING_ON = 0.02;
/** ...and must fall below this to count as silence again. */
export const SPEAKING_OFF = 0.01;
/** The indicator stays on this long after the level dropped (pauses between words). */
export const SPEAKING_HOLD_MS = 500;

export class SpeakingDetector {
  speaking = false;
  private lastLoudAt = -Infinity;

  constructor(
    private readonly on = SPEAKING_ON,
    private readonly off = SPEAKING_OFF,
    private readonly holdMs = SPEAKING_HOLD_MS,
  ) {}

  /** Feed one level reading; returns whether the person counts as speaking. */
  update(level: number, now: number): boolean {
    if (level >= this.on || (this.speaking && level >= this.off)) {
      this.lastLoudAt = now;
      this.speaking = true;
    } else if (this.speaking && now - this.lastLoudAt >= this.holdMs) {
      this.speaking = false;
    }
    return this.speaking;
  }
}

/** Reads the level of one stream's audio. Chromium's WebAudio hears a remote WebRTC stream only
 * while a media element also plays it; the call's <audio> elements do. */
export class LevelMeter {
  private readonly source: MediaStreamAudioSourceNode;
  private readonly analyser: AnalyserNode;
  private readonly buffer: Float32Array<ArrayBuffer>;
  readonly detector = new SpeakingDetector();

  constructor(context: AudioContext, stream: MediaStream) {
    this.source = context.createMediaStreamSource(stream);
    this.analyser = context.createAnalyser();
    this.analyser.fftSize = 1024;
    this.buffer = new Float32Array(this.analyser.fftSize);
    this.source.connect(this.analyser);
  }

  /** Reads the level now; returns whether the person is speaking. */
  sample(now: number): boolean {
    this.analyser.getFloatTimeDomainData(this.buffer);
    return this.detector.update(rms(this.buffer), now);
  }

  close(): void {
    this.source.disconnect();
  }
}
