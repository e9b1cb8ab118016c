/**
 * The feedback report page (/sessions/<id>/report): the report's status, kept live over the
 * notifications socket, and once visible its sections. Loaded as its own chunk (with the
 * charting library) so other pages stay light.
 */
import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { Api, type ReportContent, type SessionDetail } from "../api";
import { Badge, ErrorBox, Loading } from "../components/ui";
import { useAsync } from "../useAsync";
import { CoverageSection } from "./report/CoverageSection";
import { Downloads } from "./report/Downloads";
import { NotesSection } from "./report/NotesSection";
import { PitfallsSection } from "./report/PitfallsSection";
import { ProgressSection } from "./report/ProgressSection";
import { RubricSection } from "./report/RubricSection";
import { SelfAssessmentSection, type LevelLabels } from "./report/SelfAssessment";
import { formatMinutes, formatScore } from "./report/shape";
import { ReportTitle, StatusHeader } from "./report/StatusHeader";
import { TimeSection } from "./report/TimeSection";
import type { OverrideDecision, OverrideKind, Review } from "./report/Review";
import { RecordingsBeforeRelease, TranscriptSection } from "./report/TranscriptSection";
import { useAction, useReport } from "./report/useReport";
import { WhiteboardSection } from "./report/WhiteboardSection";
import "./report/report.css";

export default function ReportPage() {
  const { id = "" } = useParams();
  const { data, phase, shown } = useReport(id);

  if (data.status === "loading") {
    return (
      <main className="page report-page">
        <Loading what="Loading the report" />
      </main>
    );
  }
  if (data.status === "error") {
    return (
      <main className="page narrow">
        <h1>Feedback report</h1>
        <ErrorBox title="Could not load the report" error={data.error} onRetry={data.reload} />
        <p>
          <Link to="/history">Back to your history</Link>
        </p>
      </main>
    );
  }
  const { session, report } = data.data;
  return (
    <main className="page report-page">
      <div className="page-head report-head">
        <ReportTitle session={session} />
        <div className="report-head-actions">
          {session.status === "ended" && (
            <Link className="btn btn-small" to={`/sessions/${session.id}/replay`} data-testid="open-replay">
              Watch the replay
            </Link>
          )}
          {report.status === "ready" && report.content && <Downloads sessionId={session.id} />}
        </div>
      </div>
      {phase && (
        <StatusHeader
          session={session}
          report={report}
          phase={phase}
          showingPrevious={phase.kind === "building" && shown !== null}
          onChanged={data.refresh}
        />
      )}
      <ReportBody
        session={session}
        content={shown}
        rebuilding={phase?.kind === "building"}
        onChanged={data.refresh}
      />
    </main>
  );
}

function ReportBody({
  session,
  content,
  rebuilding,
  onChanged,
}: {
  session: SessionDetail;
  content: ReportContent | null;
  rebuilding: boolean;
  onChanged: () => void;
}) {
  const isCandidate = session.my_role === "candidate";
  const ended = session.status === "ended";
  const rubric = useAsync(() => Api.rubric(session.rubric_id), [session.rubric_id]);
  const mine = useAsync(
    () => (isCandidate && ended ? Api.selfAssessment(session.id) : Promise.resolve(undefined)),
    [session.id, isCandidate, ended],
  );
  const [savedNow, setSavedNow] = useState<Record<string, number> | null>(null);
  const { start: decide, busy: reviewBusy, error: reviewError } = useAction(
    (kind: OverrideKind, key: string, decision: OverrideDecision | null) => Api.overrideReport(session.id, { kind, key, decision }),
    onChanged,
  );
  const saved = savedNow ?? (mine.status === "ok" ? (mine.data ? mine.data.levels : mine.data) : undefined);
  const labels: LevelLabels = rubric.status === "ok" ? rubric.data.levels : labelsFrom(content);

  const selfSection = ended && (content || isCandidate) && (
    <SelfAssessmentSection
      sessionId={session.id}
      rubricId={session.rubric_id}
      isCandidate={isCandidate}
      steps={content?.self_assessment.submitted ? content.self_assessment.steps : null}
      labels={labels}
      saved={isCandidate ? saved : undefined}
      onSaved={(levels) => {
        setSavedNow(levels);
        onChanged();
      }}
      contentVisible={content !== null}
      rebuilding={rebuilding}
      generatedAt={content?.generated_at ?? null}
    />
  );

  if (!content) {
    const participant = session.my_role === "candidate" || session.my_role === "interviewer";
    return (
      <>
        {selfSection}
        {participant && ended && <RecordingsBeforeRelease sessionId={session.id} />}
      </>
    );
  }

  const reviewing = session.my_role === "interviewer" && !session.feedback_released && !rebuilding;
  const review: Review | undefined = reviewing
    ? { busy: reviewBusy, decide: (kind, key, decision) => void decide(kind, key, decision) }
    : undefined;

  const steps = content.self_assessment.steps;
  const stepKeys = steps.map((s) => s.step);
  const titles = Object.fromEntries([...steps.map((s) => [s.step, s.title]), ...content.time.steps.map((s) => [s.key, s.title])]);
  return (
    <div className={`report-body ${rebuilding ? "is-rebuilding" : ""}`} data-testid="report-body" data-generated-at={content.generated_at}>
      <Summary content={content} />
      <nav className="report-nav" aria-label="Report sections">
        {[
          ["rubric", "Rubric"],
          ["time", "Time"],
          ["coverage", "Coverage"],
          ["pitfalls", "Pitfalls"],
          ["whiteboard", "Whiteboard"],
          ["transcript", "Transcript"],
          ["self-assessment", "Self-assessment"],
          ["progress", "Progress"],
          ["notes", "Notes"],
        ].map(([anchor, label]) => (
          <a key={anchor} href={`#${anchor}`}>
            {label}
          </a>
        ))}
      </nav>
      <RubricSection rubric={content.rubric} />
      <TimeSection time={content.time} />
      {reviewing && (
        <p className="muted small" data-testid="review-hint">
          Before you release the report: confirm or reject each credit and pitfall. Rejected ones are not counted and the candidate sees them listed as rejected by you.
        </p>
      )}
      {reviewError && <ErrorBox title="Could not save the review" error={reviewError} />}
      <CoverageSection coverage={content.coverage} titles={titles} startedAt={content.session.started_at} sessionId={session.id} review={review} />
      <div className="report-grid">
        <PitfallsSection pitfalls={content.pitfalls} rejected={content.rejected_pitfalls ?? []} titles={titles} startedAt={content.session.started_at} sessionId={session.id} review={review} />
        <NotesSection notes={content.notes} />
      </div>
      <WhiteboardSection whiteboard={content.whiteboard} sessionId={session.id} startedAt={content.session.started_at} />
      <TranscriptSection
        sessionId={session.id}
        transcript={content.transcript}
        startedAt={content.session.started_at}
        myRole={session.my_role}
        onChanged={onChanged}
      />
      {selfSection}
      <ProgressSection progress={content.progress} stepKeys={stepKeys} titles={titles} labels={labels} candidate={content.session.candidate} />
    </div>
  );
}

/** The report at a glance. */
function Summary({ content }: { content: ReportContent }) {
  const { rubric, time, coverage, pitfalls } = content;
  return (
    <dl className="report-summary">
      <div>
        <dt>Score</dt>
        <dd>
          <strong>{formatScore(rubric.weighted_score)}</strong> / 4
        </dd>
      </div>
      <div>
        <dt>Band</dt>
        <dd>{rubric.band_label ? <Badge tone={rubric.band?.includes("no_hire") ? "warn" : "good"}>{rubric.band_label}</Badge> : "—"}</dd>
      </div>
      <div>
        <dt>Time</dt>
        <dd>
          {formatMinutes(time.total.actual_minutes)}
          {time.total.overrun_minutes > 0 && <span className="muted small"> (+{formatMinutes(time.total.overrun_minutes)} over)</span>}
        </dd>
      </div>
      <div>
        <dt>Coverage</dt>
        <dd>
          {coverage.found} of {coverage.total}
        </dd>
      </div>
      <div>
        <dt>Pitfalls</dt>
        <dd>{pitfalls.length}</dd>
      </div>
    </dl>
  );
}

/** Level names from the scored criteria, when the rubric itself could not be loaded. */
function labelsFrom(content: ReportContent | null): LevelLabels {
  const out: LevelLabels = {};
  for (const c of content?.rubric.criteria ?? []) {
    if (c.level !== null && c.level_label) out[String(c.level)] = c.level_label;
  }
  return out;
}
