import { useState } from "react";
import { Link } from "react-router-dom";
import { Api, ApiError, type ScoresResult, type Session } from "../api";
import { useAuth } from "../auth";
import { Empty, ErrorBox, Loading, formatDateTime, titleCase } from "../components/ui";
import { useAsync } from "../useAsync";
import { CaseLink, ReportBadge, partnerOf } from "./sessionInfo";

interface Row {
  session: Session;
  score: ScoresResult | null;
}

async function loadHistory(): Promise<Row[]> {
  const ended = (await Api.allSessions()).filter((s) => s.status === "ended");
  // Scores are visible to the interviewer always, to the candidate once released.
  return Promise.all(
    ended.map(async (session) => {
      if (session.my_role !== "interviewer" && !session.feedback_released) return { session, score: null };
      try {
        return { session, score: await Api.scores(session.id) };
      } catch (err) {
        if (err instanceof ApiError && (err.status === 403 || err.status === 404)) return { session, score: null };
        throw err;
      }
    }),
  );
}

export function HistoryPage() {
  const { user } = useAuth();
  const data = useAsync(loadHistory, []);
  const [role, setRole] = useState<"all" | "candidate" | "interviewer">("all");
  return (
    <main className="page">
      <div className="page-head">
        <h1>History</h1>
        <label className="inline">
          Show
          <select value={role} onChange={(e) => setRole(e.target.value as typeof role)}>
            <option value="all">All past sessions</option>
            <option value="candidate">As candidate</option>
            <option value="interviewer">As interviewer</option>
          </select>
        </label>
      </div>
      {data.status === "loading" && <Loading what="Loading past sessions" />}
      {data.status === "error" && <ErrorBox title="Could not load your history" error={data.error} onRetry={data.reload} />}
      {data.status === "ok" && (
        <HistoryTable rows={data.data.filter((r) => role === "all" || r.session.my_role === role)} me={user?.username ?? ""} />
      )}
    </main>
  );
}

function HistoryTable({ rows, me }: { rows: Row[]; me: string }) {
  if (rows.length === 0) {
    return <Empty>No finished interviews here yet. <Link to="/sessions/new">Plan one</Link>.</Empty>;
  }
  return (
    <div className="card table-wrap">
      <table>
        <caption className="sr-only">Past sessions</caption>
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Date</th>
            <th scope="col">Role</th>
            <th scope="col">Partner</th>
            <th scope="col">Overall score</th>
            <th scope="col">Report</th>
            <th scope="col">Replay</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ session, score }) => (
            <tr key={session.id}>
              <td><CaseLink session={session} /></td>
              <td>{formatDateTime(session.ended_at ?? session.started_at ?? session.created_at)}</td>
              <td>{session.my_role}</td>
              <td>{partnerOf(session, me) ?? "—"}</td>
              <td>
                {score?.weighted_score ? (
                  <span>
                    <strong>{Number(score.weighted_score).toFixed(2)}</strong> / 4{score.band ? <span className="muted"> · {titleCase(score.band)}</span> : null}
                    {score.verdict ? <span className="muted"> · {score.verdict}</span> : null}
                  </span>
                ) : (
                  <span className="muted">{session.my_role === "candidate" && !session.feedback_released ? "Not released yet" : "Not scored"}</span>
                )}
              </td>
              <td>
                <Link to={`/sessions/${session.id}/report`} aria-label={`Report for ${session.case_study.title}`}>
                  <ReportBadge status={session.report_status} />
                </Link>
              </td>
              <td>
                <Link to={`/sessions/${session.id}/replay`} aria-label={`Replay of ${session.case_study.title}`}>
                  Replay
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
