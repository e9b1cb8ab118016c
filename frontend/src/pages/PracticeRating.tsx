import { useState, type FormEvent } from "react";
import { ApiError } from "../api";
import { PracticeApi, type PairingInterview } from "../api/practice";
import { ErrorBox, formatDateTime } from "../components/ui";
import { RATING_REVEAL_AFTER_MS, ratingReveal } from "./practiceModel";

type Criterion = "preparedness" | "hint_clarity" | "feedback_quality";

// The anchors of practice/apis.py's RatingApi: what each level means, so two people's 3 is the same 3.
const CRITERIA: { key: Criterion; title: string; anchors: [string, string, string, string] }[] = [
  {
    key: "preparedness",
    title: "Preparedness",
    anchors: [
      "Had not read the case",
      "Knew the prompt only",
      "Knew the guide and steered with it",
      "Anticipated where the design would go, follow-ups ready",
    ],
  },
  {
    key: "hint_clarity",
    title: "Clarity of hints",
    anchors: [
      "No hints, or confusing ones",
      "Gave the answer away, or came too late",
      "Timely, pointed without telling",
      "Unblocked me and taught something",
    ],
  },
  {
    key: "feedback_quality",
    title: "Quality of feedback",
    anchors: [
      "None, or only praise",
      "General remarks",
      "Specific, tied to moments of the interview",
      "Specific and prioritised, with what to practise next",
    ],
  },
];

/** The candidate's side of one interview: the rating form, then their rating and whether its interviewer may read it yet. */
export function RatingAsCandidate({
  pairingId,
  interview,
  other,
  now,
  onRated,
}: {
  pairingId: string;
  interview: PairingInterview;
  other: PairingInterview | undefined;
  now: number;
  onRated: () => void;
}) {
  if (interview.session_status !== "ended") {
    return <p className="muted small">You rate {interview.interviewer} once this interview has ended.</p>;
  }
  if (!interview.rating) return <RatingForm pairingId={pairingId} interview={interview} onRated={onRated} />;
  const reveal = ratingReveal(interview, other, now);
  const r = interview.rating;
  return (
    <div data-testid="my-rating">
      <p className="small">
        You rated {interview.interviewer}: preparedness {r.preparedness}, hints {r.hint_clarity}, feedback {r.feedback_quality} of 4
        {r.comment && <> · “{r.comment}”</>}
      </p>
      <p className="muted small" role="status" data-testid="reveal-state">
        {reveal.state === "hidden"
          ? `Hidden from ${interview.interviewer} until they have rated you too, or until ${formatDateTime(new Date(r.submitted_at).getTime() + RATING_REVEAL_AFTER_MS)}.`
          : `Revealed: ${interview.interviewer} can read your rating.`}
      </p>
    </div>
  );
}

/** The interviewer's side: the rating they received, once it is revealed. */
export function RatingAsInterviewer({ interview }: { interview: PairingInterview }) {
  const r = interview.rating;
  if (r) {
    return (
      <p className="small" data-testid="rating-of-me">
        {interview.candidate} rated you: preparedness {r.preparedness}, hints {r.hint_clarity}, feedback {r.feedback_quality} of 4
        {r.comment && <> · “{r.comment}”</>}
      </p>
    );
  }
  return (
    <p className="muted small" data-testid="rating-of-me">
      {interview.rating_submitted
        ? `${interview.candidate} has rated you; you can read it once you have rated them too (or 48 hours after they did).`
        : `${interview.candidate} has not rated you yet.`}
    </p>
  );
}

function RatingForm({ pairingId, interview, onRated }: { pairingId: string; interview: PairingInterview; onRated: () => void }) {
  const [levels, setLevels] = useState<Partial<Record<Criterion, number>>>({});
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const complete = CRITERIA.every((c) => levels[c.key] !== undefined);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!complete) return;
    setBusy(true);
    setError(null);
    try {
      await PracticeApi.rate(pairingId, interview.order, {
        preparedness: levels.preparedness!,
        hint_clarity: levels.hint_clarity!,
        feedback_quality: levels.feedback_quality!,
        comment,
      });
      onRated();
    } catch (err) {
      setError(err instanceof Error ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form" onSubmit={submit} aria-label={`Rate ${interview.interviewer} as your interviewer`}>
      {error && <ErrorBox title="Your rating was not saved" error={error} />}
      {CRITERIA.map((c) => (
        <fieldset key={c.key}>
          <legend>{c.title}</legend>
          <div className="anchors" role="radiogroup" aria-label={c.title}>
            {c.anchors.map((text, i) => {
              const level = i + 1;
              const selected = levels[c.key] === level;
              return (
                <button
                  key={level}
                  type="button"
                  role="radio"
                  aria-checked={selected}
                  className={`anchor${selected ? " is-selected" : ""}`}
                  onClick={() => setLevels({ ...levels, [c.key]: level })}
                >
                  <span className="anchor-level">{level}</span>
                  <span className="anchor-text">{text}</span>
                </button>
              );
            })}
          </div>
        </fieldset>
      ))}
      <label>
        Comment <span className="muted small">(optional)</span>
        <textarea rows={3} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
      </label>
      <p className="muted small">{interview.interviewer} sees your rating once they have rated you too, or 48 hours after you send it.</p>
      <button type="submit" className="btn btn-primary" disabled={busy || !complete}>
        {busy ? "Sending…" : "Send rating"}
      </button>
    </form>
  );
}
