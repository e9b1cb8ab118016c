/**
 * The feedback report as `GET /api/sessions/<id>/report/` returns it, from the generated schema
 * (`ReportOutput`, `ReportContent`, built by `report_content` in
 * interviews/reports/build.py). Decimals (scores, weights) arrive as strings, step levels as
 * numbers (weighted means, so possibly fractional). Narrowed here where the schema is vaguer
 * than the server: the status is one of four values, and coverage and step levels are keyed by
 * step.
 */
import type { Schemas } from "./client";
import type { ReportStatus } from "./index";

type Generated = Schemas["ReportContent"];

export type ReportSession = Schemas["ReportSession"];
export type CriterionResult = Schemas["ReportCriterion"];
export type StepTime = Schemas["StepTime"];
export type Timing = Schemas["ReportTime"];
export type FoundConcept = Schemas["FoundConcept"];
export type StepCoverage = Schemas["StepCoverage"];
export type Pitfall = Schemas["ReportPitfall"];
/** The candidate's words behind a credit or a pitfall (absent in reports built before v2). */
export type Quote = Schemas["Quote"];
export type SemanticSignal = Schemas["SemanticSignal"];
export type BoardSnapshot = Schemas["BoardSnapshot"];
export type Whiteboard = Schemas["ReportWhiteboard"];
export type SelfAssessmentStep = Schemas["SelfAssessedStep"];
export type SelfAssessment = Schemas["ReportSelfAssessment"];
export type StepAverage = Schemas["WeakStep"];
export type Recommendation = Schemas["Recommendation"];
export type SharedNote = Schemas["SharedNote"];
/** What was said, by step, and speaking time (absent in reports built before v3). */
export type Transcript = Schemas["ReportTranscript"];
export type TranscriptStep = Schemas["TranscriptStep"];
export type SpeakingTime = Schemas["SpeakingTime"];

/** Step key → level; a step nobody scored is null (or, from older content, absent). */
export type StepLevels = Record<string, number | null>;

export type RubricResult = Omit<Schemas["ReportRubric"], "step_levels"> & { step_levels: StepLevels };

export type Coverage = Omit<Schemas["ReportCoverage"], "steps"> & {
  /** Step key → coverage, in framework order (steps the case's guide has). */
  steps: Record<string, StepCoverage>;
};

export type ProgressEntry = Omit<Schemas["PastSession"], "step_levels"> & { step_levels: StepLevels };

export type Progress = Omit<Schemas["ReportProgress"], "history"> & { history: ProgressEntry[] };

export type ReportContent = Omit<Generated, "rubric" | "coverage" | "progress"> & {
  rubric: RubricResult;
  coverage: Coverage;
  progress: Progress;
};

export type ReportEnvelope = Omit<Schemas["ReportOutput"], "status" | "content"> & {
  status: ReportStatus;
  /** Null unless the report is ready and this viewer may see it. */
  content: ReportContent | null;
};
