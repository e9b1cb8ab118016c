import { Link } from "react-router-dom";
import type { Session } from "../api";
import { Badge, titleCase } from "../components/ui";

/** The other participant's name, seen from `me`. */
export function partnerOf(session: Session, me: string): string | null {
  const other = session.participants.find((p) => p.username !== me && p.role !== "observer");
  return other ? other.username : null;
}

export function StatusBadge({ status }: { status: string | undefined }) {
  if (status === "live") return <Badge tone="good">Live</Badge>;
  if (status === "scheduled") return <Badge tone="info">Scheduled</Badge>;
  if (status === "ended") return <Badge>Ended</Badge>;
  return <Badge>{status ?? "—"}</Badge>;
}

export function ReportBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <Badge>No report</Badge>;
  const tone = status === "ready" ? "good" : status === "failed" ? "bad" : "warn";
  return <Badge tone={tone}>Report {status}</Badge>;
}

export function CaseLink({ session }: { session: Session }) {
  return (
    <span>
      <strong>{session.case_study.title}</strong>{" "}
      <span className="muted">· {titleCase(session.case_study.domain)} · {session.case_study.difficulty}</span>
    </span>
  );
}

export function RoomLink({ session, children }: { session: Session; children?: React.ReactNode }) {
  return (
    <Link className="btn btn-small" to={`/sessions/${session.id}`}>
      {children ?? (session.status === "live" ? "Rejoin room" : "Open room")}
    </Link>
  );
}
