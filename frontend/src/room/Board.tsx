import "@excalidraw/excalidraw/index.css";
import { Excalidraw } from "@excalidraw/excalidraw";
import { memo, useState } from "react";
import type { RoomController } from "./controller";
import { BOARD_UI_OPTIONS } from "../boardOptions";

/**
 * The shared Excalidraw board. Read-only (view mode) for observers, for the candidate while the
 * board is locked, and for everyone once the interview has ended.
 */
export const Board = memo(function Board({ room, readOnly, name }: { room: RoomController; readOnly: boolean; name: string }) {
  const [initialData] = useState(() => room.initialScene());
  return (
    <Excalidraw
      initialData={initialData}
      excalidrawAPI={(api) => room.attachBoard(api)}
      onChange={(elements, appState) => room.onBoardChange(elements, appState)}
      onPointerUpdate={(payload) => room.onPointer(payload)}
      isCollaborating
      viewModeEnabled={readOnly}
      name={name}
      UIOptions={BOARD_UI_OPTIONS}
    />
  );
});
