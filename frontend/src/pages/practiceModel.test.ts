import { describe, expect, it } from "vitest";
import type { Pairing, PairingInterview } from "../api/practice";
import { countdown, nextSlotDate, noShowFrom, pairingsSplit, ratingReveal, slotAdd, slotChange, slotProblems, slotRemove, slotsChanged, slotsForServer, slotsFromServer } from "./practiceModel";

const T = Date.parse("2026-12-02T10:00:00Z");

describe("countdown", () => {
  it("shows days and hours when a day or more away", () => {
    expect(countdown(T + (2 * 24 + 3) * 3600_000 + 59_000, T)).toEqual({ text: "in 2 d 3 h", past: false });
  });
  it("shows hours and minutes within a day", () => {
    expect(countdown(T + 3600_000 + 5 * 60_000, T).text).toBe("in 1 h 05 min");
  });
  it("counts minutes and seconds within the hour, never 0:00 before the start", () => {
    expect(countdown(T + 4 * 60_000 + 9_000, T).text).toBe("in 4:09");
    expect(countdown(T + 200, T).text).toBe("in 0:01");
  });
  it("says how long ago once the start has passed", () => {
    expect(countdown(T, T)).toEqual({ text: "starting now", past: true });
    expect(countdown(T - 12 * 60_000 - 1, T)).toEqual({ text: "started 12 min ago", past: true });
  });
});

function pairing(id: string, startsAt: number, status: Pairing["status"] = "scheduled"): Pairing {
  return {
    id,
    status,
    starts_at: new Date(startsAt).toISOString(),
    ends_at: new Date(startsAt + 90 * 60_000).toISOString(),
    partner: "ben",
    interviews: [],
    next_session_id: null,
    proposed_starts_at: null,
    proposed_by: null,
    late_cancel_from: new Date(startsAt - 12 * 3600_000).toISOString(),
    created_at: new Date(T - 3600_000).toISOString(),
  };
}

describe("pairingsSplit", () => {
  it("keeps scheduled pairings that have not ended as upcoming, soonest first", () => {
    const soon = pairing("soon", T + 3600_000);
    const later = pairing("later", T + 7200_000);
    const running = pairing("running", T - 30 * 60_000);
    const over = pairing("over", T - 2 * 3600_000);
    const cancelled = pairing("cancelled", T + 3600_000, "cancelled");
    const finished = { ...pairing("finished", T - 20 * 60_000), interviews: [interview(1), interview(2)] };
    const halfway = { ...pairing("halfway", T - 25 * 60_000), interviews: [interview(1), interview(2, { session_status: "scheduled" })] };
    const { upcoming, past } = pairingsSplit([later, over, cancelled, soon, running, finished, halfway], T);
    expect(upcoming.map((p) => p.id)).toEqual(["running", "halfway", "soon", "later"]);
    expect(past.map((p) => p.id)).toEqual(["cancelled", "finished", "over"]);
  });
  it("allows a no-show report 10 minutes after the start", () => {
    expect(noShowFrom(pairing("p", T))).toBe(T + 10 * 60_000);
  });
});

function interview(order: number, extra: Partial<PairingInterview> = {}): PairingInterview {
  return {
    order,
    session_id: null,
    session_status: "ended",
    interviewer: order === 1 ? "ann" : "ben",
    candidate: order === 1 ? "ben" : "ann",
    case_study: { slug: "c", title: "C", domain: "ads", difficulty: "medium" },
    scheduled_for: new Date(T).toISOString(),
    rating: null,
    rating_submitted: false,
    ...extra,
  };
}

describe("ratingReveal", () => {
  const rating = { preparedness: 3, hint_clarity: 3, feedback_quality: 3, comment: "", submitted_at: new Date(T).toISOString() };
  it("is not rated until the candidate submits", () => {
    expect(ratingReveal(interview(1), interview(2), T)).toEqual({ state: "not_rated" });
  });
  it("stays hidden until the other rating is in or 48 hours pass", () => {
    const mine = interview(1, { rating, rating_submitted: true });
    expect(ratingReveal(mine, interview(2), T + 3600_000)).toEqual({ state: "hidden", revealAt: T + 48 * 3600_000 });
    expect(ratingReveal(mine, interview(2), T + 48 * 3600_000)).toEqual({ state: "revealed" });
    expect(ratingReveal(mine, interview(2, { rating_submitted: true }), T)).toEqual({ state: "revealed" });
  });
});

describe("availability editing", () => {
  it("adds a first slot at 18:00 and the next one after the day's last", () => {
    let drafts = slotAdd([], 2);
    expect(slotsForServer(drafts)).toEqual([{ weekday: 2, start: "18:00", end: "20:00" }]);
    drafts = slotAdd(drafts, 2);
    expect(slotsForServer(drafts)[1]).toEqual({ weekday: 2, start: "20:00", end: "22:00" });
    drafts = slotAdd(drafts, 2);
    drafts = slotAdd(drafts, 2);
    // Never past midnight: the last ones are clipped to 22:00-24:00.
    expect(slotsForServer(drafts).at(-1)).toEqual({ weekday: 2, start: "22:00", end: "24:00" });
  });
  it("changes and removes rows by key and sends them ordered by day and start", () => {
    let drafts = slotsFromServer([
      { id: 1, weekday: 5, start: "10:00", end: "12:00" },
      { id: 2, weekday: 0, start: "19:00", end: "21:00" },
    ]);
    drafts = slotChange(drafts, drafts[0]!.key, { weekday: 6, start: "09:30" });
    expect(slotsForServer(drafts)).toEqual([
      { weekday: 0, start: "19:00", end: "21:00" },
      { weekday: 6, start: "09:30", end: "12:00" },
    ]);
    drafts = slotRemove(drafts, drafts[1]!.key);
    expect(slotsForServer(drafts)).toEqual([{ weekday: 6, start: "09:30", end: "12:00" }]);
  });
  it("tells whether the editor differs from what was saved, whatever the row order", () => {
    const saved = [
      { id: 1, weekday: 1, start: "18:00", end: "20:00" },
      { id: 2, weekday: 0, start: "18:00", end: "20:00" },
    ];
    const drafts = slotsFromServer([...saved].reverse());
    expect(slotsChanged(drafts, saved)).toBe(false);
    expect(slotsChanged(slotChange(drafts, drafts[0]!.key, { end: "21:00" }), saved)).toBe(true);
  });
});

describe("slotProblems", () => {
  const row = (key: string, weekday: number, start: string, end: string) => ({ key, weekday, start, end });
  it("names the row that is wrong, and nothing for good rows", () => {
    const problems = slotProblems([
      row("a", 0, "09:00", "11:00"),
      row("b", 0, "10:30", "12:00"),
      row("c", 1, "9:00", "10:00"),
      row("d", 2, "14:00", "13:00"),
      row("e", 3, "18:15", "20:00"),
      row("f", 4, "22:00", "24:00"),
      row("g", 1, "10:00", "11:00"),
    ]);
    expect(Object.keys(problems).sort()).toEqual(["a", "b", "c", "d", "e"]);
    expect(problems.a).toContain("10:30–12:00");
    expect(problems.b).toContain("09:00–11:00");
    expect(problems.d).toBe("This slot ends before it starts.");
  });
  it("lets slots on one day touch, and on different days share hours", () => {
    expect(slotProblems([row("a", 0, "09:00", "10:00"), row("b", 0, "10:00", "11:00"), row("c", 1, "09:00", "10:00")])).toEqual({});
  });
});

describe("nextSlotDate", () => {
  // Wednesday 2 December 2026, 10:00 UTC: 11:00 in Berlin, 19:00 in Tokyo.
  it("is today while enough of today's slot is left, in the profile's time zone", () => {
    expect(nextSlotDate({ weekday: 2, end: "13:00" }, "Europe/Berlin", T)).toBe("2026-12-02");
    // Until 12:00 Berlin leaves only 60 minutes: next week.
    expect(nextSlotDate({ weekday: 2, end: "12:00" }, "Europe/Berlin", T)).toBe("2026-12-09");
  });
  it("counts the days to the slot's weekday from the zone's own date", () => {
    expect(nextSlotDate({ weekday: 4, end: "20:00" }, "Europe/Berlin", T)).toBe("2026-12-04");
    expect(nextSlotDate({ weekday: 0, end: "20:00" }, "Europe/Berlin", T)).toBe("2026-12-07");
    // 10:00 UTC is already Wednesday evening in Tokyo and still Wednesday early morning in Honolulu.
    expect(nextSlotDate({ weekday: 3, end: "20:00" }, "Asia/Tokyo", T)).toBe("2026-12-03");
    expect(nextSlotDate({ weekday: 2, end: "23:00" }, "Pacific/Honolulu", T)).toBe("2026-12-02");
  });
});
