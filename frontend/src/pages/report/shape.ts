/**
 * Pure data shaping for the report page: what the charts, tables and the status header show,
 * computed from the report content so that it can be tested without a browser.
 */
import type { ReportStatus, SessionRole } from "../../api";
import type { Coverage, FoundConcept, ProgressEntry, Quote, ReportEnvelope, SelfAssessmentStep, Timing } from "../../api/report";

// ---------------------------------------------------------------- what the page is showing

export type ReportPhase =
  /** The interview is still running (or has not started): there is nothing to build yet. */
  | { kind: "not-ended" }
  | { kind: "building"; status: Extract<ReportStatus, "pending" | "running"> }
  | { kind: "failed"; error: string }
  /** Ready, but this viewer may not see it until the interviewer releases it. */
  | { kind: "hidden" }
  | { kind: "ready" };

/**
 * Which state the page is in. A ready report whose content is missing is hidden from this
 * viewer (the server sends content only to those who may see it); a ready report being rebuilt
 * (a regenerate or a self-assessment) shows as building, with the old content kept on screen by
 * the caller if it has it.
 */
export function reportPhase(report: ReportEnvelope, sessionStatus: string | undefined): ReportPhase {
  if (sessionStatus !== "ended") return { kind: "not-ended" };
  switch (report.status) {
    case "pending":
    case "running":
      return { kind: "building", status: report.status };
    case "failed":
      return { kind: "failed", error: report.error };
    case "ready":
      return report.content ? { kind: "ready" } : { kind: "hidden" };
  }
}

/** Interviewer controls: whether "Release to candidate" applies (not yet released, not auto). */
export function canRelease(role: SessionRole | null, sessionStatus: string | undefined, released: boolean): boolean {
  return role === "interviewer" && sessionStatus === "ended" && !released;
}

// ---------------------------------------------------------------- numbers

/** A score or level for display: at most two decimals, trailing zeros dropped ("2.5", "3"). */
export function formatLevel(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n)) return "—";
  return String(Math.round(n * 100) / 100);
}

/** A weighted score out of 4 with two decimals ("2.85"), or "—". */
export function formatScore(value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const n = Number(value);
  return Number.isFinite(n) ? n.toFixed(2) : "—";
}

export function formatMinutes(value: number): string {
  return `${formatLevel(value)} min`;
}

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

export type GapTone = "above" | "below" | "even" | "none";

/**
 * Self level minus the interviewer's: "+1" when the candidate rated themselves higher,
 * "−0.5" (a real minus sign) when lower, "0" when they agree, "—" when either is missing.
 * The tone says which way it went, for colour and for words.
 */
export function formatGap(gap: number | null | undefined): { text: string; tone: GapTone; words: string } {
  if (gap === null || gap === undefined || !Number.isFinite(gap)) {
    return { text: "—", tone: "none", words: "no comparison" };
  }
  const rounded = Math.round(gap * 100) / 100;
  if (rounded === 0) return { text: "0", tone: "even", words: "you agree" };
  if (rounded > 0) return { text: `+${rounded}`, tone: "above", words: "you rated yourself higher" };
  return { text: `\u2212${Math.abs(rounded)}`, tone: "below", words: "you rated yourself lower" };
}

/** Summary of the self-assessment comparison: how many steps compared, and the mean |gap|. */
export function gapSummary(steps: SelfAssessmentStep[]): { compared: number; meanAbsGap: number | null } {
  const gaps = steps.map((s) => s.gap).filter((g): g is number => g !== null && Number.isFinite(g));
  if (gaps.length === 0) return { compared: 0, meanAbsGap: null };
  const mean = gaps.reduce((a, g) => a + Math.abs(g), 0) / gaps.length;
  return { compared: gaps.length, meanAbsGap: Math.round(mean * 100) / 100 };
}

// ---------------------------------------------------------------- time

/** "Clarify requirements" → "Clarify": short enough for a chart axis. */
export function shortStepTitle(title: string): string {
  return title.split(/\s+/)[0] ?? title;
}

export interface TimeBar {
  key: string;
  title: string;
  label: string;
  planned: number;
  actual: number;
  overrun: number;
  isOverrun: boolean;
  /** Percent 0..100 of the interview's actual time. */
  sharePercent: number;
}

export function timeChartData(time: Timing): TimeBar[] {
  return time.steps.map((step) => ({
    key: step.key,
    title: step.title,
    label: shortStepTitle(step.title),
    planned: step.planned_minutes,
    actual: step.actual_minutes,
    overrun: step.overrun_minutes,
    isOverrun: step.overrun_minutes > 0,
    sharePercent: Math.round(step.share * 1000) / 10,
  }));
}

/** The steps with overruns, biggest first, for a sentence under the chart. */
export function overrunSteps(time: Timing): { title: string; overrun: number }[] {
  return time.steps
    .filter((s) => s.overrun_minutes > 0)
    .sort((a, b) => b.overrun_minutes - a.overrun_minutes)
    .map((s) => ({ title: s.title, overrun: s.overrun_minutes }));
}

// ---------------------------------------------------------------- coverage

export interface CoverageRow {
  key: string;
  title: string;
  found: FoundConcept[];
  missing: string[];
  /** Credits the interviewer rejected: listed, not counted. */
  rejected: FoundConcept[];
  /** "2 of 5" */
  summary: string;
}

export function coverageRows(coverage: Coverage, titles: Record<string, string>): CoverageRow[] {
  return Object.entries(coverage.steps).map(([key, step]) => ({
    key,
    title: titles[key] ?? key,
    found: step.found,
    missing: step.missing,
    rejected: step.rejected ?? [],
    summary: `${step.found.length} of ${step.found.length + step.missing.length + (step.rejected ?? []).length}`,
  }));
}

export function coverageSummary(coverage: Coverage): string {
  return `${coverage.found} of ${coverage.total} key concepts`;
}

// ---------------------------------------------------------------- evidence

/**
 * Where and when a quote was written, in words: "on the board · 12 min in · during Data
 * preparation". Minutes are counted from the interview's start when both times are known.
 */
export function quoteWhere(quote: Quote, startedAt: string | null | undefined, titles: Record<string, string>): string {
  const parts: string[] = [];
  if (quote.source === "board") parts.push("on the board");
  else if (quote.source === "chat") parts.push("in the chat");
  else if (quote.source === "speech") parts.push("said aloud");
  if (quote.at && startedAt) {
    const minutes = (Date.parse(quote.at) - Date.parse(startedAt)) / 60000;
    if (Number.isFinite(minutes) && minutes >= 0) parts.push(`${Math.floor(minutes)} min in`);
  }
  if (quote.step) parts.push(`during ${titles[quote.step] ?? quote.step}`);
  return parts.join(" · ");
}

/** The sentence under the coverage table when the semantic signal was not used, else null. */
export function semanticNote(coverage: Coverage): string | null {
  const signal = coverage.semantic;
  if (!signal || signal.available) return null;
  const why = signal.reason ? ` (${signal.reason})` : "";
  return `Semantic signal unavailable${why}: mentions the words alone could not settle were decided by fixed rules.`;
}

// ---------------------------------------------------------------- progress

export interface ProgressPoint {
  sessionId: string;
  label: string;
  caseStudy: string;
  /** Step key → level (null when that step was not scored in the session). */
  [step: string]: string | number | null;
}

/** One point per ended interview (oldest first) with a level per step, for a line chart. */
export function progressChartData(history: ProgressEntry[], stepKeys: string[], formatDate: (iso: string | null) => string): ProgressPoint[] {
  return history.map((entry, i) => {
    const point: ProgressPoint = {
      sessionId: entry.session_id,
      label: `#${i + 1} ${formatDate(entry.ended_at)}`,
      caseStudy: entry.case_study,
    };
    for (const key of stepKeys) point[key] = entry.step_levels[key] ?? null;
    return point;
  });
}

/** Steps that have at least one scored level in the history (lines worth drawing). */
export function stepsWithData(history: ProgressEntry[], stepKeys: string[]): string[] {
  return stepKeys.filter((key) => history.some((entry) => typeof entry.step_levels[key] === "number"));
}

// ---------------------------------------------------------------- whiteboard

/**
 * A server-rendered SVG as an image URL. Shown through <img>, an SVG cannot run script or load
 * anything, whatever it contains; it is never put into the DOM as markup.
 */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

// ---------------------------------------------------------------- self-assessment

/** The form's state as the API's body: only the steps given a level 1..4. */
export function selfAssessmentBody(levels: Record<string, number | null>): { levels: Record<string, number> } {
  const out: Record<string, number> = {};
  for (const [key, level] of Object.entries(levels)) {
    if (typeof level === "number" && Number.isInteger(level) && level >= 1 && level <= 4) out[key] = level;
  }
  return { levels: out };
}

// ---------------------------------------------------------------- transcript

/** "12:05": minutes and seconds from the start of the interview to `at`; "" when unknown. */
export function clockFrom(at: string, startedAt: string | null | undefined): string {
  if (!startedAt) return "";
  const seconds = Math.floor((Date.parse(at) - Date.parse(startedAt)) / 1000);
  if (!Number.isFinite(seconds)) return "";
  const sign = seconds < 0 ? "-" : "";
  const abs = Math.abs(seconds);
  return `${sign}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, "0")}`;
}

/** "62%" of speaking time, or "—" when nobody spoke. */
export function formatShare(share: number | null | undefined): string {
  return share === null || share === undefined ? "—" : `${Math.round(share * 100)}%`;
}
