import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { Api, ApiError, type CaseStudyFacets } from "../api";
import { PracticeApi, type PracticeDomain, type PracticeLevel, type PracticeProfile } from "../api/practice";
import { ErrorBox, Loading, domainName } from "../components/ui";
import { useAsync } from "../useAsync";
import { WEEKDAYS, slotAdd, slotChange, slotProblems, slotRemove, slotsChanged, slotsForServer, slotsFromServer, type SlotDraft } from "./practiceModel";

const LEVELS: [PracticeLevel, string][] = [
  ["mid", "Mid-level"],
  ["senior", "Senior"],
  ["staff", "Staff"],
];

interface Setup {
  profile: PracticeProfile | null;
  facets: CaseStudyFacets;
}

/** The practice profile (what the matcher pairs on) and the weekly availability editor. */
export function PracticeProfilePage() {
  const setup = useAsync<Setup>(async () => {
    const [profile, facets] = await Promise.all([PracticeApi.profile(), Api.caseStudyFacets()]);
    return { profile, facets };
  }, []);
  return (
    <main className="page narrow">
      <div className="page-head">
        <h1>Practice profile</h1>
        <Link className="btn btn-ghost" to="/practice">Back to practice</Link>
      </div>
      {setup.status === "loading" && <Loading what="Loading your practice profile" />}
      {setup.status === "error" && <ErrorBox title="Could not load your practice profile" error={setup.error} onRetry={setup.reload} />}
      {setup.status === "ok" && (
        <>
          <ProfileForm profile={setup.data.profile} facets={setup.data.facets} onSaved={setup.refresh} />
          {setup.data.profile ? (
            <AvailabilityEditor profile={setup.data.profile} onSaved={setup.refresh} />
          ) : (
            <p className="muted">Save your profile first; then set the weekly times you can practise.</p>
          )}
        </>
      )}
    </main>
  );
}

function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

function FieldError({ error, name }: { error: ApiError | null; name: string }) {
  const messages = error?.fields[name];
  if (!messages?.length) return null;
  return (
    <span className="field-error" id={`${name}-error`}>
      {messages.join(" ")}
    </span>
  );
}

/** A form's save: busy while `write` runs, then saved (and `onSaved`) or the server's error. */
function useSave(onSaved: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  async function run(event: FormEvent, write: () => Promise<void>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await write();
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, saved, run };
}

function ProfileForm({ profile, facets, onSaved }: { profile: PracticeProfile | null; facets: CaseStudyFacets; onSaved: () => void }) {
  const [targetRole, setTargetRole] = useState(profile?.target_role ?? "");
  const [level, setLevel] = useState<PracticeLevel>(profile?.level ?? "senior");
  const [domains, setDomains] = useState<string[]>(profile?.domains ?? []);
  const [timeZone, setTimeZone] = useState(profile?.time_zone ?? browserZone());
  const [languages, setLanguages] = useState((profile?.languages ?? ["en"]).join(", "));
  const { busy, error, saved, run } = useSave(onSaved);

  function submit(event: FormEvent) {
    return run(event, async () => {
      await PracticeApi.saveProfile({
        target_role: targetRole,
        level,
        domains: domains as PracticeDomain[],
        time_zone: timeZone.trim(),
        languages: languages.split(/[\s,]+/).filter(Boolean),
      });
    });
  }

  const invalid = (name: string) => (error?.fields[name]?.length ? { "aria-invalid": true, "aria-describedby": `${name}-error` } : {});

  return (
    <form className="card form" onSubmit={submit} aria-label="Practice profile">
      {error && <ErrorBox title="Could not save your profile" error={error} />}
      <label>
        Target role
        <input value={targetRole} maxLength={100} onChange={(e) => setTargetRole(e.target.value)} placeholder="e.g. ML engineer, recommendations" {...invalid("target_role")} />
        <FieldError error={error} name="target_role" />
      </label>
      <label>
        Level
        <select value={level} onChange={(e) => setLevel(e.target.value as PracticeLevel)}>
          {LEVELS.map(([value, label]) => (
            <option key={value} value={value}>{label}</option>
          ))}
        </select>
        <span className="muted small">You are paired with people at most one level apart.</span>
      </label>
      <fieldset>
        <legend>Domains you want to practise <span className="muted small">(none: any)</span></legend>
        <div className="inline">
          {facets.domains.map((d) => (
            <label key={d.value} className="radio">
              <input
                type="checkbox"
                checked={domains.includes(d.value)}
                onChange={(e) => setDomains(e.target.checked ? [...domains, d.value] : domains.filter((x) => x !== d.value))}
              />
              {d.label || domainName(d.value)}
            </label>
          ))}
        </div>
        <FieldError error={error} name="domains" />
      </fieldset>
      <label>
        Time zone
        <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} placeholder="Europe/Berlin" {...invalid("time_zone")} />
        <FieldError error={error} name="time_zone" />
      </label>
      <label>
        Languages you can interview in
        <input value={languages} onChange={(e) => setLanguages(e.target.value)} placeholder="en, de" {...invalid("languages")} />
        <span className="muted small">Two-letter codes, separated by commas.</span>
        <FieldError error={error} name="languages" />
      </label>
      <div className="inline">
        <button className="btn btn-primary" type="submit" disabled={busy}>{busy ? "Saving…" : "Save profile"}</button>
        {saved && <span role="status" className="muted">Profile saved.</span>}
      </div>
    </form>
  );
}

function AvailabilityEditor({ profile, onSaved }: { profile: PracticeProfile; onSaved: () => void }) {
  const [drafts, setDrafts] = useState<SlotDraft[]>(() => slotsFromServer(profile.slots));
  const { busy, error, saved, run } = useSave(onSaved);
  const [day, setDay] = useState(0);
  const changed = slotsChanged(drafts, profile.slots);
  const problems = slotProblems(drafts);
  const hasProblems = Object.keys(problems).length > 0;

  function save(event: FormEvent) {
    return run(event, async () => {
      const result = await PracticeApi.saveAvailability(slotsForServer(drafts));
      setDrafts(slotsFromServer(result.slots));
    });
  }

  const sorted = [...drafts].sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
  return (
    <form className="card form" onSubmit={save} aria-labelledby="availability-h">
      <h2 id="availability-h">Weekly availability</h2>
      <p className="muted small">
        Times in your time zone ({profile.time_zone}), as HH:MM on the half hour (24:00 ends a slot at midnight). A pairing takes 90 minutes: two interviews back to back.
      </p>
      {error && (
        <div className="state state-error" role="alert" data-testid="availability-error">
          <strong>Your availability was not saved.</strong> {error.message}
        </div>
      )}
      {sorted.length === 0 ? (
        <p className="muted">No weekly slots yet: add the times you could practise.</p>
      ) : (
        <ul className="rows" aria-label="Slots">
          {sorted.map((d) => (
            <li key={d.key} className="row" data-testid="slot-row" aria-invalid={problems[d.key] ? true : undefined}>
              <div className="inline">
                <label>
                  <span className="sr-only">Day</span>
                  <select value={d.weekday} onChange={(e) => setDrafts(slotChange(drafts, d.key, { weekday: Number(e.target.value) }))}>
                    {WEEKDAYS.map((name, i) => (
                      <option key={name} value={i}>{name}</option>
                    ))}
                  </select>
                </label>
                <TimeField label={`${WEEKDAYS[d.weekday]} from`} value={d.start} problem={problems[d.key] ? `${d.key}-problem` : undefined} onChange={(start) => setDrafts(slotChange(drafts, d.key, { start }))} />
                <span aria-hidden="true">to</span>
                <TimeField label={`${WEEKDAYS[d.weekday]} to`} value={d.end} problem={problems[d.key] ? `${d.key}-problem` : undefined} onChange={(end) => setDrafts(slotChange(drafts, d.key, { end }))} />
              </div>
              {problems[d.key] && (
                <span className="field-error" id={`${d.key}-problem`} data-testid="slot-problem">
                  {problems[d.key]}
                </span>
              )}
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setDrafts(slotRemove(drafts, d.key))} aria-label={`Remove ${WEEKDAYS[d.weekday]} ${d.start}–${d.end}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="inline">
        <label className="inline">
          <span className="sr-only">Day to add</span>
          <select value={day} onChange={(e) => setDay(Number(e.target.value))} aria-label="Day to add">
            {WEEKDAYS.map((name, i) => (
              <option key={name} value={i}>{name}</option>
            ))}
          </select>
        </label>
        <button type="button" className="btn" onClick={() => setDrafts(slotAdd(drafts, day))}>Add a slot</button>
      </div>
      <div className="inline">
        <button className="btn btn-primary" type="submit" disabled={busy || !changed || hasProblems}>{busy ? "Saving…" : "Save availability"}</button>
        {saved && !changed && <span role="status" className="muted">Availability saved.</span>}
        {hasProblems && <span className="muted small">Fix the slots marked above to save.</span>}
      </div>
    </form>
  );
}

/** HH:MM as typed: plain text rather than a time input, which cannot hold 24:00 (a slot's end at midnight). */
function TimeField({ label, value, problem, onChange }: { label: string; value: string; problem?: string; onChange: (value: string) => void }) {
  return (
    <input
      aria-label={label}
      type="text"
      inputMode="numeric"
      pattern="[0-9]{2}:[0-9]{2}"
      size={5}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      aria-invalid={problem ? true : undefined}
      aria-describedby={problem}
      required
    />
  );
}
