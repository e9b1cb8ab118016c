import { Link, useParams } from "react-router-dom";
import { Api } from "../api";
import { ErrorBox, Loading, formatDateTime } from "../components/ui";
import { useNotifications } from "../notifications";
import { useAsync } from "../useAsync";
import { ReportBadge, StatusBadge } from "./sessionInfo";

const EXPLAIN: Record<string, string> = {
  pending: "The interview's report is queued; it is built in the background after the interview ends.",
  running: "The report is being built right now.",
  ready: "The report is ready. Its full view arrives with the reports feature.",
  failed: "Building the report failed; the interviewer can regenerate it.",
};

/** Placeholder until reports exist: the session and its report status. */
export function ReportPage() {
  const { id = "" } = useParams();
  const session = useAsync(() => Api.session(id), [id]);
  useNotifications((msg) => {
    if (!("session_id" in msg) || msg.session_id === id) session.refresh();
  });
  return (
    <main className="page narrow">
      <h1>Feedback report</h1>
      {session.status === "loading" && <Loading what="Loading the session" />}
      {session.status === "error" && <ErrorBox title="Could not load the session" error={session.error} onRetry={session.reload} />}
      {session.status === "ok" && (
        <section className="card form" aria-label="Report status">
          <h2>{session.data.case_study.title}</h2>
          <p>
            <StatusBadge status={session.data.status} /> <ReportBadge status={session.data.report_status} />
          </p>
          <p data-testid="report-status">
            {session.data.status !== "ended"
              ? "The interview has not ended yet; its report is built once it does."
              : EXPLAIN[session.data.report_status ?? ""] ?? `Report status: ${session.data.report_status ?? "unknown"}.`}
          </p>
          <p className="muted small">
            Started {formatDateTime(session.data.started_at)} · ended {formatDateTime(session.data.ended_at)} · you were the {session.data.my_role}
          </p>
          <div className="inline">
            <button type="button" className="btn btn-small" onClick={session.reload}>Refresh status</button>
            <Link className="btn btn-small btn-ghost" to={`/sessions/${id}`}>Open the room</Link>
            <Link className="btn btn-small btn-ghost" to="/history">History</Link>
          </div>
        </section>
      )}
    </main>
  );
}
