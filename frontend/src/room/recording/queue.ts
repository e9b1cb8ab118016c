/**
 * The recorder's upload queue (docs/recording.md): chunks are kept in
 * IndexedDB until the server has them, so a reload or a network loss loses nothing; they are
 * uploaded in index order with `PUT recording/chunks/<index>/`, which is idempotent by index, and
 * retried with backoff after network errors and server failures. A 4xx is final for that chunk,
 * except `no_consent`, which means recording stopped: everything not yet uploaded is discarded.
 */

export interface StoredChunk {
  /** `<session>:<user>:<index>` */
  key: string;
  sessionId: string;
  userId: number;
  index: number;
  /** Server clock, ms. */
  start: number;
  duration: number;
  type: string;
  blob: Blob;
}

export interface ChunkStore {
  put(chunk: StoredChunk): Promise<void>;
  list(sessionId: string, userId: number): Promise<StoredChunk[]>;
  remove(key: string): Promise<void>;
  clear(sessionId: string, userId: number): Promise<void>;
}

export function chunkKey(sessionId: string, userId: number, index: number): string {
  return `${sessionId}:${userId}:${index}`;
}

export class MemoryChunkStore implements ChunkStore {
  readonly chunks = new Map<string, StoredChunk>();

  async put(chunk: StoredChunk): Promise<void> {
    this.chunks.set(chunk.key, chunk);
  }

  async list(sessionId: string, userId: number): Promise<StoredChunk[]> {
    return [...this.chunks.values()]
      .filter((c) => c.sessionId === sessionId && c.userId === userId)
      .sort((a, b) => a.index - b.index);
  }

  async remove(key: string): Promise<void> {
    this.chunks.delete(key);
  }

  async clear(sessionId: string, userId: number): Promise<void> {
    for (const chunk of await this.list(sessionId, userId)) this.chunks.delete(chunk.key);
  }
}

const DB_NAME = "mockroom-recording";
const STORE = "chunks";

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Chunks in IndexedDB: a blob per record, found by session and user. */
export class IdbChunkStore implements ChunkStore {
  private db: Promise<IDBDatabase> | null = null;

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        const store = req.result.createObjectStore(STORE, { keyPath: "key" });
        store.createIndex("owner", ["sessionId", "userId"]);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    return this.db;
  }

  private async store(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    return (await this.open()).transaction(STORE, mode).objectStore(STORE);
  }

  async put(chunk: StoredChunk): Promise<void> {
    await request((await this.store("readwrite")).put(chunk));
  }

  async list(sessionId: string, userId: number): Promise<StoredChunk[]> {
    const rows = await request((await this.store("readonly")).index("owner").getAll([sessionId, userId]));
    return (rows as StoredChunk[]).sort((a, b) => a.index - b.index);
  }

  async remove(key: string): Promise<void> {
    await request((await this.store("readwrite")).delete(key));
  }

  async clear(sessionId: string, userId: number): Promise<void> {
    for (const chunk of await this.list(sessionId, userId)) await this.remove(chunk.key);
  }
}

export type UploadOutcome = "stored" | "final" | "retry" | "no_consent";

/** What one PUT's answer means for the chunk (docs/recording.md, "Chunk upload"). */
export function outcomeOf(status: number, code: string | undefined): UploadOutcome {
  if (status === 200 || status === 201) return "stored";
  if (status === 403 && code === "no_consent") return "no_consent";
  if (status === 408 || status === 429 || status >= 500 || status === 0) return "retry";
  return "final"; // 400, 403 observer, 404, 409, 413, 415: sending it again cannot help
}

export const RETRY_BASE_MS = 1_000;
export const RETRY_MAX_MS = 30_000;

export type Put = (chunk: StoredChunk) => Promise<{ status: number; code?: string }>;

export interface UploaderEvents {
  /** Recording was stopped by someone's refusal: the recorder must stop too. */
  onNoConsent?: () => void;
  onFinalFailure?: (chunk: StoredChunk, status: number, code: string | undefined) => void;
  /** A run over the queue ended (sent, waiting for a retry, or stopped): count it again. */
  onSettled?: () => void;
}

export class ChunkUploader {
  private running = false;
  private again = false;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly store: ChunkStore,
    private readonly sessionId: string,
    private readonly userId: number,
    private readonly put: Put,
    private readonly events: UploaderEvents = {},
    private readonly schedule: (fn: () => void, ms: number) => ReturnType<typeof setTimeout> = setTimeout,
  ) {}

  /** Keep a new chunk and send everything pending. */
  async add(chunk: Omit<StoredChunk, "key" | "sessionId" | "userId">): Promise<void> {
    await this.store.put({
      ...chunk,
      sessionId: this.sessionId,
      userId: this.userId,
      key: chunkKey(this.sessionId, this.userId, chunk.index),
    });
    await this.flush();
  }

  /** Upload pending chunks in index order until one has to wait; one run at a time (a call
   * during a run makes the run look again, so a chunk added meanwhile is not left behind). */
  async flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        if (!(await this.sendPending())) break;
      } while (this.again);
    } finally {
      this.running = false;
      this.events.onSettled?.();
    }
  }

  /** One pass over the queue; false when it has to stop (a retry is due, or no consent). */
  private async sendPending(): Promise<boolean> {
    for (const chunk of await this.store.list(this.sessionId, this.userId)) {
      let answer: { status: number; code?: string };
      try {
        answer = await this.put(chunk);
      } catch {
        answer = { status: 0 }; // offline, or the server went away
      }
      const outcome = outcomeOf(answer.status, answer.code);
      if (outcome === "retry") {
        this.retryLater();
        return false;
      }
      this.failures = 0;
      if (outcome === "no_consent") {
        await this.store.clear(this.sessionId, this.userId);
        this.events.onNoConsent?.();
        return false;
      }
      if (outcome === "final") this.events.onFinalFailure?.(chunk, answer.status, answer.code);
      await this.store.remove(chunk.key);
    }
    return true;
  }

  private retryLater(): void {
    if (this.timer) return;
    const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** this.failures);
    this.failures += 1;
    this.timer = this.schedule(() => {
      this.timer = null;
      void this.flush();
    }, delay);
  }

  /** Recording was refused or withdrawn: nothing kept here may be sent any more. */
  async discard(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.failures = 0;
    await this.store.clear(this.sessionId, this.userId);
  }

  /** Chunks kept here that the server has already stored (its `chunks` after a reload): the
   * answer to their upload was lost, so they are dropped rather than sent again. */
  async forget(serverIndexes: Iterable<number>): Promise<void> {
    const stored = new Set(serverIndexes);
    for (const chunk of await this.store.list(this.sessionId, this.userId)) {
      if (stored.has(chunk.index)) await this.store.remove(chunk.key);
    }
  }

  /** How many chunks wait to be uploaded. */
  async pending(): Promise<number> {
    return (await this.store.list(this.sessionId, this.userId)).length;
  }

  /** The network is back (the `online` event): try now rather than at the next backoff. */
  retryNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.flush();
  }

  /** The next free index: after what is stored here and what the server already has. */
  async nextIndex(serverIndexes: number[]): Promise<number> {
    const local = (await this.store.list(this.sessionId, this.userId)).map((c) => c.index);
    return Math.max(-1, ...local, ...serverIndexes) + 1;
  }
}

/** The real PUT, as docs/recording.md defines it; `csrfToken` gives Django's token (the cookie). */
export function httpPut(csrfToken: () => Promise<string | null>): Put {
  return async (chunk) => {
    const token = await csrfToken();
    const query = `?start=${Math.round(chunk.start)}&duration=${Math.max(1, Math.round(chunk.duration))}`;
    const response = await fetch(
      `/api/sessions/${encodeURIComponent(chunk.sessionId)}/recording/chunks/${chunk.index}/${query}`,
      {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": chunk.type, "X-CSRFToken": token ?? "" },
        body: chunk.blob,
      },
    );
    let code: string | undefined;
    if (!response.ok) {
      try {
        code = ((await response.json()) as { code?: string }).code;
      } catch {
        code = undefined;
      }
    }
    return { status: response.status, code };
  };
}
