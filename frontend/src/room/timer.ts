/**
 * Timer arithmetic, per docs/protocol.md: the server sends no ticks, so each screen computes the
 * countdown from the last `timer.state` and its estimate of the server clock.
 *
 *   server_now = Date.now() + offset,  offset = server_time - local time when the message arrived
 *   spent(current, running) = spent_seconds + (server_now - segment_started_at) / 1000
 *   remaining = planned_seconds + extra_seconds - spent   (below zero is overtime)
 */
import type { TimerState, TimerStep } from "./protocol";

/** Offset to add to the local clock to get the server's clock, from one message. */
export function clockOffset(serverTime: number, receivedAtLocal: number): number {
  return serverTime - receivedAtLocal;
}

/**
 * Offset from a ping/pong round trip: the server stamped its clock somewhere in the middle of
 * the round trip, so compare it with the midpoint.
 */
export function clockOffsetFromPong(serverTime: number, sentAt: number, receivedAt: number): number {
  return serverTime - (sentAt + receivedAt) / 2;
}

export function budgetSeconds(step: TimerStep): number {
  return step.planned_seconds + step.extra_seconds;
}

/** Seconds spent in step `index`, including the running segment when it is the current one. */
export function stepSpentSeconds(timer: TimerState, index: number, serverNow: number): number {
  const step = timer.steps[index];
  if (!step) return 0;
  let spent = step.spent_seconds;
  if (
    index === timer.current_step &&
    timer.status === "running" &&
    timer.segment_started_at !== null
  ) {
    spent += Math.max(0, serverNow - timer.segment_started_at) / 1000;
  }
  return spent;
}

/** Seconds left in step `index`; negative when in overtime. */
export function stepRemainingSeconds(timer: TimerState, index: number, serverNow: number): number {
  const step = timer.steps[index];
  if (!step) return 0;
  return budgetSeconds(step) - stepSpentSeconds(timer, index, serverNow);
}

export function totalBudgetSeconds(timer: TimerState): number {
  return timer.steps.reduce((sum, step) => sum + budgetSeconds(step), 0);
}

function totalSpentSeconds(timer: TimerState, serverNow: number): number {
  return timer.steps.reduce((sum, _step, i) => sum + stepSpentSeconds(timer, i, serverNow), 0);
}

interface StepClock {
  /** Whole seconds shown: remaining while within budget, overtime once past it. */
  seconds: number;
  overtime: boolean;
  /** "4:05", or "+0:12" in overtime. */
  label: string;
}

/** Format whole seconds as m:ss (h:mm:ss past an hour). */
export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.floor(total));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const ss = String(seconds).padStart(2, "0");
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, "0")}:${ss}`;
  return `${minutes}:${ss}`;
}

/**
 * The countdown of one step as both screens show it. Remaining time rounds up (a countdown shows
 * 0:01 until the very end), overtime rounds down, so the display turns "+0:00" exactly when the
 * budget runs out, and two screens with the same server clock show the same second.
 */
export function stepClock(timer: TimerState, index: number, serverNow: number): StepClock {
  const remaining = stepRemainingSeconds(timer, index, serverNow);
  if (remaining > 0) {
    const seconds = Math.ceil(remaining - 1e-9);
    return { seconds, overtime: false, label: formatSeconds(seconds) };
  }
  const seconds = Math.floor(-remaining + 1e-9);
  return { seconds, overtime: true, label: `+${formatSeconds(seconds)}` };
}

/** Overall elapsed time and whether the interview as a whole is past its budget. */
export function overallClock(
  timer: TimerState,
  serverNow: number,
): { elapsed: string; budget: string; overtime: boolean } {
  const spent = totalSpentSeconds(timer, serverNow);
  const budget = totalBudgetSeconds(timer);
  return {
    elapsed: formatSeconds(spent),
    budget: formatSeconds(budget),
    overtime: spent > budget,
  };
}
