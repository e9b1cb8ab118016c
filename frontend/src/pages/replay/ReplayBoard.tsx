import "@excalidraw/excalidraw/index.css";
import { CaptureUpdateAction, Excalidraw } from "@excalidraw/excalidraw";
import type { ExcalidrawImperativeAPI } from "@excalidraw/excalidraw/types";
import { memo, useEffect, useState } from "react";
import type { BoardAt } from "./replayModel";
import { BOARD_UI_OPTIONS } from "../../boardOptions";

declare global {
  interface Window {
    /** Only in the e2e build (`vite build --mode e2e`): what the replay's board shows. */
    __mockroomReplayBoard?: () => { id: string; type: string; text: string | null }[];
  }
}

/**
 * The board at the playhead, read-only. The scene is replaced outside Excalidraw's undo history,
 * and only when the board changed (`board.key`), not on every frame of the playhead.
 */
export const ReplayBoard = memo(function ReplayBoard({ board }: { board: BoardAt }) {
  const [api, setApi] = useState<ExcalidrawImperativeAPI | null>(null);
  useEffect(() => {
    // The elements are the server's log as the room stored it: checked field by field there.
    api?.updateScene({ elements: board.elements as never, captureUpdate: CaptureUpdateAction.NEVER });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, board.key]);
  useEffect(() => {
    if (import.meta.env.MODE !== "e2e" || !api) return;
    window.__mockroomReplayBoard = () =>
      api
        .getSceneElements()
        .map((el) => ({ id: el.id, type: el.type, text: "text" in el ? String(el.text) : null }));
    return () => {
      delete window.__mockroomReplayBoard;
    };
  }, [api]);
  return (
    <Excalidraw
      excalidrawAPI={setApi}
      viewModeEnabled
      initialData={{ elements: board.elements as never, scrollToContent: true }}
      UIOptions={BOARD_UI_OPTIONS}
    />
  );
});
