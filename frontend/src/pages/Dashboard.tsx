import { Link } from "react-router-dom";
import { Api, type ScoresResult, type Session, type SessionDetail } from "../api";
import { useAuth } from "../auth";
import { Empty, ErrorBox, Loading, formatDateTime } from "../components/ui";
import { useNotifications } from "../notifications";
import { useAsync } from "../useAsync";
import { CaseLink, ReportBadge, RoomLink, StatusBadge, partnerOf } from "./sessionInfo";
import { CopyField } from "./CopyField";

interface DashboardData {
  sessions: Session[];
  /** Sessions I created whose invite nobody has used yet, with their invite. */
  pending: SessionDetail[];
  /** The overall score of each recent finished session I may see it for. */
  scores: Record<string, ScoresResult>;
}

const RECENT_FEEDBACK = 5;

async function visibleScore(session: Session): Promise<[string, ScoresResult] | null> {
  if (session.my_role !== "interviewer" && !session.feedback_released) return null;
  try {
    return [session.id, await Api.scores(session.id)];
  } catch {
    return null; // a score is a nicety here: the dashboard shows without it
  }
}

async function loadDashboard(): Promise<DashboardData> {
  const sessions = await Api.allSessions();
  // Until the invite is accepted, its creator is the session's only participant.
  const waiting = sessions.filter((s) => s.status !== "ended" && s.participants.length < 2).slice(0, 10);
  const recent = sessions.filter((s) => s.status === "ended").slice(0, RECENT_FEEDBACK);
  const [details, scores] = await Promise.all([
    Promise.all(waiting.map((s) => Api.session(s.id))),
    Promise.all(recent.map(visibleScore)),
  ]);
  return {
    sessions,
    pending: details.filter((d) => (d.invites ?? []).some((i) => !i.used)),
    scores: Object.fromEntries(scores.filter((s) => s !== null)),
  };
}

export function DashboardPage() {
  const { user } = useAuth();
  const data = useAsync(loadDashboard, []);
  const me = user?.username ?? "";
  // A report becoming ready (or feedback being released) updates "Recent feedback" in place.
  useNotifications(() => data.refresh());

  return (
    <main className="page">
      <div className="page-head">
        <h1>Dashboard</h1>
        <div className="inline">
          <Link className="btn" to="/practice">Practise with a peer</Link>
          <Link className="btn btn-primary" to="/sessions/new">New session</Link>
        </div>
      </div>
      {data.status === "loading" && <Loading what="Loading your sessions" />}
      {data.status === "error" && <ErrorBox title="Could not load your sessions" error={data.error} onRetry={data.reload} />}
      {data.status === "ok" && <DashboardBody data={data.data} me={me} />}
    </main>
  );
}

function DashboardBody({ data, me }: { data: DashboardData; me: string }) {
  const pendingIds = new Set(data.pending.map((p) => p.id));
  const live = data.sessions.filter((s) => s.status === "live");
  const upcoming = data.sessions
    .filter((s) => s.status === "scheduled" && !pendingIds.has(s.id))
    .sort((a, b) => (a.scheduled_for ?? a.created_at).localeCompare(b.scheduled_for ?? b.created_at));
  const feedback = data.sessions.filter((s) => s.status === "ended").slice(0, RECENT_FEEDBACK);

  return (
    <div className="grid-2">
      <section className="card" aria-labelledby="live-h">
        <h2 id="live-h">Live and upcoming</h2>
        {live.length + upcoming.length === 0 ? (
          <Empty>
            Nothing scheduled. <Link to="/sessions/new">Plan a session</Link> and send the invite to a peer.
          </Empty>
        ) : (
          <ul className="rows">
            {[...live, ...upcoming].map((s) => (
              <li key={s.id} className="row">
                <div>
                  <CaseLink session={s} />
                  <div className="muted small">
                    <StatusBadge status={s.status} /> as {s.my_role} with {partnerOf(s, me) ?? "—"} ·{" "}
                    {s.scheduled_for ? `scheduled ${formatDateTime(s.scheduled_for)}` : `created ${formatDateTime(s.created_at)}`}
                  </div>
                </div>
                <RoomLink session={s} />
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="invites-h">
        <h2 id="invites-h">Pending invites</h2>
        {data.pending.length === 0 ? (
          <Empty>No invites waiting: everyone you invited has joined.</Empty>
        ) : (
          <ul className="rows">
            {data.pending.map((s) => {
              const invite = (s.invites ?? []).find((i) => !i.used);
              return (
                <li key={s.id} className="row column">
                  <div>
                    <CaseLink session={s} />
                    <div className="muted small">
                      You are the {s.my_role}; invite a {invite?.role} · expires {formatDateTime(invite?.expires_at)}
                    </div>
                  </div>
                  {invite && <CopyField label={`Invite link for ${s.case_study.title}`} value={invite.url} />}
                  <RoomLink session={s} />
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <section className="card span-2" aria-labelledby="feedback-h">
        <h2 id="feedback-h">Recent feedback</h2>
        {feedback.length === 0 ? (
          <Empty>No finished interviews yet. Feedback appears here after an interview ends.</Empty>
        ) : (
          <ul className="rows">
            {feedback.map((s) => (
              <li key={s.id} className="row">
                <div>
                  <CaseLink session={s} />
                  <div className="muted small">
                    {formatDateTime(s.ended_at)} · as {s.my_role} with {partnerOf(s, me) ?? "—"}
                  </div>
                </div>
                <div className="row-actions">
                  <FeedbackScore session={s} score={data.scores[s.id]} />
                  <ReportBadge status={s.report_status} />
                  <Link className="btn btn-small" to={`/sessions/${s.id}/report`}>View report</Link>
                </div>
              </li>
            ))}
          </ul>
        )}
        <p><Link to="/history">All past sessions →</Link></p>
      </section>
    </div>
  );
}

function FeedbackScore({ session, score }: { session: Session; score: ScoresResult | undefined }) {
  if (score?.weighted_score) {
    return (
      <span className="small" data-testid="feedback-score">
        <strong>{Number(score.weighted_score).toFixed(2)}</strong> / 4
      </span>
    );
  }
  if (session.my_role === "candidate" && !session.feedback_released) return <span className="muted small">Not released yet</span>;
  return null;
}
