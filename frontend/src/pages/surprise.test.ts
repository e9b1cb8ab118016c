import { describe, expect, it } from "vitest";
import { pickUnpractised } from "./surprise";

describe("pickUnpractised", () => {
  const cases = [{ slug: "a" }, { slug: "b" }, { slug: "c" }];
  it("never picks a practised case while others are left", () => {
    for (const r of [0, 0.49, 0.99]) {
      expect(pickUnpractised(cases, ["a", "c"], () => r).pick?.slug).toBe("b");
    }
  });
  it("falls back to any case once all were practised, and says so", () => {
    const result = pickUnpractised(cases, ["a", "b", "c"], () => 0.5);
    expect(result.allPractised).toBe(true);
    expect(result.pick?.slug).toBe("b");
  });
  it("handles an empty library", () => {
    expect(pickUnpractised([], [], () => 0.3).pick).toBeNull();
  });
});
