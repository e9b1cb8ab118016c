import { useState, type FormEvent } from "react";
import { Api, type FrameworkStep, type SelfAssessmentStep } from "../../api";
import { ErrorBox, Loading } from "../../components/ui";
import { useAsync } from "../../useAsync";
import { Section } from "./Section";
import { formatGap, formatLevel, gapSummary, selfAssessmentBody } from "./shape";
import { useAction } from "./useReport";

export type LevelLabels = Record<string, string>;

function levelText(level: number | null, labels: LevelLabels): string {
  if (level === null) return "—";
  const label = Number.isInteger(level) ? labels[String(level)] : undefined;
  return label ? `${level} · ${label}` : formatLevel(level);
}

/** Per step: the candidate's own level, the interviewer's, and the gap between them. */
export function GapTable({ steps, labels }: { steps: SelfAssessmentStep[]; labels: LevelLabels }) {
  const summary = gapSummary(steps);
  return (
    <>
      <div className="table-wrap">
        <table className="gap-table" data-testid="gap-table">
          <caption className="sr-only">Self-assessment against the interviewer's levels</caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Self</th>
              <th scope="col">Interviewer</th>
              <th scope="col" className="num">Gap</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s) => {
              const gap = formatGap(s.gap);
              return (
                <tr key={s.step}>
                  <th scope="row">{s.title}</th>
                  <td>{levelText(s.self_level, labels)}</td>
                  <td>{levelText(s.interviewer_level, labels)}</td>
                  <td className={`num gap gap-${gap.tone}`} title={gap.words} data-testid={`gap-${s.step}`}>
                    {gap.text}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        Gap = self minus interviewer; + means the candidate rated themselves higher.
        {summary.meanAbsGap !== null && ` Average distance over ${summary.compared} step${summary.compared === 1 ? "" : "s"}: ${summary.meanAbsGap}.`}
      </p>
    </>
  );
}

interface FormProps {
  sessionId: string;
  rubricId: number;
  initial: Record<string, number> | null;
  onSaved: (levels: Record<string, number>) => void;
  onCancel?: () => void;
}

/** The candidate's short form: a level 1..4 per step, with the rubric's level names. */
export function SelfAssessmentForm({ sessionId, rubricId, initial, onSaved, onCancel }: FormProps) {
  const setup = useAsync(() => Promise.all([Api.framework(), Api.rubric(rubricId)]), [rubricId]);
  if (setup.status === "loading") return <Loading what="Loading the form" />;
  if (setup.status === "error") return <ErrorBox title="Could not load the form" error={setup.error} onRetry={setup.reload} />;
  const [framework, rubric] = setup.data;
  return (
    <LevelsForm
      sessionId={sessionId}
      steps={framework.steps}
      labels={rubric.levels}
      initial={initial}
      onSaved={onSaved}
      onCancel={onCancel}
    />
  );
}

function LevelsForm({
  sessionId,
  steps,
  labels,
  initial,
  onSaved,
  onCancel,
}: Omit<FormProps, "rubricId"> & { steps: FrameworkStep[]; labels: LevelLabels }) {
  const [levels, setLevels] = useState<Record<string, number | null>>(() =>
    Object.fromEntries(steps.map((s) => [s.key, initial?.[s.key] ?? null])),
  );
  const body = selfAssessmentBody(levels);
  const save = useAction(async () => {
    await Api.saveSelfAssessment(sessionId, body.levels);
    onSaved(body.levels);
  });
  const levelKeys = Object.keys(labels).sort();
  const count = Object.keys(body.levels).length;

  function submit(event: FormEvent) {
    event.preventDefault();
    void save.start();
  }

  return (
    <form className="self-form" onSubmit={submit} aria-label="Self-assessment" data-testid="self-assessment-form">
      <p className="small">
        How did each step go, in your own judgement? Pick the level that fits; leave a step out if you did not reach it. The report then shows where you and the interviewer disagree.
      </p>
      <div className="self-grid">
        {steps.map((step) => (
          <div key={step.key} className="self-step" role="radiogroup" aria-labelledby={`self-${step.key}-title`}>
            <span id={`self-${step.key}-title`} className="self-step-title">{step.title}</span>
            <div className="self-levels">
              {levelKeys.map((key) => {
                const level = Number(key);
                return (
                  <label key={key} className={`self-level ${levels[step.key] === level ? "is-selected" : ""}`}>
                    <input
                      type="radio"
                      name={`self-${step.key}`}
                      value={key}
                      checked={levels[step.key] === level}
                      onChange={() => setLevels((l) => ({ ...l, [step.key]: level }))}
                      aria-label={`${step.title}: ${key} ${labels[key]}`}
                    />
                    <span className="self-level-num">{key}</span> {labels[key]}
                  </label>
                );
              })}
            </div>
          </div>
        ))}
      </div>
      {save.error && <ErrorBox title="Could not save your self-assessment" error={save.error} />}
      <div className="inline">
        <button type="submit" className="btn btn-primary" disabled={save.busy || count === 0}>
          {save.busy ? "Saving…" : "Save my self-assessment"}
        </button>
        {onCancel && (
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            Cancel
          </button>
        )}
        <span className="muted small">{count} of {steps.length} steps rated</span>
      </div>
    </form>
  );
}

interface SectionProps {
  sessionId: string;
  rubricId: number;
  isCandidate: boolean;
  /** The comparison from the report on screen, when there is one and it includes the self-assessment. */
  steps: SelfAssessmentStep[] | null;
  labels: LevelLabels;
  /** What the candidate saved (null: nothing yet; undefined: not known, e.g. not the candidate). */
  saved: Record<string, number> | null | undefined;
  onSaved: (levels: Record<string, number>) => void;
  /** Whether the report content is visible to this viewer (else the comparison waits for release). */
  contentVisible: boolean;
  rebuilding: boolean;
  /** `generated_at` of the report on screen: a newer one includes what was just saved. */
  generatedAt: string | null;
}

/** Self-assessment against the interviewer: the comparison, or the candidate's form. */
export function SelfAssessmentSection({ sessionId, rubricId, isCandidate, steps, labels, saved, onSaved, contentVisible, rebuilding, generatedAt }: SectionProps) {
  const [editing, setEditing] = useState(false);
  // The report that was on screen when the candidate saved: until a newer one arrives, its
  // comparison is out of date.
  const [savedAgainst, setSavedAgainst] = useState<string | null | undefined>(undefined);
  const stale = savedAgainst !== undefined && (rebuilding || generatedAt === savedAgainst);
  const handleSaved = (levels: Record<string, number>) => {
    setEditing(false);
    setSavedAgainst(generatedAt);
    onSaved(levels);
  };

  let body;
  let comparing = false;
  if (isCandidate && (editing || saved === null)) {
    body = (
      <SelfAssessmentForm
        sessionId={sessionId}
        rubricId={rubricId}
        initial={saved ?? null}
        onSaved={handleSaved}
        onCancel={editing ? () => setEditing(false) : undefined}
      />
    );
  } else if (steps && !stale) {
    comparing = true;
    body = (
      <>
        <GapTable steps={steps} labels={labels} />
        {isCandidate && (
          <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
            Change my answers
          </button>
        )}
      </>
    );
  } else if (isCandidate && saved) {
    body = (
      <p role="status" data-testid="self-assessment-saved">
        {rebuilding || contentVisible ? (
          <>
            <span className="spinner" aria-hidden="true" /> Your self-assessment is saved; the report is being rebuilt to compare it with the interviewer's levels.
          </>
        ) : (
          "Your self-assessment is saved. The comparison appears in your report once the interviewer releases it."
        )}{" "}
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setEditing(true)}>
          Change my answers
        </button>
      </p>
    );
  } else if (isCandidate) {
    body = <Loading what="Loading your self-assessment" />;
  } else {
    body = <p className="muted">The candidate has not assessed themselves for this interview.</p>;
  }

  return (
    <Section id="self-assessment" title={comparing || !isCandidate ? "Self-assessment vs interviewer" : "Your self-assessment"}>
      {body}
    </Section>
  );
}
