import { useCallback, useEffect, useRef, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { ApiError } from "../api";
import { PracticeApi, type Pairing, type PracticeProfile, type PracticeRequest } from "../api/practice";
import { Badge, Empty, ErrorBox, Loading, formatDateTime } from "../components/ui";
import { useNotifications } from "../notifications";
import { useTick } from "../room/useRoom";
import { useAsync } from "../useAsync";
import { WEEKDAYS, countdown, nextSlotDate, pairingsSplit } from "./practiceModel";

interface PracticeData {
  profile: PracticeProfile | null;
  /** My newest request: waiting, or what became of it. */
  latest: PracticeRequest | null;
  waiting: PracticeRequest | null;
  upcoming: Pairing[];
}

// A fallback for a notice lost while the socket was away: the waiting room looks again now and then.
const WAITING_POLL_MS = 15_000;

async function loadPractice(): Promise<PracticeData> {
  const [profile, requests, pairings] = await Promise.all([PracticeApi.profile(), PracticeApi.requests(), PracticeApi.pairings()]);
  return {
    profile,
    latest: requests.results[0] ?? null,
    waiting: requests.results.find((r) => r.status === "waiting") ?? null,
    upcoming: pairingsSplit(pairings.results, Date.now()).upcoming,
  };
}

/** Peer practice: the suspension notice, the waiting room ("find a partner now") and upcoming pairings. */
export function PracticePage() {
  const data = useAsync(loadPractice, []);
  const navigate = useNavigate();
  const waiting = data.status === "ok" && data.data.waiting !== null;

  useNotifications(
    (msg) => {
      if (msg.type !== "practice.notice") return;
      // Matched while in the waiting room: straight to the new pairing.
      if (msg.event === "pairing.made" && waiting) navigate(`/practice/pairings/${msg.pairing_id}`);
      else data.refresh();
    },
    () => data.refresh(),
  );

  useEffect(() => {
    if (!waiting) return;
    const handle = setInterval(() => data.refresh(), WAITING_POLL_MS);
    return () => clearInterval(handle);
  }, [waiting, data.refresh]);

  // The request this page saw waiting has been matched (heard by the poll or on reconnect).
  const waitedFor = useRef<number | null>(null);
  const latest = data.status === "ok" ? data.data.latest : null;
  useEffect(() => {
    if (latest?.status === "waiting") waitedFor.current = latest.id;
    else if (latest?.status === "matched" && latest.pairing_id && waitedFor.current === latest.id) {
      navigate(`/practice/pairings/${latest.pairing_id}`);
    }
  }, [latest, navigate]);

  return (
    <main className="page">
      <div className="page-head">
        <h1>Peer practice</h1>
        <div className="inline">
          <Link className="btn" to="/practice/profile">Profile and availability</Link>
          <Link className="btn btn-ghost" to="/practice/history">Practice history</Link>
        </div>
      </div>
      {data.status === "loading" && <Loading what="Loading your practice" />}
      {data.status === "error" && <ErrorBox title="Could not load your practice" error={data.error} onRetry={data.reload} />}
      {data.status === "ok" && <PracticeBody data={data.data} refresh={data.refresh} />}
    </main>
  );
}

function PracticeBody({ data, refresh }: { data: PracticeData; refresh: () => void }) {
  if (!data.profile) {
    return (
      <section className="card">
        <Empty>
          Practise with a peer: you interview each other, one case each. <Link to="/practice/profile">Set up your practice profile</Link> to start.
        </Empty>
      </section>
    );
  }
  return (
    <div className="grid-2">
      {data.profile.suspension_message && (
        <div className="state state-error span-2" role="alert" data-testid="suspension">
          <strong>Suspended until {formatDateTime(data.profile.suspended_until)}.</strong> {data.profile.suspension_message}
        </div>
      )}
      <WaitingRoom
        waiting={data.waiting}
        profile={data.profile}
        busyElsewhere={data.upcoming.length > 0}
        suspended={!!data.profile.suspension_message}
        refresh={refresh}
      />
      <Upcoming pairings={data.upcoming} />
    </div>
  );
}

function WaitingRoom({
  waiting,
  profile,
  busyElsewhere,
  suspended,
  refresh,
}: {
  waiting: PracticeRequest | null;
  profile: PracticeProfile;
  busyElsewhere: boolean;
  suspended: boolean;
  refresh: () => void;
}) {
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  const act = useCallback(
    async (action: () => Promise<PracticeRequest>) => {
      setBusy(true);
      setError(null);
      try {
        const request = await action();
        // Paired at once (someone was already waiting): go to the pairing.
        if (request.status === "matched" && request.pairing_id) navigate(`/practice/pairings/${request.pairing_id}`);
        else refresh();
      } catch (err) {
        setError(err instanceof Error ? err : new ApiError(0, String(err)));
      } finally {
        setBusy(false);
      }
    },
    [navigate, refresh],
  );

  return (
    <section className="card" aria-labelledby="waiting-h" data-testid="waiting-room">
      <h2 id="waiting-h">Find a partner</h2>
      {error && <ErrorBox title="That did not work" error={error} />}
      {waiting ? (
        <>
          <p role="status" aria-live="polite">
            <span className="spinner" aria-hidden="true" />{" "}
            {waiting.kind === "now"
              ? `Waiting for a partner since ${formatDateTime(waiting.created_at)}.`
              : `Looking for a partner between ${formatDateTime(waiting.window_start)} and ${formatDateTime(waiting.window_end)}.`}{" "}
            You will be taken to your pairing as soon as someone matches.
          </p>
          <button type="button" className="btn" disabled={busy} onClick={() => void act(() => PracticeApi.leaveWaitingRoom(waiting.id))}>
            {waiting.kind === "now" ? "Leave the waiting room" : "Stop looking"}
          </button>
        </>
      ) : busyElsewhere ? (
        <p className="muted">You have a pairing coming up; finish or cancel it before asking for another.</p>
      ) : (
        <>
          <p className="muted">We pair you with someone at your level, with a language and 90 minutes in common: two interviews, roles swapped.</p>
          <button type="button" className="btn btn-primary" disabled={busy || suspended} onClick={() => void act(() => PracticeApi.findPartnerNow())}>
            {busy ? "Asking…" : "Find a partner now"}
          </button>
          <h3>Or in one of your weekly slots</h3>
          {profile.slots.length === 0 ? (
            <p className="muted small">
              No weekly slots yet: <Link to="/practice/profile">add your availability</Link>.
            </p>
          ) : (
            <ul className="rows">
              {profile.slots.map((slot) => {
                const date = nextSlotDate(slot, profile.time_zone, Date.now());
                const label = `${WEEKDAYS[slot.weekday]} ${date}, ${slot.start}–${slot.end}`;
                return (
                  <li key={slot.id} className="row">
                    <span>{label}</span>
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={busy || suspended}
                      onClick={() => void act(() => PracticeApi.findPartnerInSlot(slot.id, date))}
                      aria-label={`Find a partner for ${label}`}
                    >
                      Find a partner then
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function Upcoming({ pairings }: { pairings: Pairing[] }) {
  const now = useTick(1000, pairings.length > 0);
  return (
    <section className="card" aria-labelledby="upcoming-h">
      <h2 id="upcoming-h">Upcoming pairings</h2>
      {pairings.length === 0 ? (
        <Empty>No pairing coming up. Find a partner now, or add weekly slots to your availability.</Empty>
      ) : (
        <ul className="rows">
          {pairings.map((p) => {
            const left = countdown(new Date(p.starts_at).getTime(), now);
            return (
              <li key={p.id} className="row" data-testid="upcoming-pairing">
                <div>
                  <Link to={`/practice/pairings/${p.id}`}>With {p.partner}</Link>
                  <div className="muted small">
                    {formatDateTime(p.starts_at)} · <span data-testid="countdown">{left.text}</span>
                    {p.proposed_starts_at && <> · <Badge tone="warn">new time proposed</Badge></>}
                  </div>
                </div>
                <Link className="btn btn-small" to={`/practice/pairings/${p.id}`}>Open</Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
