import { describe, expect, it } from "vitest";
import type { Coverage, ProgressEntry, ReportEnvelope, Timing } from "../../api";
import {
  canRelease,
  clockFrom,
  coverageRows,
  coverageSummary,
  formatGap,
  formatLevel,
  formatScore,
  formatShare,
  gapSummary,
  overrunSteps,
  progressChartData,
  quoteWhere,
  reportPhase,
  semanticNote,
  selfAssessmentBody,
  shortStepTitle,
  stepsWithData,
  svgDataUrl,
  timeChartData,
} from "./shape";

const envelope = (over: Partial<ReportEnvelope> = {}): ReportEnvelope => ({
  status: "pending",
  error: "",
  attempts: 0,
  updated_at: "2025-01-01T10:00:00Z",
  finished_at: null,
  released: false,
  content: null,
  ...over,
});

describe("reportPhase", () => {
  it("says the interview is not over while the session is live, whatever the report row says", () => {
    expect(reportPhase(envelope({ status: "pending" }), "live")).toEqual({ kind: "not-ended" });
    expect(reportPhase(envelope({ status: "pending" }), "scheduled")).toEqual({ kind: "not-ended" });
  });

  it("shows pending and running as building", () => {
    expect(reportPhase(envelope({ status: "pending" }), "ended")).toEqual({ kind: "building", status: "pending" });
    expect(reportPhase(envelope({ status: "running" }), "ended")).toEqual({ kind: "building", status: "running" });
  });

  it("carries the failure reason", () => {
    expect(reportPhase(envelope({ status: "failed", error: "KeyError: 'x'" }), "ended")).toEqual({
      kind: "failed",
      error: "KeyError: 'x'",
    });
  });

  it("treats a ready report without content as hidden from this viewer", () => {
    expect(reportPhase(envelope({ status: "ready" }), "ended")).toEqual({ kind: "hidden" });
    const content = {} as NonNullable<ReportEnvelope["content"]>;
    expect(reportPhase(envelope({ status: "ready", content }), "ended")).toEqual({ kind: "ready" });
  });
});

describe("canRelease", () => {
  it("is only for the interviewer of an ended, unreleased session", () => {
    expect(canRelease("interviewer", "ended", false)).toBe(true);
    expect(canRelease("interviewer", "ended", true)).toBe(false);
    expect(canRelease("interviewer", "live", false)).toBe(false);
    expect(canRelease("candidate", "ended", false)).toBe(false);
    expect(canRelease(null, "ended", false)).toBe(false);
  });
});

describe("numbers", () => {
  it("formats levels with at most two decimals and no trailing zeros", () => {
    expect(formatLevel(3)).toBe("3");
    expect(formatLevel(2.5)).toBe("2.5");
    expect(formatLevel(2.3333)).toBe("2.33");
    expect(formatLevel("3.00")).toBe("3");
    expect(formatLevel(null)).toBe("—");
    expect(formatLevel("abc")).toBe("—");
  });

  it("formats weighted scores with two decimals", () => {
    expect(formatScore("2.8")).toBe("2.80");
    expect(formatScore("3.125")).toBe("3.13");
    expect(formatScore(null)).toBe("—");
  });
});

describe("formatGap", () => {
  it("signs the gap: self above the interviewer is +, below is a real minus", () => {
    expect(formatGap(1)).toEqual({ text: "+1", tone: "above", words: "you rated yourself higher" });
    expect(formatGap(-0.5)).toEqual({ text: "\u22120.5", tone: "below", words: "you rated yourself lower" });
    expect(formatGap(0)).toMatchObject({ text: "0", tone: "even" });
  });

  it("rounds to two decimals and treats rounding noise as agreement", () => {
    expect(formatGap(0.333333).text).toBe("+0.33");
    expect(formatGap(0.001).tone).toBe("even");
  });

  it("shows a dash when either side is missing", () => {
    expect(formatGap(null)).toMatchObject({ text: "—", tone: "none" });
    expect(formatGap(undefined).text).toBe("—");
  });

  it("summarises the mean distance over the steps compared", () => {
    const step = (gap: number | null) => ({ step: "s", title: "S", self_level: 1, interviewer_level: 1, gap });
    expect(gapSummary([step(1), step(-0.5), step(null)])).toEqual({ compared: 2, meanAbsGap: 0.75 });
    expect(gapSummary([step(null)])).toEqual({ compared: 0, meanAbsGap: null });
  });
});

const timing: Timing = {
  steps: [
    { key: "clarify", title: "Clarify requirements", planned_minutes: 5, actual_minutes: 1.5, overrun_minutes: 0, share: 0.05 },
    { key: "model", title: "Model development", planned_minutes: 10, actual_minutes: 19, overrun_minutes: 9, share: 0.633 },
    { key: "serving", title: "Deployment & serving", planned_minutes: 6, actual_minutes: 9.5, overrun_minutes: 3.5, share: 0.317 },
  ],
  total: { planned_minutes: 21, actual_minutes: 30, overrun_minutes: 12.5 },
};

describe("time", () => {
  it("turns steps into grouped-bar rows with short labels, overrun flags and percent shares", () => {
    const bars = timeChartData(timing);
    expect(bars.map((b) => b.label)).toEqual(["Clarify", "Model", "Deployment"]);
    expect(bars[1]).toEqual({
      key: "model",
      title: "Model development",
      label: "Model",
      planned: 10,
      actual: 19,
      overrun: 9,
      isOverrun: true,
      sharePercent: 63.3,
    });
    expect(bars[0]?.isOverrun).toBe(false);
  });

  it("lists overruns biggest first", () => {
    expect(overrunSteps(timing)).toEqual([
      { title: "Model development", overrun: 9 },
      { title: "Deployment & serving", overrun: 3.5 },
    ]);
  });

  it("shortens a one-word title to itself", () => {
    expect(shortStepTitle("Monitoring")).toBe("Monitoring");
  });
});

describe("coverage", () => {
  const coverage: Coverage = {
    steps: {
      clarify: { found: [{ name: "Scale", matched: "QPS" }], missing: ["Latency budget"] },
      monitoring: { found: [], missing: [] },
    },
    found: 1,
    total: 2,
  };

  it("keeps the server's step order and titles each row with a found-of-total count", () => {
    const rows = coverageRows(coverage, { clarify: "Clarify requirements" });
    expect(rows.map((r) => [r.key, r.title, r.summary])).toEqual([
      ["clarify", "Clarify requirements", "1 of 2"],
      ["monitoring", "monitoring", "0 of 0"],
    ]);
    expect(rows[0]?.found[0]?.matched).toBe("QPS");
  });

  it("summarises the whole interview", () => {
    expect(coverageSummary(coverage)).toBe("1 of 2 key concepts");
  });

  it("lists credits the interviewer rejected apart and still counts them in the total", () => {
    const reviewed: Coverage = {
      steps: { clarify: { found: [], missing: ["Latency budget"], rejected: [{ name: "Scale", matched: "QPS", override: "rejected" }] } },
      found: 0,
      total: 2,
      rejected: 1,
    };
    const [row] = coverageRows(reviewed, {});
    expect(row?.summary).toBe("0 of 2");
    expect(row?.rejected.map((r) => r.name)).toEqual(["Scale"]);
  });
});

describe("progress", () => {
  const history: ProgressEntry[] = [
    { session_id: "a", ended_at: "2025-01-01T10:00:00Z", case_study: "Feed ranking", step_levels: { clarify: 2, model: null }, weighted_score: "2.00" },
    { session_id: "b", ended_at: "2025-02-01T10:00:00Z", case_study: "Ads CTR", step_levels: { clarify: 3.5 }, weighted_score: null },
  ];

  it("makes one point per interview with a value (or null) for every step", () => {
    const data = progressChartData(history, ["clarify", "model", "monitoring"], (iso) => (iso ?? "").slice(0, 7));
    expect(data).toEqual([
      { sessionId: "a", label: "#1 2025-01", caseStudy: "Feed ranking", clarify: 2, model: null, monitoring: null },
      { sessionId: "b", label: "#2 2025-02", caseStudy: "Ads CTR", clarify: 3.5, model: null, monitoring: null },
    ]);
  });

  it("draws lines only for steps scored at least once", () => {
    expect(stepsWithData(history, ["clarify", "model", "monitoring"])).toEqual(["clarify"]);
  });
});

describe("whiteboard", () => {
  it("encodes the whole SVG into a data URL, so markup never reaches the DOM as HTML", () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>a & b <script>x</script> #1</text></svg>';
    const url = svgDataUrl(svg);
    expect(url.startsWith("data:image/svg+xml;charset=utf-8,")).toBe(true);
    expect(url).not.toMatch(/[<>#"& ]/);
    expect(decodeURIComponent(url.slice(url.indexOf(",") + 1))).toBe(svg);
  });
});

describe("selfAssessmentBody", () => {
  it("sends only the steps given a level 1..4", () => {
    expect(selfAssessmentBody({ clarify: 3, frame: null, data: 0, model: 5, evaluation: 2.5, serving: 4 })).toEqual({
      levels: { clarify: 3, serving: 4 },
    });
  });
});

describe("evidence", () => {
  const titles = { data: "Data preparation" };
  it("says where, how far into the interview and in which step a quote was written", () => {
    const quote = { quote: "downsample negs", source: "board" as const, at: "2025-01-01T10:12:30Z", step: "data" };
    expect(quoteWhere(quote, "2025-01-01T10:00:00Z", titles)).toBe("on the board · 12 min in · during Data preparation");
  });
  it("says a quote was said aloud when it comes from the transcript", () => {
    const quote = { quote: "we use NDCG", source: "speech" as const, at: "2025-01-01T10:31:05Z", step: "data" };
    expect(quoteWhere(quote, "2025-01-01T10:00:00Z", titles)).toBe("said aloud · 31 min in · during Data preparation");
  });
  it("leaves out what it does not know", () => {
    expect(quoteWhere({ quote: "x", source: "text", at: null, step: null }, null, titles)).toBe("");
    expect(quoteWhere({ quote: "x", source: "chat", at: "2025-01-01T10:00:00Z", step: null }, null, titles)).toBe("in the chat");
  });
  it("notes an unavailable semantic signal and is silent otherwise, or for old reports", () => {
    const base: Coverage = { steps: {}, found: 0, total: 0 };
    expect(semanticNote(base)).toBeNull();
    expect(semanticNote({ ...base, semantic: { available: true, model: "m", reason: "" } })).toBeNull();
    expect(semanticNote({ ...base, semantic: { available: false, model: "m", reason: "package missing (onnxruntime)" } })).toContain(
      "Semantic signal unavailable (package missing (onnxruntime))",
    );
  });
});

describe("transcript", () => {
  it("gives each line its minute and second into the interview", () => {
    expect(clockFrom("2025-01-01T10:12:05.900Z", "2025-01-01T10:00:00Z")).toBe("12:05");
    expect(clockFrom("2025-01-01T09:59:50Z", "2025-01-01T10:00:00Z")).toBe("-0:10");
    expect(clockFrom("2025-01-01T10:00:00Z", null)).toBe("");
  });
  it("shows speaking shares as percentages, and a dash when nobody spoke", () => {
    expect(formatShare(0.625)).toBe("63%");
    expect(formatShare(null)).toBe("—");
  });
});
