import { useEffect, useRef, useState } from "react";
import { Api } from "../../api";
import { BoardReplay, type BoardPage, type ReplayPageMark } from "./replayModel";

/** Pages kept around the playhead; a long interview's board never sits in memory whole. */
const PAGES_AROUND = 6;

/**
 * The board's pages, fetched one at a time: first the page that holds the playhead, then its
 * neighbours outwards. `version` changes when a page arrives, so the board is read again.
 */
export function useBoardPages(sessionId: string, marks: readonly ReplayPageMark[], absolute: number) {
  const [board] = useState(() => new BoardReplay(marks));
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<Error | null>(null);
  const page = board.pageFor(absolute);
  const wanted = useRef(page);
  wanted.current = page;
  // Wakes the loader when it has all the pages around the playhead and the playhead moves on.
  const wake = useRef<(() => void) | null>(null);
  useEffect(() => wake.current?.(), [page]);
  const [retry, setRetry] = useState(0);

  useEffect(() => {
    let stopped = false;
    const next = (): number | null => {
      const centre = wanted.current;
      for (let distance = 0; distance <= PAGES_AROUND; distance++) {
        for (const index of [centre + distance, centre - distance]) {
          if (index >= 0 && index < board.pageCount && !board.has(index)) return index;
        }
      }
      return null;
    };
    void (async () => {
      setError(null);
      while (!stopped) {
        const index = next();
        if (index === null) {
          await new Promise<void>((resolve) => {
            wake.current = resolve;
          });
          wake.current = null;
          continue;
        }
        try {
          const page = (await Api.replayBoardPage(sessionId, index)) as unknown as BoardPage;
          if (stopped) return;
          board.add(page);
          for (const other of board.loadedPages()) {
            if (Math.abs(other - wanted.current) > PAGES_AROUND) board.drop(other);
          }
          setVersion((v) => v + 1);
        } catch (e) {
          if (!stopped) setError(e instanceof Error ? e : new Error(String(e)));
          return;
        }
      }
    })();
    return () => {
      stopped = true;
      wake.current?.();
    };
  }, [board, sessionId, retry]);

  return { board, version, error, retry: () => setRetry((n) => n + 1) };
}
