import type { Pitfall } from "../../api";
import { QuoteLine } from "./CoverageSection";
import { ReviewButtons, type Review } from "./Review";
import { Section } from "./Section";

/** Common mistakes the rules found, each with why it costs points, what triggered it and the
 * candidate's words behind it; those the interviewer rejected are listed apart. */
export function PitfallsSection({
  pitfalls,
  rejected = [],
  titles = {},
  startedAt,
  sessionId,
  review,
}: {
  pitfalls: Pitfall[];
  rejected?: Pitfall[];
  titles?: Record<string, string>;
  startedAt?: string | null;
  /** Links each quote to its moment in the replay. */
  sessionId?: string;
  /** The interviewer, before release: confirm or reject each pitfall. */
  review?: Review;
}) {
  return (
    <Section id="pitfalls" title="Pitfalls" aside={<span className="muted small">{pitfalls.length === 0 ? "none found" : `${pitfalls.length} found`}</span>}>
      {pitfalls.length === 0 ? (
        <p className="muted">No common pitfall was detected in this interview.</p>
      ) : (
        <ul className="pitfalls" data-testid="pitfalls">
          {pitfalls.map((p) => (
            <li key={p.code} className="pitfall" data-code={p.code}>
              <h3>
                {p.title}
                {p.override === "confirmed" && <span className="badge badge-good small"> confirmed by the interviewer</span>}
              </h3>
              {review && <ReviewButtons review={review} kind="pitfall" itemKey={p.code} label={p.title} current={p.override} />}
              <p>
                <span className="label">Why it matters</span> {p.why}
              </p>
              <p className="evidence">
                <span className="label">Evidence</span> {p.evidence}
              </p>
              {(p.quotes ?? []).length > 0 && (
                <div className="pitfall-quotes" data-testid="pitfall-quotes">
                  {(p.quotes ?? []).map((q, i) => (
                    <QuoteLine key={i} quote={q} startedAt={startedAt} titles={titles} sessionId={sessionId} />
                  ))}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {rejected.length > 0 && (
        <div data-testid="rejected-pitfalls">
          <h3 className="small">Rejected by the interviewer</h3>
          <ul className="pitfalls rejected-list">
            {rejected.map((p) => (
              <li key={p.code} className="pitfall" data-code={p.code}>
                <s>{p.title}</s>
                {review && <ReviewButtons review={review} kind="pitfall" itemKey={p.code} label={p.title} current={p.override} />}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Section>
  );
}
