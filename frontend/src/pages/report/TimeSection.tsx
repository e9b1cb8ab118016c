import { Bar, BarChart, CartesianGrid, Rectangle, Tooltip, XAxis, YAxis, type BarShapeProps } from "recharts";
import type { Timing } from "../../api";
import { stepColour } from "./colours";
import { Section } from "./Section";
import { formatMinutes, formatPercent, overrunSteps, timeChartData, type TimeBar } from "./shape";

const PLANNED = "#b8c4e6";
const ACTUAL = "#3b5bdb";
const OVERRUN = "#e03131";

/** An actual-minutes bar, red when the step ran over its plan. */
function ActualBar(props: BarShapeProps) {
  const over = (props.payload as TimeBar | undefined)?.isOverrun;
  return <Rectangle {...props} fill={over ? OVERRUN : ACTUAL} />;
}

/** Planned against actual minutes per step, overruns in red, and each step's share. */
export function TimeSection({ time }: { time: Timing }) {
  const bars = timeChartData(time);
  const overruns = overrunSteps(time);
  return (
    <Section
      id="time"
      title="Time per step"
      aside={
        <span className="muted small">
          {formatMinutes(time.total.actual_minutes)} of {formatMinutes(time.total.planned_minutes)} planned
        </span>
      }
    >
      <ul className="chart-legend" aria-hidden="true">
        <li><span className="swatch" style={{ background: PLANNED }} /> Planned</li>
        <li><span className="swatch" style={{ background: ACTUAL }} /> Actual</li>
        <li><span className="swatch" style={{ background: OVERRUN }} /> Actual, over plan</li>
      </ul>
      <div className="time-chart" data-testid="time-chart">
        <BarChart responsive data={bars} style={{ width: "100%", height: 260 }} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} barGap={2}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 12 }} interval={0} />
          <YAxis tick={{ fontSize: 12 }} allowDecimals={false} unit="m" />
          <Tooltip
            formatter={(value, name) => [formatMinutes(Number(value)), name]}
            labelFormatter={(_, payload) => (payload?.[0]?.payload as TimeBar | undefined)?.title ?? ""}
          />
          <Bar dataKey="planned" name="Planned" fill={PLANNED} isAnimationActive={false} />
          <Bar dataKey="actual" name="Actual" fill={ACTUAL} shape={ActualBar} isAnimationActive={false} />
        </BarChart>
      </div>
      <p className="small">
        {overruns.length === 0
          ? "No step ran over its plan."
          : `Over plan: ${overruns.map((o) => `${o.title} (+${formatMinutes(o.overrun)})`).join(", ")}.`}
      </p>
      <ShareBar bars={bars} />
      <div className="table-wrap">
        <table className="compact" data-testid="time-table">
          <caption className="sr-only">Minutes per step</caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col" className="num">Planned</th>
              <th scope="col" className="num">Actual</th>
              <th scope="col" className="num">Over</th>
              <th scope="col" className="num">Share</th>
            </tr>
          </thead>
          <tbody>
            {bars.map((b) => (
              <tr key={b.key} className={b.isOverrun ? "is-overrun" : undefined}>
                <th scope="row">{b.title}</th>
                <td className="num">{formatMinutes(b.planned)}</td>
                <td className="num">{formatMinutes(b.actual)}</td>
                <td className="num">{b.isOverrun ? `+${formatMinutes(b.overrun)}` : "—"}</td>
                <td className="num">{formatPercent(b.sharePercent / 100)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

/** The interview as one bar, split by the share of time each step took. */
function ShareBar({ bars }: { bars: TimeBar[] }) {
  const used = bars.filter((b) => b.sharePercent > 0);
  if (used.length === 0) return <p className="muted small">No time was recorded on the clock.</p>;
  return (
    <div className="share" aria-label="Share of the interview per step">
      <div className="share-bar" aria-hidden="true">
        {used.map((b) => (
          <span
            key={b.key}
            className="share-seg"
            style={{ width: `${b.sharePercent}%`, background: stepColour(bars.indexOf(b)) }}
            title={`${b.title}: ${b.sharePercent}%`}
          />
        ))}
      </div>
      <ul className="share-legend">
        {bars.map((b, i) => (
          <li key={b.key}>
            <span className="swatch" style={{ background: stepColour(i) }} aria-hidden="true" />
            {b.label} {Math.round(b.sharePercent)}%
          </li>
        ))}
      </ul>
    </div>
  );
}
