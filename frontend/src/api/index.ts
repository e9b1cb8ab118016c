/**
 * Typed calls the pages use. Types come from the generated schema; where the schema is vaguer
 * than the server (paginated lists, free-form JSON fields), the narrower shape is declared here
 * once, on top of the generated type.
 */
import { api, ApiError, call, type Schemas } from "./client";
import type { ReportEnvelope } from "./report";

export { ApiError } from "./client";
export type * from "./report";

export type User = Schemas["UserOutput"];
export type Framework = Schemas["FrameworkOutput"];
export type FrameworkStep = Schemas["StepOutput"];
export type InviteInfo = Schemas["InviteDetailOutput"];
export type SessionRole = "interviewer" | "candidate" | "observer";
export type ReportStatus = "pending" | "running" | "ready" | "failed";

/** Case studies: `domain` and `difficulty` are the lowercase keys the filters take. */
export type CaseStudy = Omit<Schemas["CaseStudyOutput"], "domain" | "difficulty"> & {
  domain: string;
  difficulty: string;
};

export interface Invite {
  token: string;
  role: SessionRole;
  url: string;
  expires_at: string;
  used: boolean;
}

export type Session = Omit<Schemas["SessionOutput"], "plan" | "report_status" | "my_role"> & {
  plan: Record<string, number>;
  report_status: ReportStatus | null;
  my_role: SessionRole | null;
};

export type SessionDetail = Session & {
  prompt: string;
  /** Only for the session's creator and its interviewer. */
  invites?: Invite[];
};

export type CreatedSession = SessionDetail & { invite: Invite };

export interface Paginated<T> {
  count: number;
  next: string | null;
  previous: string | null;
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
}

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

export const Api = {
  me: () => call<User>(api.GET("/api/auth/me/")),
  login: (username: string, password: string) =>
    call<User>(api.POST("/api/auth/login/", { body: { username, password } })),
  signup: (username: string, password: string, email?: string) =>
    call<User>(api.POST("/api/auth/signup/", { body: { username, password, email: email ?? "" } })),
  logout: () => call<unknown>(api.POST("/api/auth/logout/")),

  framework: () => call<Framework>(api.GET("/api/framework/")),

  caseStudies: (filters: { domain?: string; difficulty?: string; tag?: string; search?: string } = {}) =>
    call(
      api.GET("/api/casestudies/", {
        params: {
          query: {
            ...(filters as Record<string, string>),
            page_size: 100,
          } as never,
        },
      }),
    ) as unknown as Promise<Paginated<CaseStudy>>,

  sessions: (filters: { status?: "scheduled" | "live" | "ended"; role?: "interviewer" | "candidate" | "observer"; page?: number } = {}) =>
    call(
      api.GET("/api/sessions/", { params: { query: { ...filters, page_size: 100 } } }),
    ) as unknown as Promise<Paginated<Session>>,

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

  session: (id: string) =>
    call(api.GET("/api/sessions/{session_id}/", { params: { path: { session_id: id } } })) as unknown as Promise<SessionDetail>,

  createSession: (input: SessionCreateInput) =>
    call(api.POST("/api/sessions/", { body: input })) as unknown as Promise<CreatedSession>,

  scores: (id: string) =>
    call(api.GET("/api/sessions/{session_id}/scores/", { params: { path: { session_id: id } } })) as unknown as Promise<ScoresResult>,

  rubric: (rubricId: number) =>
    call(api.GET("/api/rubrics/{rubric_id}/", { params: { path: { rubric_id: rubricId } } })) as unknown as Promise<RubricDetail>,

  /** The report's status, and its content when ready and visible to me. */
  report: (id: string) =>
    call(api.GET("/api/sessions/{session_id}/report/", { params: { path: { session_id: id } } })) as unknown as Promise<ReportEnvelope>,
  regenerateReport: (id: string) =>
    call<Schemas["ReportRegenerateOutput"]>(
      api.POST("/api/sessions/{session_id}/report/regenerate/", { params: { path: { session_id: id } } }),
    ),
  releaseFeedback: (id: string) =>
    call(api.POST("/api/sessions/{session_id}/release/", { params: { path: { session_id: id } } })) as unknown as Promise<SessionDetail>,
  /** My self-assessment, or null when I have not given one. */
  async selfAssessment(id: string): Promise<SelfAssessmentLevels | null> {
    try {
      return await call<SelfAssessmentLevels>(
        api.GET("/api/sessions/{session_id}/self-assessment/", { params: { path: { session_id: id } } }),
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  },
  saveSelfAssessment: (id: string, levels: Record<string, number>) =>
    call<SelfAssessmentLevels>(
      api.PUT("/api/sessions/{session_id}/self-assessment/", { params: { path: { session_id: id } }, body: { levels } }),
    ),

  invite: (token: string) =>
    call<InviteInfo>(api.GET("/api/invites/{token}/", { params: { path: { token } } })),
  acceptInvite: (token: string) =>
    call(api.POST("/api/invites/{token}/accept/", { params: { path: { token } } })),
};
