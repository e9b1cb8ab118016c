/**
 * Typed calls the pages use. Types come from the generated schema; where the schema is vaguer
 * than the server (paginated lists, free-form JSON fields), the narrower shape is declared here
 * once, on top of the generated type.
 */
import { api, call, type Schemas } from "./client";
import type { paths } from "./schema";
import type { ReportEnvelope } from "./report";

export { ApiError, csrfToken } from "./client";
export type * from "./report";

export type User = Schemas["UserOutput"];
/** Who is logged in: `user` null (and `authenticated` false) when nobody is. */
export type Me = Schemas["MeOutput"];
export type Framework = Schemas["FrameworkOutput"];
export type FrameworkStep = Schemas["StepOutput"];
export type InviteInfo = Schemas["InviteDetailOutput"];
export type SessionRole = "interviewer" | "candidate" | "observer";
export type ReportStatus = "pending" | "running" | "ready" | "failed";
export type RecordingStatus = Schemas["RecordingStatusOutput"];

/** Case studies: `domain` and `difficulty` are the lowercase keys the filters take. */
export type CaseStudy = Omit<Schemas["CaseStudyOutput"], "domain" | "difficulty"> & {
  domain: string;
  difficulty: string;
};

/** What the library can filter by: domains with labels and counts, tags with counts. */
export type CaseStudyFacets = Omit<Schemas["CaseStudyFacetsOutput"], "domains"> & {
  domains: { value: string; label: string; count: number }[];
};

export interface Invite {
  token: string;
  role: SessionRole;
  url: string;
  expires_at: string;
  used: boolean;
}

/** The schema marks `report_status` optional (the serializer field has a default) though it is always sent. */
export type Session = Schemas["SessionOutput"];

export type SessionDetail = Session & {
  prompt: string;
  /** Only for the session's creator and its interviewer. */
  invites?: Invite[];
};

export type CreatedSession = SessionDetail & { invite: Invite };

/** DRF's page; the schema marks `next` and `previous` optional though DRF always sends them. */
export interface Paginated<T> {
  count: number;
  next?: string | null;
  previous?: string | null;
  results: T[];
}

export interface ScoreRow {
  criterion: string;
  title: string;
  step: string;
  weight: string;
  level: number | null;
  comment: string;
}

export interface ScoresResult {
  scores: ScoreRow[];
  weighted_score: string | null;
  band: string | null;
  scored_weight: string;
  target_level: "mid" | "senior" | "staff";
  /** "meets senior", "below senior, meets mid"; null for rubrics without level bars */
  verdict: string | null;
  /** must-pass criteria scored 1 or left unscored */
  gates_failed: string[];
}

type CaseStudyFilters = NonNullable<paths["/api/casestudies/"]["get"]["parameters"]["query"]>;

export type SessionCreateInput = Schemas["SessionListCreateInputRequest"];

/** A rubric with its level labels ("1": "Missing", …) and criteria with their anchors. */
export type RubricDetail = Omit<Schemas["RubricDetailOutput"], "levels" | "criteria"> & {
  levels: Record<string, string>;
  criteria: (Omit<Schemas["CriterionOutput"], "anchors"> & { anchors: Record<string, string> })[];
};

export type SelfAssessmentLevels = Schemas["SelfAssessmentOutput"];

/** Where the report downloads live (plain links: the browser saves what the server sends). */
export const reportDownloadUrl = (id: string, format: "pdf" | "json") =>
  `/api/sessions/${encodeURIComponent(id)}/report/${format}/`;

/** One recorded chunk's audio (a plain URL: an <audio> element fetches it, with ranges). */
export const replayAudioUrl = (id: string, chunkId: number) =>
  `/api/sessions/${encodeURIComponent(id)}/recording/audio/${chunkId}/`;

export const Api = {
  me: () => call<Me>(api.GET("/api/auth/me/")),
  login: (username: string, password: string) =>
    call<User>(api.POST("/api/auth/login/", { body: { username, password } })),
  signup: (username: string, password: string, email?: string) =>
    call<User>(api.POST("/api/auth/signup/", { body: { username, password, email: email ?? "" } })),
  logout: () => call<unknown>(api.POST("/api/auth/logout/")),

  framework: () => call<Framework>(api.GET("/api/framework/")),

  /** `domain` and `difficulty` are keys the page offers from the case studies' own values. */
  caseStudies: (
    filters: { domain?: string; difficulty?: string; tag?: string; search?: string } = {},
  ): Promise<Paginated<CaseStudy>> =>
    call(api.GET("/api/casestudies/", { params: { query: { ...(filters as CaseStudyFilters), page_size: 100 } } })),

  caseStudyFacets: () => call<CaseStudyFacets>(api.GET("/api/casestudies/facets/")),

  sessions: (
    filters: { status?: "scheduled" | "live" | "ended"; role?: "interviewer" | "candidate" | "observer"; page?: number } = {},
  ): Promise<Paginated<Session>> => call(api.GET("/api/sessions/", { params: { query: { ...filters, page_size: 100 } } })),

  /** Every session of mine (all pages, newest first). */
  async allSessions(): Promise<Session[]> {
    const out: Session[] = [];
    for (let page = 1; page <= 20; page++) {
      const chunk = await Api.sessions({ page });
      out.push(...chunk.results);
      if (!chunk.next) break;
    }
    return out;
  },

  session: (id: string): Promise<SessionDetail> =>
    call(api.GET("/api/sessions/{session_id}/", { params: { path: { session_id: id } } })),

  createSession: (input: SessionCreateInput): Promise<CreatedSession> => call(api.POST("/api/sessions/", { body: input })),

  scores: (id: string): Promise<ScoresResult> =>
    call(api.GET("/api/sessions/{session_id}/scores/", { params: { path: { session_id: id } } })),

  rubric: (rubricId: number): Promise<RubricDetail> =>
    call(api.GET("/api/rubrics/{rubric_id}/", { params: { path: { rubric_id: rubricId } } })),

  /** The report's status, and its content when ready and visible to me. */
  report: (id: string): Promise<ReportEnvelope> =>
    call(api.GET("/api/sessions/{session_id}/report/", { params: { path: { session_id: id } } })),
  regenerateReport: (id: string) =>
    call<Schemas["ReportRegenerateOutput"]>(
      api.POST("/api/sessions/{session_id}/report/regenerate/", { params: { path: { session_id: id } } }),
    ),
  /** Confirm or reject (null: take back) one credit or pitfall before release; the content after. */
  overrideReport: (id: string, body: Schemas["ReportOverrideInputRequest"]) =>
    call<Schemas["ReportOverrideOutput"]>(
      api.PUT("/api/sessions/{session_id}/report/overrides/", { params: { path: { session_id: id } }, body }),
    ),
  releaseFeedback: (id: string): Promise<SessionDetail> =>
    call(api.POST("/api/sessions/{session_id}/release/", { params: { path: { session_id: id } } })),
  /** My self-assessment, or null when I have not given one. */
  async selfAssessment(id: string): Promise<SelfAssessmentLevels | null> {
    const current = await call<Schemas["SelfAssessmentCurrent"]>(
      api.GET("/api/sessions/{session_id}/self-assessment/", { params: { path: { session_id: id } } }),
    );
    return current.self_assessment;
  },
  /** docs/recording.md: consent, the requester's uploaded chunks, transcription counts. */
  recording: (id: string): Promise<RecordingStatus> =>
    call(api.GET("/api/sessions/{session_id}/recording/", { params: { path: { session_id: id } } })),
  /** My answer to the recording question (docs/recording.md, "Consent"). */
  recordingConsent: (id: string, consent: boolean): Promise<RecordingStatus> =>
    call(
      api.POST("/api/sessions/{session_id}/recording/consent/", { params: { path: { session_id: id } }, body: { consent } }),
    ),
  /** Deletes both people's audio and the transcript, for good. */
  deleteRecordings: (id: string): Promise<RecordingStatus> =>
    call(api.DELETE("/api/sessions/{session_id}/recording/", { params: { path: { session_id: id } } })),
  /** The replay of an ended interview (409 before the end); `markers` only for the interviewer. */
  replay: (id: string) =>
    call<Schemas["ReplayOutput"]>(api.GET("/api/sessions/{session_id}/replay/", { params: { path: { session_id: id } } })),
  /** One page of the replay's board: a keyframe and the changes up to the next one. */
  replayBoardPage: (id: string, index: number) =>
    call<Schemas["ReplayBoardPageOutput"]>(
      api.GET("/api/sessions/{session_id}/replay/board/{index}/", { params: { path: { session_id: id, index } } }),
    ),
  saveSelfAssessment: (id: string, levels: Record<string, number>) =>
    call<SelfAssessmentLevels>(
      api.PUT("/api/sessions/{session_id}/self-assessment/", { params: { path: { session_id: id } }, body: { levels } }),
    ),

  invite: (token: string) =>
    call<InviteInfo>(api.GET("/api/invites/{token}/", { params: { path: { token } } })),
  acceptInvite: (token: string) =>
    call(api.POST("/api/invites/{token}/accept/", { params: { path: { token } } })),
};
