import { useCallback, useEffect, useRef, useState } from "react";
import { Api, type ReportContent, type ReportEnvelope, type SessionDetail } from "../../api";
import { useNotifications } from "../../notifications";
import { useAsync } from "../../useAsync";
import { reportPhase } from "./shape";

export interface ReportData {
  session: SessionDetail;
  report: ReportEnvelope;
}

/** While a report is being built, ask again this often in case a notification was lost. */
const BUILDING_POLL_MS = 20_000;

async function loadReport(id: string): Promise<ReportData> {
  const [session, report] = await Promise.all([Api.session(id), Api.report(id)]);
  return { session, report };
}

/**
 * The session and its report, kept current without reloading the page: every `report.status`,
 * `report.ready` and `feedback.released` for this session (and every reconnect of the
 * notifications socket, since those messages are volatile) fetches both again. While the report
 * is rebuilt, `lastContent` keeps the previous version on screen.
 */
export function useReport(id: string) {
  const data = useAsync(() => loadReport(id), [id]);
  const { refresh } = data;
  const [lastContent, setLastContent] = useState<{ id: string; content: ReportContent } | null>(null);

  useNotifications(
    (msg) => {
      if (!("session_id" in msg) || !msg.session_id || msg.session_id === id) refresh();
    },
    refresh,
  );

  const content = data.status === "ok" ? data.data.report.content : null;
  useEffect(() => {
    if (content) setLastContent({ id, content });
  }, [content, id]);

  const phase = data.status === "ok" ? reportPhase(data.data.report, data.data.session.status) : null;
  const building = phase?.kind === "building";
  useEffect(() => {
    if (!building) return;
    const timer = setInterval(refresh, BUILDING_POLL_MS);
    return () => clearInterval(timer);
  }, [building, refresh]);

  return {
    data,
    phase,
    /** The content to show: the current one, or while rebuilding the previous one. */
    shown: content ?? (building && lastContent?.id === id ? lastContent.content : null),
  };
}

/** Run an action of the page (release, regenerate, save): busy while it runs, its error after. */
export function useAction<A extends unknown[]>(run: (...args: A) => Promise<unknown>, after?: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const start = useCallback(
    async (...args: A): Promise<boolean> => {
      setBusy(true);
      setError(null);
      try {
        await run(...args);
        after?.();
        return true;
      } catch (err) {
        if (mounted.current) setError(err instanceof Error ? err : new Error(String(err)));
        return false;
      } finally {
        if (mounted.current) setBusy(false);
      }
    },
    [run, after],
  );
  return { start, busy, error, clearError: () => setError(null) };
}
