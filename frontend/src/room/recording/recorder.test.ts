import { describe, expect, it, vi } from "vitest";
import { recordingType, SEGMENT_MS, SegmentedRecorder, type RecordedChunk } from "./recorder";

class FakeRecorder extends EventTarget {
  state: "inactive" | "recording" = "inactive";
  static made = 0;
  constructor() {
    super();
    FakeRecorder.made += 1;
  }
  start() {
    this.state = "recording";
  }
  stop() {
    this.state = "inactive";
    this.dispatchEvent(Object.assign(new Event("dataavailable"), { data: new Blob(["opus"]) }));
    this.dispatchEvent(new Event("stop"));
  }
}

describe("recordingType", () => {
  it("prefers WebM/Opus and falls back to Ogg/Opus", () => {
    expect(recordingType(() => true)).toBe("audio/webm;codecs=opus");
    expect(recordingType((t) => t.startsWith("audio/ogg"))).toBe("audio/ogg;codecs=opus");
    expect(recordingType(() => false)).toBeNull();
  });
});

describe("SegmentedRecorder", () => {
  it("starts a new file every segment, numbered on, timed on the server's clock", () => {
    vi.useFakeTimers();
    globalThis.MediaStream ??= class {} as unknown as typeof MediaStream;
    let now = 50_000;
    const chunks: RecordedChunk[] = [];
    let next = 5;
    FakeRecorder.made = 0;
    const rec = new SegmentedRecorder(
      {} as MediaStreamTrack,
      (c) => chunks.push(c),
      () => next++,
      () => 1_000,
      "audio/webm;codecs=opus",
      () => new FakeRecorder() as unknown as MediaRecorder,
      () => now,
    );
    rec.start();
    for (let i = 0; i < 3; i += 1) {
      now += SEGMENT_MS;
      vi.advanceTimersByTime(SEGMENT_MS);
    }
    now += 2_500;
    rec.stop();
    expect(chunks.map((c) => c.index)).toEqual([5, 6, 7, 8]);
    expect(chunks[0]).toMatchObject({ start: 51_000, duration: SEGMENT_MS, type: "audio/webm" });
    expect(chunks[3]?.duration).toBe(2_500);
    expect(FakeRecorder.made).toBe(4); // one recorder per file: each chunk has its own header
    expect(rec.recording).toBe(false);
    vi.useRealTimers();
  });
});
