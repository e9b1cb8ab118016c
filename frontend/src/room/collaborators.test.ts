import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Collaborators, IDLE_AFTER_MS, POINTER_THROTTLE_MS, type CollaboratorLink } from "./collaborators";
import type { ClientMessage } from "./protocol";

let sent: ClientMessage[];
let scenes: Map<string, unknown>[];
let boardReady: boolean;
let collaborators: Collaborators;

beforeEach(() => {
  vi.useFakeTimers();
  sent = [];
  scenes = [];
  boardReady = true;
  const link: CollaboratorLink = {
    send: (msg) => {
      sent.push(msg);
      return true;
    },
    board: () => (boardReady ? { updateScene: (scene) => void scenes.push(scene.collaborators) } : null),
    canPoint: () => true,
    selectedIds: () => ["x"],
  };
  collaborators = new Collaborators(link);
});

afterEach(() => {
  collaborators.stop();
  vi.useRealTimers();
});

describe("Collaborators", () => {
  it("sends the pointer at once, then at most once per window with the latest position", () => {
    collaborators.onPointer({ pointer: { x: 1, y: 1 }, button: "up" });
    collaborators.onPointer({ pointer: { x: 2, y: 2 }, button: "up" });
    collaborators.onPointer({ pointer: { x: 3, y: 3 }, button: "down" });
    expect(sent).toEqual([{ type: "pointer", x: 1, y: 1, button: "up", selected_ids: ["x"] }]);
    vi.advanceTimersByTime(POINTER_THROTTLE_MS);
    expect(sent).toEqual([
      { type: "pointer", x: 1, y: 1, button: "up", selected_ids: ["x"] },
      { type: "pointer", x: 3, y: 3, button: "down", selected_ids: ["x"] },
    ]);
  });

  it("says once when this tab turns idle, and again when it is back", () => {
    vi.setSystemTime(Date.now() + IDLE_AFTER_MS + 1_000);
    collaborators.checkIdle();
    collaborators.checkIdle();
    expect(sent.filter((m) => m.type === "user.state")).toEqual([{ type: "user.state", state: "idle" }]);
    collaborators.onPointer({ pointer: { x: 1, y: 1 }, button: "up" });
    expect(sent.filter((m) => m.type === "user.state").map((m) => m.type === "user.state" && m.state)).toEqual(["idle", "active"]);
  });

  it("keeps cursors that arrive before the board is ready and shows them when asked", () => {
    boardReady = false;
    collaborators.showPointer({ type: "pointer", user_id: 3, connection: "c", username: "ada", x: 1, y: 2, button: "up", selected_ids: ["e"] });
    boardReady = true;
    collaborators.render();
    expect(scenes[0]?.get("3:c")).toMatchObject({ username: "ada", selectedElementIds: { e: true } });
  });
});
