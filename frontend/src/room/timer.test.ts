import { describe, expect, it } from "vitest";
import type { TimerState } from "./protocol";
import {
  clockOffset,
  clockOffsetFromPong,
  formatSeconds,
  overallClock,
  stepClock,
  stepRemainingSeconds,
  stepSpentSeconds,
  totalBudgetSeconds,
} from "./timer";

function timer(over: Partial<TimerState> = {}): TimerState {
  return {
    status: "running",
    current_step: 1,
    step: "frame",
    segment_started_at: 1_000_000,
    auto_advance: false,
    steps: [
      { key: "clarify", title: "Clarify", planned_seconds: 300, extra_seconds: 0, spent_seconds: 312.4 },
      { key: "frame", title: "Frame", planned_seconds: 300, extra_seconds: 120, spent_seconds: 10 },
      { key: "data", title: "Data", planned_seconds: 480, extra_seconds: 0, spent_seconds: 0 },
    ],
    ...over,
  };
}

describe("clock offset", () => {
  it("is server time minus local arrival time", () => {
    expect(clockOffset(5_000, 4_000)).toBe(1_000);
    expect(clockOffset(4_000, 5_000)).toBe(-1_000);
  });
  it("compares a pong with the midpoint of its round trip", () => {
    expect(clockOffsetFromPong(10_050, 1_000, 1_100)).toBe(9_000);
  });
});

describe("step arithmetic", () => {
  it("adds the running segment to the current step only", () => {
    const t = timer();
    expect(stepSpentSeconds(t, 1, 1_030_000)).toBeCloseTo(40);
    expect(stepSpentSeconds(t, 0, 1_030_000)).toBeCloseTo(312.4);
    expect(stepSpentSeconds(t, 2, 1_030_000)).toBe(0);
  });

  it("counts extra seconds from +2 min into the budget", () => {
    expect(stepRemainingSeconds(timer(), 1, 1_030_000)).toBeCloseTo(300 + 120 - 40);
  });

  it("does not advance while paused or before the start", () => {
    const paused = timer({ status: "paused", segment_started_at: null });
    expect(stepSpentSeconds(paused, 1, 9_999_999)).toBe(10);
    const notStarted = timer({ status: "not_started", segment_started_at: null });
    expect(stepRemainingSeconds(notStarted, 1, 9_999_999)).toBe(410);
  });

  it("never counts a segment that starts in the future (clock skew)", () => {
    expect(stepSpentSeconds(timer(), 1, 999_000)).toBe(10);
  });

  it("totals the budget with extensions", () => {
    expect(totalBudgetSeconds(timer())).toBe(300 + 420 + 480);
  });
});

describe("display", () => {
  it("formats minutes and hours", () => {
    expect(formatSeconds(0)).toBe("0:00");
    expect(formatSeconds(65)).toBe("1:05");
    expect(formatSeconds(3725)).toBe("1:02:05");
  });

  it("rounds the countdown up and shows overtime with a plus", () => {
    const t = timer({ current_step: 0, step: "clarify", steps: [
      { key: "clarify", title: "Clarify", planned_seconds: 300, extra_seconds: 0, spent_seconds: 0 },
    ] });
    expect(stepClock(t, 0, 1_000_000 + 0.4 * 1000)).toEqual({ seconds: 300, overtime: false, label: "5:00" });
    expect(stepClock(t, 0, 1_000_000 + 299.5 * 1000).label).toBe("0:01");
    expect(stepClock(t, 0, 1_000_000 + 300 * 1000)).toEqual({ seconds: 0, overtime: true, label: "+0:00" });
    expect(stepClock(t, 0, 1_000_000 + 372.9 * 1000)).toEqual({ seconds: 72, overtime: true, label: "+1:12" });
  });

  it("shows the same second on two screens with different local clocks", () => {
    const t = timer();
    const serverNow = 1_123_456;
    // Screen A's clock is 3 s behind the server, screen B's 2 s ahead; each knows its offset.
    const a = stepClock(t, 1, serverNow - 3_000 + 3_000);
    const b = stepClock(t, 1, serverNow + 2_000 - 2_000);
    expect(a).toEqual(b);
  });

  it("flags the interview as a whole in overtime", () => {
    const t = timer();
    expect(overallClock(t, 1_000_000).overtime).toBe(false);
    expect(overallClock(t, 1_000_000 + 2_000_000).overtime).toBe(true);
    expect(overallClock(t, 1_000_000).budget).toBe("20:00");
  });
});
