/**
 * Merging incoming whiteboard elements into the local scene with Excalidraw's own rule
 * (`reconcileElements`: keep the local copy while this user is editing it; otherwise the higher
 * `version` wins, equal versions → the lower `versionNonce` wins). The server applies the same
 * rule, so every client converges on the stored scene.
 */
import { reconcileElements, restoreElements } from "@excalidraw/excalidraw";
import type { OrderedExcalidrawElement } from "@excalidraw/excalidraw/element/types";
import type { RemoteExcalidrawElement } from "@excalidraw/excalidraw/data/reconcile";
import type { AppState } from "@excalidraw/excalidraw/types";
import type { WireElement } from "./protocol";

/**
 * Normalise elements received from the server (fill in fields an older or foreign client left
 * out, repair fractional indices) without touching `version` / `versionNonce`. Text is measured
 * again here: the sender may have measured it before its fonts had loaded, and a text element
 * drawn with a box that is too narrow is cut off.
 */
export function restoreRemote(remote: readonly WireElement[]): OrderedExcalidrawElement[] {
  const sent = new Map(remote.map((el) => [el.id, el]));
  // restoreElements bumps `version` when it repairs something (a missing fractional index, say).
  // Put the sender's version back: the merge rule and "what was sent" both key on it, and a
  // bump here would make every client re-send elements it never changed.
  return restoreElements(remote as never, null, { refreshDimensions: true }).map((el) => {
    const original = sent.get(el.id);
    if (!original || (el.version === original.version && el.versionNonce === original.versionNonce)) {
      return el;
    }
    return { ...el, version: original.version, versionNonce: original.versionNonce };
  });
}

export function mergeRemote(
  local: readonly OrderedExcalidrawElement[],
  remote: readonly WireElement[],
  appState: AppState,
): OrderedExcalidrawElement[] {
  // The brand only marks elements as received (reconcileElements keys its rules on it).
  const restored = restoreRemote(remote) as RemoteExcalidrawElement[];
  return reconcileElements(local, restored, appState);
}
