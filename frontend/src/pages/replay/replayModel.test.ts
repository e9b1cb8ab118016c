import { describe, expect, it } from "vitest";
import { BoardReplay, chunkAt, formatOffset, keySeek, replayHref, segmentAt, type BoardChange, type BoardElement, type BoardPage } from "./replayModel";

/** A seeded generator, so a failure names the moment it failed at every time. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** A log of `count` changes to 40 elements, times that sometimes repeat, cut into pages of `per`
 *  changes the way the server cuts them (a keyframe is the board after a page's last change). */
function log(count: number, per: number) {
  const rand = random(42);
  const versions = new Map<string, number>();
  const changes: BoardChange[] = [];
  let at = 1_000;
  for (let seq = 1; seq <= count; seq++) {
    at += rand() < 0.2 ? 0 : Math.floor(rand() * 900);
    const id = `e${Math.floor(rand() * 40)}`;
    const version = (versions.get(id) ?? 0) + 1;
    versions.set(id, version);
    const element: BoardElement = { id, version, isDeleted: rand() < 0.1, index: `a${id}` };
    changes.push({ seq, at, user_id: 1, elements: [element] });
  }
  const pages: BoardPage[] = [];
  const scene = new Map<string, BoardElement>();
  let keyframe = { seq: 0, at: 0, elements: [] as BoardElement[] };
  for (let start = 0; start < count; start += per) {
    const part = changes.slice(start, start + per);
    pages.push({ index: pages.length, ...keyframe, changes: part });
    for (const change of part) for (const element of change.elements) scene.set(element.id, element);
    const last = part[part.length - 1]!;
    keyframe = { seq: last.seq, at: last.at, elements: [...scene.values()] };
  }
  return { changes, pages, end: at };
}

function fullReplay(changes: BoardChange[], t: number): Record<string, number | undefined> {
  const scene = new Map<string, BoardElement>();
  for (const change of changes) {
    if (change.at > t) break;
    for (const element of change.elements) scene.set(element.id, element);
  }
  return Object.fromEntries([...scene.values()].filter((e) => !e.isDeleted).map((e) => [e.id, e.version]));
}

function versions(elements: BoardElement[]): Record<string, number | undefined> {
  return Object.fromEntries(elements.map((e) => [e.id, e.version]));
}

describe("BoardReplay", () => {
  const { changes, pages, end } = log(1_200, 100);
  const marks = pages.map((p, i) => ({ index: i, seq: p.seq, last_seq: 0, start: p.at, end: 0 }));

  it("gives the board a full replay of the log gives, at any moment, jumping back and forth", () => {
    const board = new BoardReplay(marks);
    pages.forEach((page) => board.add(page));
    const rand = random(7);
    const moments = [0, 999, 1_000, end, end + 1, ...Array.from({ length: 300 }, () => Math.floor(rand() * (end + 2_000)))];
    for (const t of moments) {
      expect(versions(board.at(t)!.elements), `at ${t}`).toEqual(fullReplay(changes, t));
    }
  });

  it("plays forward from the last board and gives the same answer as a jump", () => {
    const board = new BoardReplay(marks);
    pages.forEach((page) => board.add(page));
    for (let t = 0; t <= end; t += 997) {
      expect(versions(board.at(t)!.elements), `at ${t}`).toEqual(fullReplay(changes, t));
    }
    const again = board.at(end)!;
    expect(board.at(end)).toBe(again); // unchanged moment: the same board, nothing to redraw
  });

  it("says null while the page holding the moment has not arrived", () => {
    const board = new BoardReplay(marks);
    board.add(pages[0]!);
    expect(board.at(pages[0]!.changes[3]!.at)).not.toBeNull();
    expect(board.at(end)).toBeNull();
    board.add(pages[pages.length - 1]!);
    expect(versions(board.at(end)!.elements)).toEqual(fullReplay(changes, end));
    expect(board.loadedPages().sort()).toEqual([0, pages.length - 1].sort());
    board.drop(pages.length - 1); // far from the playhead: forgotten, fetched again when needed
    expect(board.at(end)).toBeNull();
    expect(board.loadedPages()).toEqual([0]);
  });

  it("stacks elements in Excalidraw's fractional-index order", () => {
    const board = new BoardReplay([{ index: 0, seq: 0, last_seq: 2, start: 0, end: 10 }]);
    board.add({
      index: 0,
      seq: 0,
      at: 0,
      elements: [],
      changes: [
        { seq: 1, at: 1, user_id: 1, elements: [{ id: "top", index: "a2" }] },
        { seq: 2, at: 2, user_id: 1, elements: [{ id: "bottom", index: "a1" }] },
      ],
    });
    expect(board.at(5)!.elements.map((e) => e.id)).toEqual(["bottom", "top"]);
  });
});

describe("the playhead's place", () => {
  it("finds the segment and the audio chunk at a moment, and nothing in gaps", () => {
    const segments = [
      { step: "clarify" as const, start: 0, end: 100, running: true },
      { step: "frame" as const, start: 150, end: 300, running: false },
    ];
    expect(segmentAt(segments, 50)?.step).toBe("clarify");
    expect(segmentAt(segments, 120)).toBeNull();
    expect(segmentAt(segments, 150)?.step).toBe("frame");
    const chunks = [
      { id: 1, index: 0, start: 0, duration: 10, content_type: "audio/webm" },
      { id: 2, index: 1, start: 20, duration: 10, content_type: "audio/webm" },
    ];
    expect(chunkAt(chunks, 5)?.id).toBe(1);
    expect(chunkAt(chunks, 15)).toBeNull();
    expect(chunkAt(chunks, 29)?.id).toBe(2);
    expect(chunkAt(chunks, -1)).toBeNull();
  });

  it("links evidence to its moment, from the interview's start", () => {
    expect(replayHref("s-1", "2026-11-22T10:00:00Z", "2026-11-22T10:01:30.250Z")).toBe("/sessions/s-1/replay?t=90250");
    expect(replayHref("s-1", "2026-11-22T10:00:00Z", "2026-11-22T09:59:00Z")).toBe("/sessions/s-1/replay?t=0");
    expect(replayHref("s-1", null, "2026-11-22T10:00:00Z")).toBeNull();
    expect(formatOffset(3_725_000)).toBe("1:02:05");
    expect(formatOffset(65_400)).toBe("1:05");
  });
});

describe("keys on the playhead", () => {
  it("reaches an end that is not a whole second, and stays within the interview", () => {
    expect(keySeek("End", false, 0, 2_437)).toBe(2_437);
    expect(keySeek("Home", false, 1_900, 2_437)).toBe(0);
    expect(keySeek("ArrowRight", false, 1_000, 2_437)).toBe(2_437);
    expect(keySeek("ArrowLeft", true, 40_000, 90_000)).toBe(10_000);
    expect(keySeek("PageUp", false, 10_000, 90_000)).toBe(70_000);
    expect(keySeek("a", false, 10_000, 90_000)).toBeNull();
  });
});
