import "@excalidraw/excalidraw/index.css";
import { Excalidraw } from "@excalidraw/excalidraw";
import { memo, useState } from "react";
import type { RoomController } from "./controller";

/**
 * The shared Excalidraw board. Read-only (view mode) for observers, for the candidate while the
 * board is locked, and for everyone once the interview has ended.
 */
export const Board = memo(function Board({ room, readOnly, name }: { room: RoomController; readOnly: boolean; name: string }) {
  const [initialData] = useState(() => room.initialScene());
  return (
    <Excalidraw
      initialData={initialData as never}
      excalidrawAPI={(api) => room.attachBoard(api)}
      onChange={(elements, appState) => room.onBoardChange(elements, appState)}
      onPointerUpdate={(payload) => room.onPointer(payload)}
      isCollaborating
      viewModeEnabled={readOnly}
      name={name}
      UIOptions={{
        canvasActions: {
          loadScene: false,
          saveToActiveFile: false,
          saveAsImage: true,
          export: false,
          toggleTheme: false,
          changeViewBackgroundColor: false,
          clearCanvas: false,
        },
        tools: { image: false },
      }}
    />
  );
});
