import { useState, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { Api } from "../api";
import { PracticeApi, pairingCalendarUrl, type Pairing, type PairingInterview } from "../api/practice";
import { useAuth } from "../auth";
import { Badge, ErrorBox, Loading, formatDateTime } from "../components/ui";
import { useNotifications } from "../notifications";
import { useTick } from "../room/useRoom";
import { useAsync } from "../useAsync";
import { countdown, noShowFrom } from "./practiceModel";
import { RatingAsCandidate, RatingAsInterviewer } from "./PracticeRating";

const STATUS: Record<Pairing["status"] & string, [string, "info" | "good" | "warn" | "bad" | "neutral"]> = {
  scheduled: ["Scheduled", "info"],
  done: ["Done", "good"],
  cancelled: ["Cancelled", "neutral"],
  no_show: ["No-show", "bad"],
};

export function PairingStatus({ status }: { status: Pairing["status"] }) {
  const [label, tone] = STATUS[status ?? "scheduled"];
  return <Badge tone={tone}>{label}</Badge>;
}

/** One pairing: its countdown, the way into its rooms, moving or calling it off, no-shows, the calendar file and the ratings. */
export function PracticePairingPage() {
  const { id = "" } = useParams();
  const pairing = useAsync(() => PracticeApi.pairing(id), [id]);
  useNotifications(
    (msg) => {
      if (msg.type === "practice.notice" && msg.pairing_id === id) pairing.refresh();
    },
    () => pairing.refresh(),
  );
  return (
    <main className="page narrow">
      {pairing.status === "loading" && <Loading what="Loading the pairing" />}
      {pairing.status === "error" && <ErrorBox title="Could not load the pairing" error={pairing.error} onRetry={pairing.reload} />}
      {pairing.status === "ok" && <PairingView pairing={pairing.data} refresh={pairing.refresh} />}
    </main>
  );
}

function PairingView({ pairing, refresh }: { pairing: Pairing; refresh: () => void }) {
  const { user } = useAuth();
  const me = user?.username ?? "";
  const scheduled = pairing.status === "scheduled";
  const now = useTick(1000, scheduled);
  const start = new Date(pairing.starts_at).getTime();
  const left = countdown(start, now);
  const [first, second] = [...pairing.interviews].sort((a, b) => a.order - b.order);
  const nextIsSecond = !!second && pairing.next_session_id === second.session_id && first?.session_status === "ended";

  return (
    <>
      <div className="page-head">
        <h1>
          Practice with <Link to={`/practice/partners/${encodeURIComponent(pairing.partner)}`}>{pairing.partner}</Link>
        </h1>
        <PairingStatus status={pairing.status} />
      </div>
      <section className="card form" aria-labelledby="when-h">
        <h2 id="when-h">When</h2>
        <p>
          {formatDateTime(pairing.starts_at)} to {formatDateTime(pairing.ends_at)}
          {scheduled && (
            <>
              {" "}
              · <strong data-testid="countdown" aria-live="off">{left.text}</strong>
            </>
          )}
        </p>
        {scheduled && pairing.next_session_id && (
          <div className="inline">
            <Link className="btn btn-primary" to={`/sessions/${pairing.next_session_id}`} data-testid="go-to-room">
              {nextIsSecond ? "Go to the second interview" : "Go to the room"}
            </Link>
            <a className="btn" href={pairingCalendarUrl(pairing.id)} download>Add to calendar (.ics)</a>
          </div>
        )}
        {scheduled && <ScheduleActions pairing={pairing} me={me} now={now} refresh={refresh} />}
      </section>
      <section className="card" aria-labelledby="interviews-h">
        <h2 id="interviews-h">The two interviews</h2>
        <ul className="rows">
          {[first, second].filter((i): i is PairingInterview => !!i).map((interview) => (
            <InterviewRow
              key={interview.order}
              pairing={pairing}
              interview={interview}
              other={interview === first ? second : first}
              me={me}
              now={now}
              refresh={refresh}
            />
          ))}
        </ul>
      </section>
    </>
  );
}

function useAction(refresh: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  async function run(action: () => Promise<unknown>, after: () => void = refresh) {
    setBusy(true);
    setError(null);
    try {
      await action();
      after();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run };
}

function ScheduleActions({ pairing, me, now, refresh }: { pairing: Pairing; me: string; now: number; refresh: () => void }) {
  const navigate = useNavigate();
  const { busy, error, run } = useAction(refresh);
  const [proposal, setProposal] = useState("");
  const [confirmCancel, setConfirmCancel] = useState(false);
  const start = new Date(pairing.starts_at).getTime();
  const started = now >= start;
  const noShowAt = noShowFrom(pairing);
  const late = now >= new Date(pairing.late_cancel_from).getTime();
  const [rematch, setRematch] = useState<string | null>(null);

  let proposed: ReactNode = null;
  if (pairing.proposed_starts_at) {
    proposed =
      pairing.proposed_by === me ? (
        <p role="status">You proposed {formatDateTime(pairing.proposed_starts_at)}; {pairing.partner} has not taken it yet.</p>
      ) : (
        <div className="inline" role="status">
          <span>
            {pairing.partner} proposes {formatDateTime(pairing.proposed_starts_at)}.
          </span>
          <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => void run(() => PracticeApi.acceptTime(pairing.id))}>
            Take the new time
          </button>
        </div>
      );
  }

  return (
    <div className="form">
      {error && <ErrorBox title="That did not work" error={error} />}
      {rematch && (
        <div className="state" role="status">
          {rematch} <Link to="/practice">Go to the waiting room</Link>
        </div>
      )}
      {proposed}
      {!started && (
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (proposal) void run(() => PracticeApi.proposeTime(pairing.id, new Date(proposal).toISOString()));
          }}
        >
          <label className="inline">
            Propose a new time
            <input type="datetime-local" value={proposal} onChange={(e) => setProposal(e.target.value)} required />
          </label>
          <button type="submit" className="btn" disabled={busy || !proposal}>Propose</button>
        </form>
      )}
      {started ? (
        now >= noShowAt ? (
          <div className="inline">
            <span className="muted">Your partner has not come?</span>
            <button
              type="button"
              className="btn btn-danger-outline"
              disabled={busy}
              onClick={() =>
                void run(
                  async () => {
                    await PracticeApi.arrived(pairing.id).catch(() => undefined);
                    const result = await PracticeApi.markNoShow(pairing.id);
                    setRematch(
                      result.request
                        ? "You are back in the waiting room: we are looking for a new partner now."
                        : "The pairing has ended; you cannot ask for a new partner at the moment.",
                    );
                  },
                  refresh,
                )
              }
            >
              Report a no-show and find a new partner
            </button>
          </div>
        ) : (
          <div className="inline">
            <button type="button" className="btn" disabled={busy} onClick={() => void run(() => PracticeApi.arrived(pairing.id))}>
              I'm here
            </button>
            <span className="muted small">If your partner does not come, you can report it from {formatDateTime(noShowAt)} and be matched again.</span>
          </div>
        )
      ) : confirmCancel ? (
        <div className="inline" role="alert">
          <span>{late ? "Less than 12 hours before the start, cancelling counts as a late cancellation (a strike)." : "Call the pairing off?"}</span>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void run(() => PracticeApi.cancel(pairing.id), () => navigate("/practice"))}>
            Yes, cancel it
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => setConfirmCancel(false)}>Keep it</button>
        </div>
      ) : (
        <div>
          <button type="button" className="btn btn-danger-outline" onClick={() => setConfirmCancel(true)}>Cancel the pairing</button>
        </div>
      )}
    </div>
  );
}

function InterviewRow({
  pairing,
  interview,
  other,
  me,
  now,
  refresh,
}: {
  pairing: Pairing;
  interview: PairingInterview;
  other: PairingInterview | undefined;
  me: string;
  now: number;
  refresh: () => void;
}) {
  const interviewer = interview.interviewer === me;
  const candidate = interview.candidate === me;
  return (
    <li className="row column" data-testid={`interview-${interview.order}`}>
      <div>
        <strong>Interview {interview.order}</strong>: {interviewer ? "you interview" : interview.interviewer + " interviews"}{" "}
        {candidate ? "you" : interview.candidate} on <em>{interview.case_study.title}</em>
        <div className="muted small">
          {formatDateTime(interview.scheduled_for)} · {interview.session_status ?? "called off"}
          {interview.session_id && interview.session_status === "ended" && (
            <>
              {" "}
              · <Link to={`/sessions/${interview.session_id}/report`}>Report</Link>
            </>
          )}
        </div>
      </div>
      {interviewer && interview.session_status === "scheduled" && pairing.status === "scheduled" && (
        <Recase pairing={pairing} interview={interview} refresh={refresh} />
      )}
      {candidate && interview.session_id && (
        <RatingAsCandidate pairingId={pairing.id} interview={interview} other={other} now={now} onRated={refresh} />
      )}
      {interviewer && interview.session_status === "ended" && <RatingAsInterviewer interview={interview} />}
    </li>
  );
}

function Recase({ pairing, interview, refresh }: { pairing: Pairing; interview: PairingInterview; refresh: () => void }) {
  const [open, setOpen] = useState(false);
  const [slug, setSlug] = useState("");
  const cases = useAsync(() => (open ? Api.caseStudies() : Promise.resolve(null)), [open]);
  const { busy, error, run } = useAction(() => {
    setOpen(false);
    refresh();
  });
  if (!open) {
    return (
      <div>
        <button type="button" className="btn btn-small" onClick={() => setOpen(true)}>Choose another case</button>
      </div>
    );
  }
  return (
    <form
      className="inline"
      onSubmit={(e) => {
        e.preventDefault();
        if (slug) void run(() => PracticeApi.recase(pairing.id, interview.order, slug));
      }}
    >
      {error && <ErrorBox title="The case stays" error={error} />}
      {cases.status === "loading" && <Loading what="Loading the case studies" />}
      {cases.status === "error" && <ErrorBox title="Could not load the case studies" error={cases.error} onRetry={cases.reload} />}
      {cases.status === "ok" && cases.data && (
        <label className="inline">
          <span className="sr-only">Case study</span>
          <select value={slug} onChange={(e) => setSlug(e.target.value)} required>
            <option value="">Choose a case study…</option>
            {cases.data.results
              .filter((c) => c.slug !== interview.case_study.slug)
              .map((c) => (
                <option key={c.slug} value={c.slug}>{c.title}</option>
              ))}
          </select>
        </label>
      )}
      <button type="submit" className="btn btn-small btn-primary" disabled={busy || !slug}>Change the case</button>
      <button type="button" className="btn btn-small btn-ghost" onClick={() => setOpen(false)}>Keep it</button>
    </form>
  );
}
