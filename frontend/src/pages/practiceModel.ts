/**
 * The practice pages' logic, kept out of the components so it can be tested: countdowns to a
 * pairing, when a no-show may be reported, whether a rating is revealed yet, and editing the
 * weekly availability before it is sent to the server (which has the last word on validity).
 */
import type { Pairing, PairingInterview, PracticeSlot, PracticeSlotInput } from "../api/practice";

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
/** The server's rules (practice/services.py): a no-show 10 minutes after the start, ratings revealed after 48 h. */
export const NO_SHOW_AFTER_MS = 10 * 60_000;
export const RATING_REVEAL_AFTER_MS = 48 * 3600_000;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long until `target` (ms since the epoch), for a live countdown: days and hours when far,
 * hours and minutes within a day, m:ss within the hour, and how long ago once it has passed.
 */
export function countdown(target: number, now: number): { text: string; past: boolean } {
  const diff = target - now;
  if (diff <= 0) {
    const ago = Math.floor(-diff / MINUTE);
    return { text: ago < 1 ? "starting now" : `started ${ago} min ago`, past: true };
  }
  if (diff >= DAY) {
    const days = Math.floor(diff / DAY);
    const hours = Math.floor((diff % DAY) / HOUR);
    return { text: `in ${days} d ${hours} h`, past: false };
  }
  if (diff >= HOUR) {
    const hours = Math.floor(diff / HOUR);
    const minutes = Math.floor((diff % HOUR) / MINUTE);
    return { text: `in ${hours} h ${String(minutes).padStart(2, "0")} min`, past: false };
  }
  // Round up within the hour: "0:01" until the very start, never "0:00" before it.
  const seconds = Math.ceil(diff / 1000);
  return { text: `in ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`, past: false };
}

const at = (iso: string) => new Date(iso).getTime();

/**
 * Scheduled pairings that are not over, soonest first; the rest, most recent first. A pairing
 * whose two interviews have ended is over before the server's minute job closes it.
 */
export function pairingsSplit(pairings: Pairing[], now: number): { upcoming: Pairing[]; past: Pairing[] } {
  const bothEnded = (p: Pairing) => p.interviews.length > 0 && p.interviews.every((i) => i.session_status === "ended");
  const isUpcoming = (p: Pairing) => p.status === "scheduled" && at(p.ends_at) > now && !bothEnded(p);
  return {
    upcoming: pairings.filter(isUpcoming).sort((a, b) => at(a.starts_at) - at(b.starts_at)),
    past: pairings.filter((p) => !isUpcoming(p)).sort((a, b) => at(b.starts_at) - at(a.starts_at)),
  };
}

/** When reporting the partner as a no-show becomes possible. */
export const noShowFrom = (pairing: Pairing): number => at(pairing.starts_at) + NO_SHOW_AFTER_MS;

export type RevealState =
  | { state: "not_rated" }
  | { state: "hidden"; revealAt: number }
  | { state: "revealed" };

/**
 * Whether the interviewer of `mine` can read the rating its candidate gave: once both
 * interviews of the pairing are rated, or 48 hours after this rating (practice/selectors.py).
 */
export function ratingReveal(mine: PairingInterview, other: PairingInterview | undefined, now: number): RevealState {
  if (!mine.rating_submitted) return { state: "not_rated" };
  if (other?.rating_submitted) return { state: "revealed" };
  if (!mine.rating) return { state: "hidden", revealAt: Number.NaN };
  const revealAt = at(mine.rating.submitted_at) + RATING_REVEAL_AFTER_MS;
  return revealAt <= now ? { state: "revealed" } : { state: "hidden", revealAt };
}

// --- availability ------------------------------------------------------------------------

/** One row of the editor; `key` keeps React's rows stable while times change. */
export interface SlotDraft {
  key: string;
  weekday: number;
  start: string;
  end: string;
}

let nextKey = 0;
const newKey = () => `slot-${++nextKey}`;

export function slotsFromServer(slots: PracticeSlot[]): SlotDraft[] {
  return slots.map((s) => ({ key: newKey(), weekday: s.weekday, start: s.start, end: s.end }));
}

const toMinutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
const fromMinutes = (minutes: number): string =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/**
 * Add a two-hour slot on `weekday`: at 18:00, or after that day's last slot when 18:00 is
 * taken (clipped to the end of the day). Overlaps are still possible; the server says so.
 */
export function slotAdd(drafts: SlotDraft[], weekday: number): SlotDraft[] {
  const sameDay = drafts.filter((d) => d.weekday === weekday);
  const latestEnd = Math.max(0, ...sameDay.map((d) => toMinutes(d.end)));
  const start = sameDay.length === 0 ? 18 * 60 : Math.min(latestEnd, 22 * 60);
  const end = Math.min(start + 120, 24 * 60);
  return [...drafts, { key: newKey(), weekday, start: fromMinutes(start), end: fromMinutes(end) }];
}

export function slotChange(drafts: SlotDraft[], key: string, change: Partial<Omit<SlotDraft, "key">>): SlotDraft[] {
  return drafts.map((d) => (d.key === key ? { ...d, ...change } : d));
}

export function slotRemove(drafts: SlotDraft[], key: string): SlotDraft[] {
  return drafts.filter((d) => d.key !== key);
}

/** What the server takes: the rows by day and start, as typed (the server checks them). */
export function slotsForServer(drafts: SlotDraft[]): PracticeSlotInput[] {
  return [...drafts]
    .sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start))
    .map(({ weekday, start, end }) => ({ weekday, start, end }));
}

const HHMM = /^([01]\d|2[0-4]):(00|30)$/;

/**
 * What is wrong with each row, by key, in the words the server would use, so the editor can say
 * it at the row (the server checks again: this only saves a round trip and says where).
 * Times are HH:MM on the half hour; 24:00 only ends a slot; slots on one day must not overlap.
 */
export function slotProblems(drafts: SlotDraft[]): Record<string, string> {
  const problems: Record<string, string> = {};
  const valid: SlotDraft[] = [];
  for (const d of drafts) {
    const bad = (["start", "end"] as const).find((f) => !HHMM.test(d[f]) || toMinutes(d[f]) > 24 * 60);
    if (bad) problems[d.key] = `The ${bad === "start" ? "start" : "end"} must be HH:MM on the hour or the half hour, e.g. 09:30.`;
    else if (toMinutes(d.start) >= toMinutes(d.end)) problems[d.key] = "This slot ends before it starts.";
    else valid.push(d);
  }
  const ordered = [...valid].sort((a, b) => a.weekday - b.weekday || toMinutes(a.start) - toMinutes(b.start));
  ordered.forEach((after, i) => {
    const before = ordered[i - 1];
    if (before && before.weekday === after.weekday && toMinutes(after.start) < toMinutes(before.end)) {
      problems[after.key] = `Overlaps ${before.start}–${before.end} on the same day.`;
      problems[before.key] ??= `Overlaps ${after.start}–${after.end} on the same day.`;
    }
  });
  return problems;
}

/** Whether the editor holds something other than what the server has. */
export function slotsChanged(drafts: SlotDraft[], saved: PracticeSlot[]): boolean {
  const mine = slotsForServer(drafts);
  const theirs = slotsForServer(slotsFromServer(saved));
  return JSON.stringify(mine) !== JSON.stringify(theirs);
}

/** The wall-clock date, weekday (0 = Monday) and minute of the day at `now` in time zone `zone`. */
export function zonedNow(zone: string, now: number): { date: string; weekday: number; minute: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      weekday: "short",
    })
      .formatToParts(new Date(now))
      .map((p) => [p.type, p.value]),
  );
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday ?? "");
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** A pairing takes 90 minutes; a slot occurrence with less than that left cannot hold one. */
const PAIRING_MINUTES = 90;

/**
 * The local date (YYYY-MM-DD, in the profile's zone) of the next occurrence of a weekly slot
 * that can still hold a pairing: today when enough of it is left, else within the next week.
 */
export function nextSlotDate(slot: { weekday: number; end: string }, zone: string, now: number): string {
  const today = zonedNow(zone, now);
  let ahead = (slot.weekday - today.weekday + 7) % 7;
  if (ahead === 0 && toMinutes(slot.end) - PAIRING_MINUTES < today.minute) ahead = 7;
  const [y, m, d] = today.date.split("-").map(Number);
  const date = new Date(Date.UTC(y!, m! - 1, d! + ahead));
  return date.toISOString().slice(0, 10);
}
