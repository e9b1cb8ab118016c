// jsdom has no canvas: Excalidraw probes a 2D context at import time (feature checks only), so
// give it an inert one. Only the pure helpers (reconcileElements, restoreElements) run in tests.
if (typeof HTMLCanvasElement !== "undefined") {
  const inert = new Proxy(
    {},
    { get: (_t, prop) => (prop === "filter" ? "none" : () => ({ width: 0 })) },
  );
  HTMLCanvasElement.prototype.getContext = (() =>
    inert) as unknown as HTMLCanvasElement["getContext"];
}
if (typeof window !== "undefined" && !window.matchMedia) {
  window.matchMedia = ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  })) as unknown as typeof window.matchMedia;
}
if (typeof window !== "undefined" && !("FontFace" in window)) {
  (window as unknown as Record<string, unknown>).FontFace = class {
    constructor(
      public family: string,
      public source: string,
    ) {}
    load() {
      return Promise.resolve(this);
    }
  };
}
