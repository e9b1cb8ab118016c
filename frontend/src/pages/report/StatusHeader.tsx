import { Link } from "react-router-dom";
import { Api, type ReportEnvelope, type SessionDetail } from "../../api";
import { Badge, ErrorBox, formatDateTime } from "../../components/ui";
import { canRelease, type ReportPhase } from "./shape";
import { useAction } from "./useReport";

interface Props {
  session: SessionDetail;
  report: ReportEnvelope;
  phase: ReportPhase;
  /** Whether an earlier version of the report is on screen while this one builds. */
  showingPrevious: boolean;
  onChanged: () => void;
}

/** What state the report is in, and the interviewer's controls over it. */
export function StatusHeader({ session, report, phase, showingPrevious, onChanged }: Props) {
  const isInterviewer = session.my_role === "interviewer";
  const release = useAction(() => Api.releaseFeedback(session.id), onChanged);
  const regenerate = useAction(() => Api.regenerateReport(session.id), onChanged);
  const busy = release.busy || regenerate.busy;

  return (
    <section className={`card report-status report-status-${phase.kind}`} aria-label="Report status" data-testid="report-status" data-phase={phase.kind}>
      <div className="report-status-line" role="status" aria-live="polite">
        <StatusMessage phase={phase} isInterviewer={isInterviewer} showingPrevious={showingPrevious} />
      </div>
      {phase.kind === "ready" && report.finished_at && (
        <p className="muted small">Built {formatDateTime(report.finished_at)}.</p>
      )}
      {isInterviewer && session.status === "ended" && (
        <div className="report-controls">
          <ReleaseState session={session} released={report.released} />
          {canRelease(session.my_role, session.status, report.released) && (
            <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => void release.start()}>
              {release.busy ? "Releasing…" : "Release to candidate"}
            </button>
          )}
          {(phase.kind === "ready" || phase.kind === "failed") && (
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => void regenerate.start()}>
              {regenerate.busy ? "Asking…" : "Regenerate"}
            </button>
          )}
        </div>
      )}
      {release.error && <ErrorBox title="Could not release the feedback" error={release.error} />}
      {regenerate.error && <ErrorBox title="Could not regenerate the report" error={regenerate.error} />}
    </section>
  );
}

function StatusMessage({ phase, isInterviewer, showingPrevious }: { phase: ReportPhase; isInterviewer: boolean; showingPrevious: boolean }) {
  switch (phase.kind) {
    case "not-ended":
      return (
        <p>
          <Badge tone="info">Interview not over</Badge> The report is built once the interview ends; this page updates by itself.
        </p>
      );
    case "building":
      return (
        <p>
          <span className="spinner" aria-hidden="true" />{" "}
          <Badge tone="warn">{phase.status === "pending" ? "Queued" : "Building"}</Badge>{" "}
          {phase.status === "pending" ? "The report is queued and will be built in a moment." : "The report is being built right now."}
          {showingPrevious && " The previous version is shown below until the new one is ready."}
        </p>
      );
    case "failed":
      return (
        <div>
          <p>
            <Badge tone="bad">Failed</Badge> Building the report failed.{" "}
            {isInterviewer ? "Regenerate it to try again." : "The interviewer can regenerate it."}
          </p>
          {isInterviewer && phase.error && (
            <p className="report-error small" data-testid="report-error">
              Reason: <code>{phase.error}</code>
            </p>
          )}
        </div>
      );
    case "hidden":
      return (
        <p data-testid="report-not-released">
          <Badge tone="warn">Not released yet</Badge> Your interviewer has not released this feedback yet. It appears here as soon as they do, without reloading.
        </p>
      );
    case "ready":
      return (
        <p>
          <Badge tone="good">Ready</Badge> The feedback report is ready.
        </p>
      );
  }
}

function ReleaseState({ session, released }: { session: SessionDetail; released: boolean }) {
  if (session.auto_release) return <span className="muted small">Released to the candidate automatically.</span>;
  if (released) return <span className="muted small" data-testid="released">Released to the candidate.</span>;
  return <span className="muted small">The candidate cannot see this report until you release it.</span>;
}

/** The header of the page: case, people, dates, and a way back to the room. */
export function ReportTitle({ session }: { session: SessionDetail }) {
  const interviewer = session.participants.find((p) => p.role === "interviewer")?.username;
  const candidate = session.participants.find((p) => p.role === "candidate")?.username;
  return (
    <div className="report-title">
      <p className="muted small report-kicker">Feedback report</p>
      <h1>{session.case_study.title}</h1>
      <p className="muted small">
        {candidate ? <>Candidate <strong>{candidate}</strong></> : "No candidate"} · interviewer {interviewer ?? "—"} · ended{" "}
        {formatDateTime(session.ended_at)} · you were the {session.my_role ?? "—"} ·{" "}
        <Link to={`/sessions/${session.id}`}>room</Link>
      </p>
    </div>
  );
}
