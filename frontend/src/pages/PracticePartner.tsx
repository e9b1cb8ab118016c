import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { PracticeApi, type PartnerProfile } from "../api/practice";
import { ErrorBox, Loading, domainName } from "../components/ui";
import { useAsync } from "../useAsync";

const LEVEL_NAMES: Record<string, string> = { mid: "Mid-level", senior: "Senior", staff: "Staff" };

const average = (value: number | null) => (value === null ? "—" : `${value.toFixed(1)} / 4`);

/** Someone I was paired with: their practice profile, how they rate as an interviewer, and blocking or reporting them. */
export function PracticePartnerPage() {
  const { username = "" } = useParams();
  const partner = useAsync(() => PracticeApi.partner(username), [username]);
  return (
    <main className="page narrow">
      <div className="page-head">
        <h1>{username}</h1>
        <Link className="btn btn-ghost" to="/practice">Back to practice</Link>
      </div>
      {partner.status === "loading" && <Loading what="Loading their profile" />}
      {partner.status === "error" && <ErrorBox title="Could not load this partner" error={partner.error} onRetry={partner.reload} />}
      {partner.status === "ok" && (
        <>
          <Summary partner={partner.data} />
          <BlockForm username={partner.data.username} />
        </>
      )}
    </main>
  );
}

function Summary({ partner }: { partner: PartnerProfile }) {
  const { ratings, agreement } = partner;
  return (
    <section className="card" aria-labelledby="summary-h">
      <h2 id="summary-h">Profile</h2>
      <dl className="qa">
        <dt>Target role</dt>
        <dd>{partner.target_role || "—"}</dd>
        <dt>Level</dt>
        <dd>{LEVEL_NAMES[partner.level] ?? partner.level}</dd>
        <dt>Domains</dt>
        <dd>{partner.domains.length ? partner.domains.map(domainName).join(", ") : "any"}</dd>
        <dt>Languages</dt>
        <dd>{partner.languages.join(", ") || "—"}</dd>
        <dt>As an interviewer</dt>
        <dd data-testid="partner-ratings">
          {ratings.count === 0 ? (
            "No ratings to show yet."
          ) : (
            <>
              {ratings.count} rating{ratings.count === 1 ? "" : "s"}: preparedness {average(ratings.preparedness)}, hints{" "}
              {average(ratings.hint_clarity)}, feedback {average(ratings.feedback_quality)}
            </>
          )}
        </dd>
        <dt>Score agreement</dt>
        <dd>
          {agreement.steps_compared === 0 || agreement.mean_gap === null
            ? "Not enough self-assessments to compare yet."
            : `Their scores were ${agreement.mean_gap.toFixed(1)} levels from their candidates' own view on average; within one level on ${Math.round((agreement.within_one_level ?? 0) * 100)}% of ${agreement.steps_compared} steps.`}
        </dd>
      </dl>
    </section>
  );
}

function BlockForm({ username }: { username: string }) {
  const [reason, setReason] = useState("");
  const [report, setReport] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const block = await PracticeApi.block(username, reason, report);
      setDone(block.report ? `You blocked ${username} and reported them to the moderators.` : `You blocked ${username}.`);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <section className="card" role="status">
        {done} You will not be paired again.
      </section>
    );
  }
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="block-h">
      <h2 id="block-h">Block or report</h2>
      <p className="muted small">A block means you are never paired with {username} again. Reporting also asks the moderators to look at what happened.</p>
      {error && <ErrorBox title="Could not block" error={error} />}
      <label>
        Reason
        <textarea rows={3} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} required />
      </label>
      <label className="radio">
        <input type="checkbox" checked={report} onChange={(e) => setReport(e.target.checked)} /> Report to the moderators too
      </label>
      <div>
        <button type="submit" className="btn btn-danger" disabled={busy || !reason.trim()}>
          {report ? "Block and report" : "Block"}
        </button>
      </div>
    </form>
  );
}
