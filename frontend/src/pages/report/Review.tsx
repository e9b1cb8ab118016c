/** The interviewer's review of the report before release: confirm or reject each credit and pitfall. */
export type OverrideKind = "credit" | "pitfall";
export type OverrideDecision = "confirmed" | "rejected";

export interface Review {
  decide: (kind: OverrideKind, key: string, decision: OverrideDecision | null) => void;
  busy: boolean;
}

/** Confirm / Reject toggles for one item; pressing the chosen one again takes it back. */
export function ReviewButtons({
  review,
  kind,
  itemKey,
  label,
  current,
}: {
  review: Review;
  kind: OverrideKind;
  itemKey: string;
  label: string;
  current: OverrideDecision | undefined;
}) {
  const toggle = (decision: OverrideDecision) => review.decide(kind, itemKey, current === decision ? null : decision);
  return (
    <span className="review-buttons" role="group" aria-label={`Review ${label}`}>
      <button
        type="button"
        className="btn btn-small btn-ghost"
        aria-pressed={current === "confirmed"}
        disabled={review.busy}
        onClick={() => toggle("confirmed")}
        data-testid={`confirm-${kind}-${itemKey}`}
      >
        Confirm
      </button>
      <button
        type="button"
        className="btn btn-small btn-ghost"
        aria-pressed={current === "rejected"}
        disabled={review.busy}
        onClick={() => toggle("rejected")}
        data-testid={`reject-${kind}-${itemKey}`}
      >
        {current === "rejected" ? "Restore" : "Reject"}
      </button>
    </span>
  );
}

export function creditKey(step: string, name: string): string {
  return `${step}:${name}`;
}
