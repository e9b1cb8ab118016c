/**
 * What to send of the whiteboard, as excalidraw.com's collaboration client does it: only elements
 * whose `version` rose above what this client last sent or received for that id, in frames that
 * respect the protocol's limits; plus a full-scene resend (every 20 s and after reconnecting)
 * that the server's merge rule makes harmless.
 *
 * Pure logic, no Excalidraw import: the merge of incoming elements is in merge.ts.
 */
import { LIMITS } from "./protocol";

/** The fields the sync logic reads; Excalidraw's elements have them all. */
interface VersionedElement {
  readonly id: string;
  readonly version: number;
  readonly versionNonce: number;
  readonly isDeleted: boolean;
}

export const FULL_SYNC_INTERVAL_MS = 20_000;
/** Deltas are batched at most this often while someone is dragging. */
export const DELTA_THROTTLE_MS = 50;

/** Versions this client knows the server has (sent by us or received from it), by element id. */
export class KnownVersions {
  private readonly versions = new Map<string, number>();

  get(id: string): number | undefined {
    return this.versions.get(id);
  }

  /** Elements whose version is above the known one: the delta to send. */
  changed<T extends VersionedElement>(elements: readonly T[]): T[] {
    return elements.filter((el) => el.version > (this.versions.get(el.id) ?? -1));
  }

  /** Remember these versions (after sending them, or after receiving them). */
  mark(elements: readonly VersionedElement[]): void {
    for (const el of elements) {
      if (el.version > (this.versions.get(el.id) ?? -1)) this.versions.set(el.id, el.version);
    }
  }

  clear(): void {
    this.versions.clear();
  }

  get size(): number {
    return this.versions.size;
  }
}

const encoder = new TextEncoder();

function byteLength(value: unknown): number {
  return encoder.encode(JSON.stringify(value)).length;
}

/**
 * Split elements into `whiteboard.update` payloads within the protocol limits: at most 2,000
 * elements and well under 1 MB per frame. An element over 64 KB can never be accepted and is
 * returned in `tooLarge` for the caller to report.
 */
export function chunkElements<T extends VersionedElement>(
  elements: readonly T[],
  limits: { perFrame: number; bytesPerFrame: number; bytesPerElement: number } = {
    perFrame: LIMITS.elementsPerFrame,
    // Leave room for the envelope ({"type":..., "ref":...}).
    bytesPerFrame: LIMITS.bytesPerFrame - 4096,
    bytesPerElement: LIMITS.bytesPerElement,
  },
): { frames: T[][]; tooLarge: T[] } {
  const frames: T[][] = [];
  const tooLarge: T[] = [];
  let frame: T[] = [];
  let frameBytes = 2; // "[]"
  for (const el of elements) {
    const size = byteLength(el);
    if (size > limits.bytesPerElement) {
      tooLarge.push(el);
      continue;
    }
    if (frame.length > 0 && (frame.length >= limits.perFrame || frameBytes + size + 1 > limits.bytesPerFrame)) {
      frames.push(frame);
      frame = [];
      frameBytes = 2;
    }
    frame.push(el);
    frameBytes += size + 1;
  }
  if (frame.length > 0) frames.push(frame);
  return { frames, tooLarge };
}
