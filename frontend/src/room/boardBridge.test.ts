import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BoardBridge, type BoardApi, type BoardLink } from "./boardBridge";
import type { ClientMessage, WireElement } from "./protocol";

function el(id: string, version: number, extra: Record<string, unknown> = {}): WireElement {
  return {
    id, type: "rectangle", x: 0, y: 0, width: 10, height: 10, angle: 0, strokeColor: "#000",
    backgroundColor: "transparent", fillStyle: "solid", strokeWidth: 1, strokeStyle: "solid",
    roughness: 1, opacity: 100, groupIds: [], frameId: null, roundness: null, seed: 1,
    version, versionNonce: version, isDeleted: false, boundElements: null, updated: 1,
    link: null, locked: false, index: "a0", ...extra,
  };
}

let sent: ClientMessage[];
let tooLarge: number;
let ready: number;
let elements: WireElement[];
let bridge: BoardBridge;
const api: BoardApi = {
  getSceneElementsIncludingDeleted: () => elements as never,
  getAppState: () => ({ isLoading: false, selectedElementIds: { a: true }, editingTextElement: null, resizingElement: null, newElement: null }) as never,
  updateScene: (scene) => {
    if (scene.elements) elements = [...scene.elements];
  },
};

function mount() {
  elements = [...bridge.initialScene().elements] as WireElement[];
  bridge.attachBoard(api);
  bridge.onBoardChange(elements as never, { isLoading: false });
}

beforeEach(() => {
  vi.useFakeTimers();
  sent = [];
  tooLarge = 0;
  ready = 0;
  elements = [];
  const link: BoardLink = {
    send: (msg) => {
      sent.push(msg);
      return true;
    },
    isOpen: () => true,
    canDraw: () => true,
    tooLarge: () => void (tooLarge += 1),
    ready: () => void (ready += 1),
  };
  bridge = new BoardBridge(link);
});

afterEach(() => {
  bridge.stop();
  vi.unstubAllEnvs();
  vi.useRealTimers();
});

describe("BoardBridge", () => {
  it("starts Excalidraw from what arrived before it mounted, then says it is ready", () => {
    bridge.merge([el("a", 2)], true);
    bridge.merge([el("b", 1, { index: "a1" })], false);
    mount();
    expect(elements.map((e) => e.id)).toEqual(["a", "b"]);
    expect(ready).toBe(1);
    expect(sent).toEqual([]);
  });

  it("does not send again until a version rises", () => {
    mount();
    elements = [el("a", 1)];
    bridge.onBoardChange(elements as never, { isLoading: false });
    vi.advanceTimersByTime(100);
    bridge.onBoardChange(elements as never, { isLoading: false });
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(1);
    elements = [el("a", 2)];
    bridge.onBoardChange(elements as never, { isLoading: false });
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(2);
  });

  it("reports an element too large to share, and does not retry it", () => {
    mount();
    elements = [el("huge", 1, { text: "x".repeat(70_000) })];
    bridge.onBoardChange(elements as never, { isLoading: false });
    vi.advanceTimersByTime(100);
    bridge.fullSync();
    expect(tooLarge).toBe(2);
    expect(sent).toEqual([]);
  });

  it("puts the board summary on window only in the e2e build", () => {
    mount();
    expect(window.__mockroomBoard).toBeUndefined();
    expect(bridge.boardSummary()).toEqual([]);

    vi.stubEnv("MODE", "e2e");
    const e2e = new BoardBridge({ send: () => true, isOpen: () => true, canDraw: () => true, tooLarge: () => {}, ready: () => {} });
    elements = [el("a", 1)];
    e2e.attachBoard(api);
    e2e.onBoardChange(elements as never, { isLoading: false });
    expect(window.__mockroomBoard?.()).toEqual([{ id: "a", type: "rectangle", version: 1, width: 10, text: null }]);
    e2e.stop();
    expect(window.__mockroomBoard).toBeUndefined();
  });
});
