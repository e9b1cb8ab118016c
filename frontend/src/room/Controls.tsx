import { useEffect, useRef, useState } from "react";
import type { RoomController } from "./controller";
import type { TimerState } from "./protocol";

const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: "Alt+S", what: "Start / pause / resume the timer" },
  { keys: "Alt+N", what: "Next step" },
  { keys: "Alt+1 … Alt+7", what: "Go to step 1 … 7" },
  { keys: "Alt+E", what: "Add 2 minutes to the current step" },
  { keys: "Alt+L", what: "Lock / unlock the board for the candidate" },
  { keys: "Alt+Shift+X", what: "End the interview (asks to confirm)" },
  { keys: "Alt+H", what: "Show / hide this help" },
];

/** Interviewer controls with keyboard shortcuts (Alt+key: plain keys belong to Excalidraw). */
export function Controls({
  room,
  timer,
  boardLocked,
  disabled,
}: {
  room: RoomController;
  timer: TimerState;
  boardLocked: boolean;
  disabled: boolean;
}) {
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [help, setHelp] = useState(false);

  const primary =
    timer.status === "not_started"
      ? { label: "Start", action: () => room.timer("timer.start") }
      : timer.status === "running"
        ? { label: "Pause", action: () => room.timer("timer.pause") }
        : { label: "Resume", action: () => room.timer("timer.resume") };
  const last = timer.current_step >= timer.steps.length - 1;

  // Latest values for the one keydown listener.
  const latest = useRef({ primary, boardLocked, timer, disabled });
  latest.current = { primary, boardLocked, timer, disabled };

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const { primary, boardLocked, timer, disabled } = latest.current;
      const code = event.code;
      let handled = true;
      if (code === "KeyH") setHelp((h) => !h);
      else if (disabled) handled = false;
      else if (code === "KeyS" && !event.shiftKey) primary.action();
      else if (code === "KeyN" && !event.shiftKey) room.timer("timer.next");
      else if (code === "KeyE" && !event.shiftKey) room.extend(2);
      else if (code === "KeyL" && !event.shiftKey) room.lockBoard(!boardLocked);
      else if (code === "KeyX" && event.shiftKey) setConfirmEnd(true);
      else if (/^Digit[1-9]$/.test(code)) {
        const step = timer.steps[Number(code.slice(5)) - 1];
        if (step) room.gotoStep(step.key);
        else handled = false;
      } else handled = false;
      if (handled) {
        event.preventDefault();
        event.stopPropagation();
      }
    }
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [room]);

  // The help popover and the end confirmation close with Escape.
  useEffect(() => {
    if (!help && !confirmEnd) return;
    function onKey(event: KeyboardEvent) {
      if (event.key !== "Escape") return;
      event.stopPropagation();
      setHelp(false);
      setConfirmEnd(false);
    }
    window.addEventListener("keydown", onKey, true);
    return () => window.removeEventListener("keydown", onKey, true);
  }, [help, confirmEnd]);

  return (
    <div className="controls" role="toolbar" aria-label="Interviewer controls">
      <button type="button" className="btn btn-primary" onClick={primary.action} disabled={disabled} title={`${primary.label} (Alt+S)`}>
        {primary.label}
      </button>
      <button type="button" className="btn" onClick={() => room.timer("timer.next")} disabled={disabled || last || timer.status === "not_started"} title="Next step (Alt+N)">
        Next step
      </button>
      <button type="button" className="btn" onClick={() => room.extend(2)} disabled={disabled || timer.status === "not_started"} title="Add 2 minutes to this step (Alt+E)" aria-label="Add 2 minutes to the current step">
        +2 min
      </button>
      <button
        type="button"
        className={`btn ${boardLocked ? "btn-on" : ""}`}
        onClick={() => room.lockBoard(!boardLocked)}
        disabled={disabled}
        aria-pressed={boardLocked}
        title="Lock the board for the candidate (Alt+L)"
      >
        {boardLocked ? "Unlock board" : "Lock board"}
      </button>
      {confirmEnd ? (
        <span className="confirm" role="alertdialog" aria-label="Confirm ending the interview">
          End for everyone?
          <button type="button" className="btn btn-danger" onClick={() => { setConfirmEnd(false); room.endSession(); }} autoFocus>
            End now
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => setConfirmEnd(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button type="button" className="btn btn-danger-outline" onClick={() => setConfirmEnd(true)} disabled={disabled} title="End the interview (Alt+Shift+X)">
          End interview
        </button>
      )}
      <span className="help-wrap">
        <button type="button" className="btn btn-ghost btn-icon" aria-expanded={help} aria-controls="shortcut-help" onClick={() => setHelp((h) => !h)} title="Keyboard shortcuts (Alt+H)" aria-label="Keyboard shortcuts">
          ?
        </button>
        {help && (
          <div id="shortcut-help" className="popover" role="dialog" aria-label="Keyboard shortcuts">
            <h3>Keyboard shortcuts</h3>
            <dl>
              {SHORTCUTS.map((s) => (
                <div key={s.keys}>
                  <dt><kbd>{s.keys}</kbd></dt>
                  <dd>{s.what}</dd>
                </div>
              ))}
            </dl>
            <button type="button" className="btn btn-small" onClick={() => setHelp(false)}>Close</button>
          </div>
        )}
      </span>
    </div>
  );
}
