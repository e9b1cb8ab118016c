import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { Api, type InviteInfo } from "../api";
import { ErrorBox, Loading, formatDateTime, domainName } from "../components/ui";
import { useAsync } from "../useAsync";

export function InvitePage() {
  const { token = "" } = useParams();
  const invite = useAsync(() => Api.invite(token), [token]);
  return (
    <main className="page narrow">
      {invite.status === "loading" && <Loading what="Opening the invite" />}
      {invite.status === "error" && (
        <ErrorBox
          title="This invite cannot be opened"
          error={invite.error.message.startsWith("Not found") ? "The link is wrong or the invite was withdrawn; ask for a new one." : invite.error}
          onRetry={invite.reload}
        />
      )}
      {invite.status === "ok" && <InviteCard token={token} invite={invite.data} />}
    </main>
  );
}

function InviteCard({ token, invite }: { token: string; invite: InviteInfo }) {
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const expired = new Date(invite.expires_at).getTime() < Date.now();

  async function accept() {
    setBusy(true);
    setError(null);
    try {
      const joined = await Api.acceptInvite(token);
      navigate(`/sessions/${joined.session_id}`);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
      setBusy(false);
    }
  }

  return (
    <section className="card form" aria-labelledby="invite-h">
      <h1 id="invite-h">You are invited</h1>
      <p>
        <strong>{invite.invited_by}</strong> invites you to a mock interview as the <strong>{invite.role}</strong>.
      </p>
      <p>
        Case study: <strong>{invite.case_study.title}</strong>{" "}
        <span className="muted">({domainName(invite.case_study.domain)}, {invite.case_study.difficulty})</span>
      </p>
      <p className="muted small">Session {invite.session_status} · invite valid until {formatDateTime(invite.expires_at)}</p>
      {error && <ErrorBox title="Could not join" error={error} />}
      {invite.used && <p className="muted">This invite has been used. If you used it, accepting takes you back to the room.</p>}
      {expired && <p className="field-error">This invite has expired; ask {invite.invited_by} for a new one.</p>}
      <div className="inline">
        <button type="button" className="btn btn-primary" onClick={() => void accept()} disabled={busy || expired || invite.session_status === "ended"}>
          {busy ? "Joining…" : `Accept and join as ${invite.role}`}
        </button>
        <Link to="/" className="btn btn-ghost">Not now</Link>
      </div>
    </section>
  );
}
