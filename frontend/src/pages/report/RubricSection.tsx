import { Badge } from "../../components/ui";
import type { RubricResult } from "../../api";
import { Section } from "./Section";
import { formatScore } from "./shape";

function bandTone(band: string | null): "good" | "warn" | "bad" | "neutral" {
  if (band === "strong_hire" || band === "lean_hire") return "good";
  if (band === "lean_no_hire") return "warn";
  if (band === "strong_no_hire") return "bad";
  return "neutral";
}

/** The weighted score, the hire band and every criterion with its level's anchor text. */
export function RubricSection({ rubric }: { rubric: RubricResult }) {
  const scored = rubric.criteria.filter((c) => c.level !== null).length;
  return (
    <Section id="rubric" title="Rubric result" aside={<span className="muted small">{rubric.name} · v{rubric.version}</span>}>
      <div className="score-head">
        <div className="score-big" data-testid="report-score">
          <span className="score-value">{formatScore(rubric.weighted_score)}</span>
          <span className="score-of">/ 4</span>
        </div>
        <div>
          {rubric.band_label ? (
            <Badge tone={bandTone(rubric.band)}>{rubric.band_label}</Badge>
          ) : (
            <Badge>No band: nothing scored</Badge>
          )}
          {rubric.verdict && (
            <p className="verdict" data-testid="report-verdict">
              Target {rubric.target_level}: <strong>{rubric.verdict}</strong>
            </p>
          )}
          <p className="muted small">
            Weighted over {scored} of {rubric.criteria.length} criteria scored.
          </p>
          {rubric.gate_note && (
            <p className="small" role="note" data-testid="report-gate-note">
              {rubric.gate_note}
            </p>
          )}
          {rubric.unscored_note && (
            <p className="muted small" data-testid="report-unscored-note">
              {rubric.unscored_note}
            </p>
          )}
        </div>
      </div>
      <ol className="criteria-list">
        {rubric.criteria.map((c) => (
          <li key={c.key} className="criterion-result" data-testid={`criterion-result-${c.key}`} data-step={c.step ?? ""}>
            <div className="criterion-result-head">
              <h3>
                {c.title}
                {c.gate && <span className="muted small"> · must pass</span>}
              </h3>
              <span className={`level-pill level-${c.level ?? "none"}`}>
                {c.level ? `${c.level} · ${c.level_label ?? ""}` : c.not_reached ? "Not reached · not scored" : "Not scored"}
              </span>
            </div>
            {c.anchor && <p className="anchor-quote">{c.anchor}</p>}
            {c.comment.trim() ? (
              <p className="criterion-comment">
                <span className="muted small">Interviewer: </span>
                {c.comment}
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </Section>
  );
}
