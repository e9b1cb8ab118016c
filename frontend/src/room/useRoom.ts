import { useEffect, useState, useSyncExternalStore } from "react";
import { RoomController } from "./controller";
import type { RoomState } from "./state";

/** The room's controller for this page, connected while the page is mounted. */
export function useRoom(sessionId: string): { state: RoomState; room: RoomController } {
  const [room] = useState(() => new RoomController(sessionId));
  useEffect(() => {
    room.start();
    return () => room.stop();
  }, [room]);
  const state = useSyncExternalStore(room.subscribe, room.getState);
  return { state, room };
}

/** Re-render every `ms` (for countdowns); the time itself is always read fresh. */
export function useTick(ms: number, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const handle = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(handle);
  }, [ms, active]);
  return now;
}
