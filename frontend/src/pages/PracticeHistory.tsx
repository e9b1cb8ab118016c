import { Link } from "react-router-dom";
import { PracticeApi, type Pairing } from "../api/practice";
import { useAuth } from "../auth";
import { Empty, ErrorBox, Loading, formatDateTime } from "../components/ui";
import { useAsync } from "../useAsync";
import { PairingStatus } from "./PracticePairing";
import { pairingsSplit } from "./practiceModel";

/** Past pairings, newest first, each with its two interviews (roles swapped) and their reports. */
export function PracticeHistoryPage() {
  const { user } = useAuth();
  const data = useAsync(async () => pairingsSplit((await PracticeApi.pairings()).results, Date.now()).past, []);
  return (
    <main className="page narrow">
      <div className="page-head">
        <h1>Practice history</h1>
        <Link className="btn btn-ghost" to="/practice">Back to practice</Link>
      </div>
      {data.status === "loading" && <Loading what="Loading your pairings" />}
      {data.status === "error" && <ErrorBox title="Could not load your pairings" error={data.error} onRetry={data.reload} />}
      {data.status === "ok" &&
        (data.data.length === 0 ? (
          <Empty>
            No past pairings yet. <Link to="/practice">Find a partner</Link> to practise.
          </Empty>
        ) : (
          data.data.map((p) => <PairingCard key={p.id} pairing={p} me={user?.username ?? ""} />)
        ))}
    </main>
  );
}

function PairingCard({ pairing, me }: { pairing: Pairing; me: string }) {
  return (
    <section className="card" aria-label={`Pairing with ${pairing.partner} on ${formatDateTime(pairing.starts_at)}`} data-testid="history-pairing">
      <div className="section-head">
        <h2>
          <Link to={`/practice/pairings/${pairing.id}`}>With {pairing.partner}</Link>{" "}
          <span className="muted small">{formatDateTime(pairing.starts_at)}</span>
        </h2>
        <PairingStatus status={pairing.status} />
      </div>
      <ul className="rows">
        {[...pairing.interviews]
          .sort((a, b) => a.order - b.order)
          .map((i) => (
            <li key={i.order} className="row">
              <div>
                Interview {i.order}: {i.case_study.title}
                <div className="muted small">
                  {i.interviewer === me ? `you interviewed ${i.candidate}` : `${i.interviewer} interviewed you`} · {i.session_status ?? "called off"}
                </div>
              </div>
              {i.session_id && i.session_status === "ended" && (
                <Link className="btn btn-small" to={`/sessions/${i.session_id}/report`}>View report</Link>
              )}
            </li>
          ))}
      </ul>
    </section>
  );
}
