import type { RoomController } from "./controller";
import type { TimerState } from "./protocol";
import { overallClock, stepClock, stepSpentSeconds, formatSeconds, budgetSeconds } from "./timer";
import { useTick } from "./useRoom";

/**
 * The seven steps with the current one's countdown and the overall time, computed from the last
 * `timer.state` and the server clock offset. For the interviewer each step is a "go to" button.
 */
export function StepBar({
  timer,
  clockOffset,
  room,
  interviewer,
  disabled,
}: {
  timer: TimerState;
  clockOffset: number;
  room: RoomController;
  interviewer: boolean;
  disabled: boolean;
}) {
  useTick(250, timer.status === "running");
  const serverNow = Date.now() + clockOffset;
  const overall = overallClock(timer, serverNow);
  return (
    <div className="stepbar" aria-label="Interview steps">
      <ol className="steps">
        {timer.steps.map((step, i) => {
          const current = i === timer.current_step && timer.status !== "not_started" && timer.status !== "ended";
          const clock = stepClock(timer, i, serverNow);
          const spent = stepSpentSeconds(timer, i, serverNow);
          const done = i < timer.current_step || (timer.status === "ended" && spent > 0);
          const label = current ? clock.label : done ? formatSeconds(spent) : formatSeconds(budgetSeconds(step));
          const className = [
            "step",
            current ? "step-current" : "",
            done ? "step-done" : "",
            current && clock.overtime ? "step-overtime" : "",
          ].join(" ");
          const content = (
            <>
              <span className="step-title">
                <span className="step-num">{i + 1}</span> {step.title}
              </span>
              <span
                className={`step-time ${clock.overtime && (current || done) ? "overtime" : ""}`}
                data-testid={current ? "current-step-clock" : undefined}
                title={current ? (clock.overtime ? "Overtime" : "Time left in this step") : done ? "Time spent" : "Planned time"}
              >
                {label}
              </span>
            </>
          );
          return (
            <li key={step.key} className={className} aria-current={current ? "step" : undefined} data-testid={current ? "current-step" : undefined} data-step={step.key}>
              {interviewer ? (
                <button
                  type="button"
                  className="step-inner"
                  onClick={() => room.gotoStep(step.key)}
                  disabled={disabled || current}
                  aria-label={`Go to step ${i + 1}: ${step.title}${current ? " (current)" : ""}`}
                  title={`Go to ${step.title} (Alt+${i + 1})`}
                >
                  {content}
                </button>
              ) : (
                <div className="step-inner">{content}</div>
              )}
            </li>
          );
        })}
      </ol>
      <div className={`overall ${overall.overtime ? "overtime" : ""}`} title="Overall time / planned" data-testid="overall-clock">
        <span className="muted small">{timer.status === "paused" ? "Paused" : timer.status === "not_started" ? "Not started" : timer.status === "ended" ? "Ended" : "Overall"}</span>
        <strong>{overall.elapsed}</strong>
        <span className="muted"> / {overall.budget}</span>
      </div>
    </div>
  );
}
