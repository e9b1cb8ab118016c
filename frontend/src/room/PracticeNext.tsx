import { Link } from "react-router-dom";
import { PracticeApi } from "../api/practice";
import { useAsync } from "../useAsync";

/**
 * In an ended room of a practice pairing's first interview: the way to the second one, where
 * the roles are swapped. The live `practice.notice` (in `announced`) shows it at once; after a
 * reload the pairing says which session is next. Nothing for other sessions.
 */
export function PracticeNext({
  sessionId,
  ended,
  announced,
  me,
}: {
  sessionId: string;
  ended: boolean;
  announced: { sessionId: string; text: string } | null;
  me: string;
}) {
  const pairing = useAsync(() => (ended ? PracticeApi.pairingOfSession(sessionId) : Promise.resolve(null)), [sessionId, ended, announced?.sessionId]);
  if (!ended) return null;
  const found = pairing.status === "ok" ? pairing.data : null;
  const next = found?.interviews.find((i) => i.session_id === found.next_session_id && i.session_id !== sessionId);
  const target = announced?.sessionId ?? next?.session_id;
  if (!target) return null;
  const text = next ? (next.interviewer === me ? `Interview 2 is next: you interview ${next.candidate}.` : `Interview 2 is next: ${next.interviewer} interviews you.`) : announced?.text;
  return (
    <div className="banner banner-next" role="status" data-testid="practice-next">
      <strong>{text}</strong>{" "}
      <Link className="btn btn-small btn-primary" to={`/sessions/${target}`}>
        Go to the second interview
      </Link>
    </div>
  );
}
