import { useEffect, useRef, useState } from "react";

/**
 * "Delete recordings" with its confirmation, for either participant: in the room after the end
 * and on the report page. `onDelete` calls `DELETE recording/` (docs/recording.md); it cannot be
 * undone, so the button only asks first.
 */
export function DeleteRecordings({ onDelete, onDeleted }: { onDelete: () => Promise<unknown>; onDeleted?: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await onDelete();
      if (!mounted.current) return;
      setConfirming(false);
      onDeleted?.();
    } catch (err) {
      if (mounted.current) setError(err instanceof Error ? err.message : String(err));
    } finally {
      if (mounted.current) setBusy(false);
    }
  }

  return (
    <span className="delete-recordings">
      {confirming ? (
        <span role="alertdialog" aria-label="Confirm deleting the recordings">
          <span>Delete both people's audio and the transcript for good?</span>{" "}
          <button type="button" className="btn btn-small btn-danger" disabled={busy} onClick={() => void remove()} autoFocus>
            {busy ? "Deleting…" : "Yes, delete"}
          </button>{" "}
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => setConfirming(false)}>
            Keep them
          </button>
        </span>
      ) : (
        <button type="button" className="btn btn-small" data-testid="delete-recordings" onClick={() => setConfirming(true)}>
          Delete recordings
        </button>
      )}
      {error && (
        <span className="delete-recordings-error" role="alert">
          {" "}Could not delete the recordings: {error}
        </span>
      )}
    </span>
  );
}
