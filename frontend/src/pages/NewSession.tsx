import { useEffect, useMemo, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { Api, type CaseStudy, type CreatedSession, type Framework, type Session, type SessionCreateInput } from "../api";
import { ErrorBox, Loading, Prose, formatDateTime, domainName } from "../components/ui";
import { useAsync } from "../useAsync";
import { CopyField } from "./CopyField";
import { pickUnpractised } from "./surprise";

type TargetLevel = NonNullable<SessionCreateInput["target_level"]>;
const TARGET_LEVELS: [TargetLevel, string][] = [
  ["mid", "Mid-level"],
  ["senior", "Senior"],
  ["staff", "Staff"],
];

interface Setup {
  cases: CaseStudy[];
  framework: Framework;
  sessions: Session[];
}

async function loadSetup(): Promise<Setup> {
  const [cases, framework, sessions] = await Promise.all([Api.caseStudies(), Api.framework(), Api.allSessions()]);
  return { cases: cases.results, framework, sessions };
}

export function NewSessionPage() {
  const setup = useAsync(loadSetup, []);
  const [created, setCreated] = useState<CreatedSession | null>(null);
  return (
    <main className="page narrow-wide">
      <div className="page-head">
        <h1>New session</h1>
      </div>
      {setup.status === "loading" && <Loading what="Loading case studies and the framework" />}
      {setup.status === "error" && <ErrorBox title="Could not prepare the form" error={setup.error} onRetry={setup.reload} />}
      {setup.status === "ok" && !created && <NewSessionForm setup={setup.data} onCreated={setCreated} />}
      {created && <Created session={created} />}
    </main>
  );
}

function NewSessionForm({ setup, onCreated }: { setup: Setup; onCreated: (s: CreatedSession) => void }) {
  const [params] = useSearchParams();
  const initialCase = setup.cases.some((c) => c.slug === params.get("case")) ? params.get("case") ?? "" : "";
  const [caseSlug, setCaseSlug] = useState(initialCase);
  const [surpriseNote, setSurpriseNote] = useState<string | null>(null);
  const [role, setRole] = useState<"interviewer" | "candidate">("interviewer");
  const [minutes, setMinutes] = useState<Record<string, number>>(() =>
    Object.fromEntries(setup.framework.steps.map((s) => [s.key, s.minutes])),
  );
  const [when, setWhen] = useState<"now" | "later">("now");
  const [scheduledFor, setScheduledFor] = useState("");
  const [autoAdvance, setAutoAdvance] = useState(false);
  const [targetLevel, setTargetLevel] = useState<TargetLevel>("senior");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  const practised = useMemo(() => new Set(setup.sessions.map((s) => s.case_study.slug)), [setup.sessions]);
  const total = Object.values(minutes).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
  const chosen = setup.cases.find((c) => c.slug === caseSlug);

  useEffect(() => setSurpriseNote(null), [caseSlug]);

  function surprise() {
    const { pick, allPractised } = pickUnpractised(setup.cases, practised);
    if (!pick) return;
    setCaseSlug(pick.slug);
    setTimeout(() =>
      setSurpriseNote(
        allPractised
          ? `You have practised every case; picked ${pick.title} again.`
          : `Picked ${pick.title}, a case you have not practised yet.`,
      ),
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!caseSlug) {
      setError(new Error("Pick a case study, or press “Surprise me”."));
      return;
    }
    if (when === "later" && !scheduledFor) {
      setError(new Error("Pick a date and time, or choose “Start now”."));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const session = await Api.createSession({
        case_study: caseSlug,
        role,
        plan: minutes,
        scheduled_for: when === "later" ? new Date(scheduledFor).toISOString() : null,
        auto_advance: autoAdvance,
        auto_release: false,
        target_level: targetLevel,
      });
      onCreated(session);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} aria-label="Plan a session">
      {error && <ErrorBox title="Could not create the session" error={error} />}
      <fieldset>
        <legend>Case study</legend>
        <div className="inline">
          <label className="grow">
            <span className="sr-only">Case study</span>
            <select name="case" value={caseSlug} onChange={(e) => setCaseSlug(e.target.value)} required>
              <option value="">Choose a case study…</option>
              {setup.cases.map((c) => (
                <option key={c.slug} value={c.slug}>
                  {c.title} ({domainName(c.domain)}, {c.difficulty}){practised.has(c.slug) ? " · practised" : ""}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn" onClick={surprise}>Surprise me</button>
        </div>
        {surpriseNote && <p className="muted" role="status">{surpriseNote}</p>}
        {chosen && <Prose text={chosen.prompt} className="prompt small" />}
      </fieldset>

      <fieldset>
        <legend>Your role</legend>
        <div className="inline">
          <label className="radio">
            <input type="radio" name="role" value="interviewer" checked={role === "interviewer"} onChange={() => setRole("interviewer")} />
            Interviewer <span className="muted small">(you run the clock and score; your peer gets the invite as candidate)</span>
          </label>
          <label className="radio">
            <input type="radio" name="role" value="candidate" checked={role === "candidate"} onChange={() => setRole("candidate")} />
            Candidate <span className="muted small">(your peer interviews you)</span>
          </label>
        </div>
      </fieldset>

      <fieldset>
        <legend>Target level</legend>
        <label>
          <span className="muted small">The level the candidate is judged against: the report says whether they meet it.</span>
          <select name="target_level" value={targetLevel} onChange={(e) => setTargetLevel(e.target.value as TargetLevel)}>
            {TARGET_LEVELS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </fieldset>

      <fieldset>
        <legend>Minutes per step <span className="muted small">(total {total} min)</span></legend>
        <div className="minutes">
          {setup.framework.steps.map((step, i) => (
            <label key={step.key}>
              <span>{i + 1}. {step.title}</span>
              <input
                type="number"
                min={1}
                max={60}
                required
                value={minutes[step.key] ?? step.minutes}
                onChange={(e) => setMinutes({ ...minutes, [step.key]: Number(e.target.value) })}
              />
            </label>
          ))}
        </div>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setMinutes(Object.fromEntries(setup.framework.steps.map((s) => [s.key, s.minutes])))}>
          Reset to the {setup.framework.total_minutes}-minute defaults
        </button>
      </fieldset>

      <fieldset>
        <legend>When</legend>
        <div className="inline">
          <label className="radio">
            <input type="radio" name="when" checked={when === "now"} onChange={() => setWhen("now")} /> Start now
          </label>
          <label className="radio">
            <input type="radio" name="when" checked={when === "later"} onChange={() => setWhen("later")} /> Schedule for
          </label>
          <label>
            <span className="sr-only">Date and time</span>
            <input type="datetime-local" value={scheduledFor} disabled={when !== "later"} onChange={(e) => setScheduledFor(e.target.value)} />
          </label>
        </div>
        <label className="radio">
          <input type="checkbox" checked={autoAdvance} onChange={(e) => setAutoAdvance(e.target.checked)} /> Move to the next step automatically when a step's time is up
        </label>
      </fieldset>

      <button className="btn btn-primary" type="submit" disabled={busy}>
        {busy ? "Creating…" : "Create session and invite"}
      </button>
    </form>
  );
}

function Created({ session }: { session: CreatedSession }) {
  return (
    <section className="card form" aria-labelledby="created-h">
      <h2 id="created-h">Session created</h2>
      <p>
        <strong>{session.case_study.title}</strong>: you are the <strong>{session.my_role}</strong>.{" "}
        {session.scheduled_for ? `Scheduled for ${formatDateTime(session.scheduled_for)}.` : "Start whenever you are both in the room."}
      </p>
      <p>Send this link to your peer; it makes them the <strong>{session.invite.role}</strong> and works once, until {formatDateTime(session.invite.expires_at)}.</p>
      <CopyField label="Invite link" value={session.invite.url} />
      <div className="inline">
        <Link className="btn btn-primary" to={`/sessions/${session.id}`}>Go to the room</Link>
        <Link className="btn btn-ghost" to="/">Back to the dashboard</Link>
      </div>
    </section>
  );
}
