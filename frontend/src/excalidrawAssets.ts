/**
 * Excalidraw loads its fonts from `${EXCALIDRAW_ASSET_PATH}fonts/...`, and from a public CDN when
 * this is unset. The build copies the package's fonts to /excalidraw/fonts/ (see vite.config.ts),
 * so the app never leaves its own origin. Set before the room chunk (and Excalidraw) loads.
 */
declare global {
  interface Window {
    EXCALIDRAW_ASSET_PATH?: string | string[];
  }
}

window.EXCALIDRAW_ASSET_PATH = "/excalidraw/";

export {};
