import { describe, expect, it } from "vitest";
import { rms, SPEAKING_HOLD_MS, SpeakingDetector } from "./level";

describe("rms", () => {
  it("is 0 for silence and the amplitude over √2 for a sine", () => {
    expect(rms(new Float32Array(128))).toBe(0);
    const sine = Float32Array.from({ length: 1000 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * i) / 100));
    expect(rms(sine)).toBeCloseTo(0.5 / Math.SQRT2, 3);
  });
});

describe("SpeakingDetector", () => {
  it("lights up on speech, holds through short pauses, and goes off after silence", () => {
    const d = new SpeakingDetector();
    expect(d.update(0.005, 0)).toBe(false); // background hiss
    expect(d.update(0.05, 100)).toBe(true);
    expect(d.update(0.015, 200)).toBe(true); // between the thresholds: still speaking
    expect(d.update(0.002, 300)).toBe(true); // a pause between words
    expect(d.update(0.002, 200 + SPEAKING_HOLD_MS - 1)).toBe(true);
    expect(d.update(0.002, 200 + SPEAKING_HOLD_MS)).toBe(false);
  });

  it("does not start on a level between the thresholds", () => {
    const d = new SpeakingDetector();
    expect(d.update(0.015, 0)).toBe(false);
  });
});
