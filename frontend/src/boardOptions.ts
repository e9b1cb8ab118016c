/** Excalidraw's menus as Mockroom shows them, in the room and in the replay (one set, so the two
 * boards look alike): no loading, saving or clearing a scene (the board lives on the server), no
 * theme or background switch, no image tool; saving a picture of the board stays. */
export const BOARD_UI_OPTIONS = {
  canvasActions: {
    loadScene: false,
    saveToActiveFile: false,
    saveAsImage: true,
    export: false as const,
    toggleTheme: false,
    changeViewBackgroundColor: false,
    clearCanvas: false,
  },
  tools: { image: false },
};
