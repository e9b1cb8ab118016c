/**
 * The replay's pure parts: the board at any moment from keyframes and the changes after them,
 * and which step, chunk of audio, line of transcript or chat message the playhead is in.
 *
 * The server cuts the board's log into pages (`GET /api/sessions/<id>/replay/board/<n>/`): a
 * keyframe (the whole board after one logged change) and the changes up to the next keyframe,
 * at most a few hundred. The board at moment `t` is the last keyframe at or before `t` with the
 * page's changes up to `t` put in by element id; change times never go back, so that is one
 * binary search and one pass over part of one page, whatever the length of the interview.
 */
import { sortedLastIndex } from "lodash-es";
import type { Schemas } from "../../api/client";

export type Replay = Schemas["ReplayOutput"];
export type ReplayPageMark = Schemas["ReplayBoardPage"];
export type ReplaySegment = Schemas["ReplaySegment"];
export type ReplayChunk = Schemas["ReplayChunk"];
export type ReplayTrack = Schemas["ReplayTrack"];
export type ReplayMarker = Schemas["ReplayMarker"];

/** An Excalidraw element as logged: only the fields the replay reads are named. */
export interface BoardElement {
  id: string;
  version?: number;
  isDeleted?: boolean;
  /** Excalidraw's fractional index: the stacking order (strings that sort as they stack). */
  index?: string | null;
  [field: string]: unknown;
}

export interface BoardChange {
  seq: number;
  at: number;
  user_id: number | null;
  elements: BoardElement[];
}

export interface BoardPage {
  index: number;
  seq: number;
  at: number;
  elements: BoardElement[];
  changes: BoardChange[];
}

/** The index of the last of `times` (ascending) at or before `t`; -1 when all are later. */
export function lastAtOrBefore(times: readonly number[], t: number): number {
  return sortedLastIndex(times as number[], t) - 1;
}

interface LoadedPage {
  keyframe: Map<string, BoardElement>;
  changeTimes: number[];
  changes: BoardChange[];
}

function putIn(scene: Map<string, BoardElement>, elements: readonly BoardElement[]): void {
  for (const element of elements) {
    if (element && typeof element.id === "string") scene.set(element.id, element);
  }
}

function byStackingOrder(a: BoardElement, b: BoardElement): number {
  const x = a.index ?? "";
  const y = b.index ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface BoardAt {
  /** The elements on the board (deleted ones left out), bottom first. */
  elements: BoardElement[];
  /** Changes with the same key give the same board: nothing to redraw. */
  key: string;
}

/**
 * The board of one replay. Pages are added as they arrive; `at(t)` is null while the page that
 * holds `t` has not. Playing forward within a page continues from the last board instead of
 * starting again from the keyframe.
 */
export class BoardReplay {
  private readonly starts: number[];
  private readonly pages = new Map<number, LoadedPage>();
  private current: { page: number; applied: number; scene: Map<string, BoardElement>; board: BoardAt } | null = null;

  constructor(marks: readonly ReplayPageMark[]) {
    this.starts = marks.map((mark) => mark.start);
  }

  get pageCount(): number {
    return this.starts.length;
  }

  /** The page whose keyframe is the last at or before `t` (the first for earlier moments). */
  pageFor(t: number): number {
    return Math.max(0, lastAtOrBefore(this.starts, t));
  }

  has(index: number): boolean {
    return this.pages.has(index);
  }

  add(page: BoardPage): void {
    const keyframe = new Map<string, BoardElement>();
    putIn(keyframe, page.elements);
    this.pages.set(page.index, { keyframe, changes: page.changes, changeTimes: page.changes.map((c) => c.at) });
  }

  loadedPages(): number[] {
    return [...this.pages.keys()];
  }

  /** Forget a page far from the playhead (it is fetched again when needed). */
  drop(index: number): void {
    this.pages.delete(index);
    if (this.current?.page === index) this.current = null;
  }

  at(t: number): BoardAt | null {
    if (this.starts.length === 0) return { elements: [], key: "empty" };
    const index = this.pageFor(t);
    const page = this.pages.get(index);
    if (!page) return null;
    const count = lastAtOrBefore(page.changeTimes, t) + 1;
    const current = this.current;
    if (current && current.page === index && current.applied === count) return current.board;
    let scene: Map<string, BoardElement>;
    let from: number;
    if (current && current.page === index && current.applied < count) {
      scene = current.scene;
      from = current.applied;
    } else {
      scene = new Map(page.keyframe);
      from = 0;
    }
    for (const change of page.changes.slice(from, count)) putIn(scene, change.elements);
    const elements = [...scene.values()].filter((element) => !element.isDeleted).sort(byStackingOrder);
    const board = { elements, key: `${index}:${count}` };
    this.current = { page: index, applied: count, scene, board };
    return board;
  }
}

/** The segment of the timeline at absolute moment `at` (ms), or null between them. */
export function segmentAt(segments: readonly ReplaySegment[], at: number): ReplaySegment | null {
  const i = lastAtOrBefore(
    segments.map((s) => s.start),
    at,
  );
  const segment = i >= 0 ? segments[i] : undefined;
  return segment && at < segment.end ? segment : null;
}

/** The chunk of a track playing at absolute moment `at`, or null in a gap. */
export function chunkAt(chunks: readonly ReplayChunk[], at: number): ReplayChunk | null {
  const i = lastAtOrBefore(
    chunks.map((c) => c.start),
    at,
  );
  const chunk = i >= 0 ? chunks[i] : undefined;
  return chunk && at < chunk.start + chunk.duration ? chunk : null;
}

/** Where a piece of evidence happened, as a replay link: `t` counts ms from the start. */
export function replayHref(sessionId: string, startedAt: string | null | undefined, at: string | null | undefined): string | null {
  if (!startedAt || !at) return null;
  const offset = Date.parse(at) - Date.parse(startedAt);
  if (!Number.isFinite(offset)) return null;
  return `/sessions/${encodeURIComponent(sessionId)}/replay?t=${Math.max(0, Math.round(offset))}`;
}

/** A playhead offset (ms) as m:ss (or h:mm:ss). */
export function formatOffset(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/**
 * Where a key moves the playhead (ms from the start), or null for keys the replay leaves alone:
 * ←/→ (and ↓/↑ on the scrubber) 5 s, with Shift 30 s; Page Down/Up a minute; Home/End the ends.
 * The scrubber takes its keys from here rather than from the browser's range input, whose value
 * snaps to its step: a step-sized End would stop short of an end that is not a whole second.
 */
export function keySeek(key: string, shift: boolean, t: number, duration: number): number | null {
  const small = shift ? 30_000 : 5_000;
  const moves: Record<string, number> = {
    ArrowLeft: t - small,
    ArrowDown: t - small,
    ArrowRight: t + small,
    ArrowUp: t + small,
    PageDown: t - 60_000,
    PageUp: t + 60_000,
    Home: 0,
    End: duration,
  };
  const to = moves[key];
  return to === undefined ? null : Math.min(Math.max(0, to), duration);
}
