import { useState } from "react";
import { Link } from "react-router-dom";
import { useNotifications } from "../notifications";
import type { ServerMessage } from "../room/protocol";

type Notice = Extract<ServerMessage, { type: "practice.notice" }> & { key: number };

// The newest few stay on screen until dismissed; older ones make room.
const MAX_SHOWN = 3;

let noticeKey = 0;

/** Practice notices from the notifications socket, as a stack of dismissible messages on every page of the app. */
export function PracticeNotices() {
  const [notices, setNotices] = useState<Notice[]>([]);
  useNotifications((msg) => {
    if (msg.type !== "practice.notice") return;
    setNotices((shown) => [...shown, { ...msg, key: ++noticeKey }].slice(-MAX_SHOWN));
  });
  const dismiss = (key: number) => setNotices((shown) => shown.filter((n) => n.key !== key));
  return (
    <div className="notices" role="status" aria-live="polite" aria-label="Practice notices">
      {notices.map((n) => (
        <div key={n.key} className="notice" data-testid="practice-notice" data-event={n.event}>
          <span>{n.text}</span>{" "}
          <Link
            to={n.event === "interview.next" && n.session_id ? `/sessions/${n.session_id}` : `/practice/pairings/${n.pairing_id}`}
            onClick={() => dismiss(n.key)}
          >
            {n.event === "interview.next" ? "Go to the room" : "Open the pairing"}
          </Link>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => dismiss(n.key)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
