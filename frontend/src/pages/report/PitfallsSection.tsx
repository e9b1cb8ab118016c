import type { Pitfall } from "../../api";
import { Section } from "./Section";

/** Common mistakes the rules found, each with why it costs points and what triggered it. */
export function PitfallsSection({ pitfalls }: { pitfalls: Pitfall[] }) {
  return (
    <Section id="pitfalls" title="Pitfalls" aside={<span className="muted small">{pitfalls.length === 0 ? "none found" : `${pitfalls.length} found`}</span>}>
      {pitfalls.length === 0 ? (
        <p className="muted">No common pitfall was detected in this interview.</p>
      ) : (
        <ul className="pitfalls" data-testid="pitfalls">
          {pitfalls.map((p) => (
            <li key={p.code} className="pitfall" data-code={p.code}>
              <h3>{p.title}</h3>
              <p>
                <span className="label">Why it matters</span> {p.why}
              </p>
              <p className="evidence">
                <span className="label">Evidence</span> {p.evidence}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
