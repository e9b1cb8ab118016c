import { Link } from "react-router-dom";
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import type { Progress } from "../../api";
import { formatDateTime } from "../../components/ui";
import { stepColour } from "./colours";
import { Section } from "./Section";
import { formatLevel, progressChartData, stepsWithData, type ProgressPoint } from "./shape";
import type { LevelLabels } from "./SelfAssessment";

function shortDate(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

interface Props {
  progress: Progress;
  /** Step keys in framework order, with their titles. */
  stepKeys: string[];
  titles: Record<string, string>;
  labels: LevelLabels;
  candidate: string | null;
}

/** The candidate's level per step over their interviews, the weakest steps, and what to practise next. */
export function ProgressSection({ progress, stepKeys, titles, labels, candidate }: Props) {
  const data = progressChartData(progress.history, stepKeys, shortDate);
  const lines = stepsWithData(progress.history, stepKeys);
  return (
    <Section id="progress" title="Progress" aside={<span className="muted small">{progress.history.length} interview{progress.history.length === 1 ? "" : "s"} as candidate{candidate ? ` (${candidate})` : ""}</span>}>
      {lines.length === 0 ? (
        <p className="muted">No scored interviews yet: the chart fills in as the rubric is scored.</p>
      ) : (
        <div className="progress-chart" data-testid="progress-chart">
          <LineChart responsive data={data} style={{ width: "100%", height: 260 }} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" tick={{ fontSize: 12 }} padding={{ left: 16, right: 16 }} />
            <YAxis domain={[1, 4]} ticks={[1, 2, 3, 4]} tick={{ fontSize: 12 }} tickFormatter={(v: number) => labels[String(v)] ?? String(v)} width={96} />
            <Tooltip
              formatter={(value, name) => [formatLevel(value as number | null), name]}
              labelFormatter={(_, payload) => {
                const point = payload?.[0]?.payload as ProgressPoint | undefined;
                return point ? `${point.label} · ${point.caseStudy}` : "";
              }}
            />
            {lines.map((key) => (
              <Line
                key={key}
                type="monotone"
                dataKey={key}
                name={titles[key] ?? key}
                stroke={stepColour(stepKeys.indexOf(key))}
                strokeWidth={2}
                dot={{ r: 3 }}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
          <ul className="chart-legend">
            {lines.map((key) => (
              <li key={key}>
                <span className="swatch" style={{ background: stepColour(stepKeys.indexOf(key)) }} aria-hidden="true" /> {titles[key] ?? key}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="progress-cols">
        <div>
          <h3>Weakest steps</h3>
          {progress.weakest_steps.length === 0 ? (
            <p className="muted small">Nothing scored yet.</p>
          ) : (
            <ol className="weakest">
              {progress.weakest_steps.slice(0, 3).map((w) => (
                <li key={w.step}>
                  <strong>{titles[w.step] ?? w.step}</strong>{" "}
                  <span className="muted small">
                    average {formatLevel(w.average)} over {w.sessions} interview{w.sessions === 1 ? "" : "s"}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </div>
        <div>
          <h3>Practise next</h3>
          {progress.recommendations.length === 0 ? (
            <p className="muted small">Every case study has been practised.</p>
          ) : (
            <ul className="recommendations" data-testid="recommendations">
              {progress.recommendations.map((r) => (
                <li key={r.slug}>
                  <Link to={`/sessions/new?case=${encodeURIComponent(r.slug)}`}>{r.title}</Link>
                  <p className="small muted">{r.why}</p>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
      {progress.history.length > 0 && (
        <p className="muted small">
          Since {formatDateTime(progress.history[0]?.ended_at)}.
        </p>
      )}
    </Section>
  );
}
