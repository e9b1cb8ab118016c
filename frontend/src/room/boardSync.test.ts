import { describe, expect, it } from "vitest";
import { chunkElements, KnownVersions } from "./boardSync";
import { mergeRemote } from "./merge";
import type { WireElement } from "./protocol";

function rect(id: string, version: number, versionNonce = 1, extra: Record<string, unknown> = {}): WireElement {
  return {
    id,
    type: "rectangle",
    x: 10,
    y: 20,
    width: 100,
    height: 50,
    angle: 0,
    strokeColor: "#1e1e1e",
    backgroundColor: "transparent",
    fillStyle: "solid",
    strokeWidth: 2,
    strokeStyle: "solid",
    roughness: 1,
    opacity: 100,
    groupIds: [],
    frameId: null,
    roundness: null,
    seed: 1,
    version,
    versionNonce,
    isDeleted: false,
    boundElements: null,
    updated: 1,
    link: null,
    locked: false,
    index: "a0",
    ...extra,
  };
}

describe("what to send", () => {
  it("sends only elements whose version rose since last sent or received", () => {
    const known = new KnownVersions();
    const scene = [rect("a", 1), rect("b", 1)];
    expect(known.changed(scene).map((e) => e.id)).toEqual(["a", "b"]);
    known.mark(scene);
    expect(known.changed(scene)).toEqual([]);
    const edited = [rect("a", 2), rect("b", 1), rect("c", 1)];
    expect(known.changed(edited).map((e) => e.id)).toEqual(["a", "c"]);
  });

  it("does not echo back what came from the server", () => {
    const known = new KnownVersions();
    known.mark([rect("remote", 7)]);
    expect(known.changed([rect("remote", 7)])).toEqual([]);
    expect(known.changed([rect("remote", 8)])).toHaveLength(1);
  });

  it("keeps sending deletions (tombstones)", () => {
    const known = new KnownVersions();
    known.mark([rect("a", 3)]);
    const deleted = rect("a", 4, 9, { isDeleted: true });
    expect(known.changed([deleted])).toEqual([deleted]);
  });

  it("never lowers a known version", () => {
    const known = new KnownVersions();
    known.mark([rect("a", 5)]);
    known.mark([rect("a", 2)]);
    expect(known.get("a")).toBe(5);
  });
});

describe("frames", () => {
  it("splits by element count and bytes and drops oversized elements", () => {
    const many = Array.from({ length: 5 }, (_, i) => rect(`e${i}`, 1));
    const { frames } = chunkElements(many, { perFrame: 2, bytesPerFrame: 1e6, bytesPerElement: 1e5 });
    expect(frames.map((f) => f.length)).toEqual([2, 2, 1]);

    const size = JSON.stringify(rect("e0", 1)).length;
    const byBytes = chunkElements(many, { perFrame: 100, bytesPerFrame: size * 2 + 10, bytesPerElement: 1e5 });
    expect(byBytes.frames.map((f) => f.length)).toEqual([2, 2, 1]);

    const huge = rect("huge", 1, 1, { text: "x".repeat(70_000) });
    const result = chunkElements([rect("ok", 1), huge]);
    expect(result.frames).toEqual([[rect("ok", 1)]]);
    expect(result.tooLarge).toEqual([huge]);
  });
});

describe("merge (Excalidraw's reconcileElements)", () => {
  const appState = { editingTextElement: null, newElement: null, resizingElement: null } as never;

  it("adds remote elements and keeps local ones", () => {
    const merged = mergeRemote([rect("a", 1) as never], [rect("b", 1, 1, { index: "a1" })], appState);
    expect(merged.map((e) => e.id).sort()).toEqual(["a", "b"]);
  });

  it("lets the higher version win, whichever side has it", () => {
    const newerRemote = mergeRemote([rect("a", 2) as never], [rect("a", 3, 1, { x: 99 })], appState);
    expect(newerRemote).toHaveLength(1);
    expect(newerRemote[0]?.version).toBe(3);
    expect(newerRemote[0]?.x).toBe(99);

    const staleRemote = mergeRemote([rect("a", 5, 1, { x: 1 }) as never], [rect("a", 4, 1, { x: 99 })], appState);
    expect(staleRemote[0]?.version).toBe(5);
    expect(staleRemote[0]?.x).toBe(1);
  });

  it("breaks version ties with the lower versionNonce", () => {
    const lowerRemote = mergeRemote([rect("a", 2, 50, { x: 1 }) as never], [rect("a", 2, 10, { x: 2 })], appState);
    expect(lowerRemote[0]?.x).toBe(2);
    const higherRemote = mergeRemote([rect("a", 2, 10, { x: 1 }) as never], [rect("a", 2, 50, { x: 2 })], appState);
    expect(higherRemote[0]?.x).toBe(1);
  });

  it("applies remote deletions", () => {
    const merged = mergeRemote([rect("a", 2) as never], [rect("a", 3, 1, { isDeleted: true })], appState);
    expect(merged[0]?.isDeleted).toBe(true);
  });

  it("keeps the local copy while this user is editing it", () => {
    const local = rect("t", 2, 1, { type: "text", text: "typing", x: 1 }) as never;
    const editing = { ...(appState as object), editingTextElement: { id: "t" } } as never;
    const merged = mergeRemote([local], [rect("t", 9, 1, { type: "text", text: "remote", x: 2 })], editing);
    expect(merged[0]?.x).toBe(1);
  });
});
