import { describe, expect, it } from "vitest";
import { followUpsForStep } from "./guide";
import type { Guide } from "./protocol";

function guide(follow_ups: Guide["follow_ups"]): Guide {
  return { clarifying_questions: [], steps: {}, pitfalls: [], follow_ups };
}

describe("followUpsForStep", () => {
  it("shows a follow-up at the step it names and nowhere else", () => {
    const g = guide([
      { question: "Where do labels come from?", step: "data" },
      { question: "What if the GPU pool halves?", step: "serving" },
    ]);
    expect(followUpsForStep(g, "data")).toEqual(["Where do labels come from?"]);
    expect(followUpsForStep(g, "serving")).toEqual(["What if the GPU pool halves?"]);
    expect(followUpsForStep(g, "model")).toEqual([]);
  });

  it("shows follow-ups without a step, and old plain strings, in the last two steps", () => {
    const g = guide(["What if traffic doubles?", { question: "Any step?", step: null }]);
    expect(followUpsForStep(g, "clarify")).toEqual([]);
    expect(followUpsForStep(g, "serving")).toEqual(["What if traffic doubles?", "Any step?"]);
    expect(followUpsForStep(g, "monitoring")).toEqual(["What if traffic doubles?", "Any step?"]);
  });

  it("has nothing to show without a guide", () => {
    expect(followUpsForStep(null, "data")).toEqual([]);
  });
});
