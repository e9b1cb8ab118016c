import { describe, expect, it } from "vitest";
import { listenForStep } from "./listenFor";
import type { RoomRubric } from "./protocol";

const anchors = { "1": "none", "2": "some", "3": "solid answer", "4": "more" };

function rubric(gates?: string[]): RoomRubric {
  return {
    id: 1,
    name: "r",
    version: 2,
    levels: { "1": "Missing", "2": "Partial", "3": "Solid", "4": "Exceptional" },
    gates,
    criteria: [
      { key: "frame", title: "Frames", step: "frame", weight: "2", description: "", anchors, listen_for: ["the label"] },
      { key: "data", title: "Data", step: "data", weight: "2", description: "", anchors, listen_for: ["sources"] },
      { key: "depth", title: "Depth", step: null, weight: "1", description: "", anchors, listen_for: ["follow-ups hold"] },
    ],
  };
}

describe("listenForStep", () => {
  it("gives the step's cues, marks must-pass criteria, and the cross-cutting cues throughout", () => {
    const card = listenForStep(rubric(["frame"]), "frame");
    expect(card.step).toEqual([{ key: "frame", title: "Frames", mustPass: true, cues: ["the label"], anchors }]);
    expect(card.throughout.map((i) => [i.key, i.cues])).toEqual([["depth", ["follow-ups hold"]]]);
  });

  it("falls back to the solid anchor for rubrics without cues", () => {
    const old = rubric();
    old.criteria = old.criteria.map((c) => ({ ...c, listen_for: [] }));
    expect(listenForStep(old, "data").step[0]).toMatchObject({ mustPass: false, cues: ["solid answer"] });
  });

  it("has nothing to show without a rubric", () => {
    expect(listenForStep(null, "data")).toEqual({ step: [], throughout: [] });
  });
});
