import { useCallback, useEffect, useRef, useState, type DependencyList } from "react";

type Async<T> =
  | { status: "loading"; data?: undefined; error?: undefined }
  | { status: "error"; data?: undefined; error: Error }
  | { status: "ok"; data: T; error?: undefined };

/**
 * Load data for a page; stale answers (after deps changed or unmount) are dropped. `reload`
 * shows the loading state again; `refresh` keeps what is on screen until the new data arrives.
 */
export function useAsync<T>(
  load: () => Promise<T>,
  deps: DependencyList,
): Async<T> & { reload: () => void; refresh: () => void } {
  const [state, setState] = useState<Async<T>>({ status: "loading" });
  const [tick, setTick] = useState({ n: 0, quiet: false });
  const latest = useRef(0);
  useEffect(() => {
    const id = ++latest.current;
    if (!tick.quiet) setState({ status: "loading" });
    load().then(
      (data) => id === latest.current && setState({ status: "ok", data }),
      (error: unknown) =>
        id === latest.current &&
        !tick.quiet &&
        setState({ status: "error", error: error instanceof Error ? error : new Error(String(error)) }),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => ({ n: t.n + 1, quiet: false })), []);
  const refresh = useCallback(() => setTick((t) => ({ n: t.n + 1, quiet: true })), []);
  return { ...state, reload, refresh };
}
