/** What the recording indicator says (pure, so every wording is tested). */
import type { Role } from "../protocol";
import type { RecordingView } from "./manager";

export type RecordingTone = "on" | "wait" | "off" | "refused";

export interface RecordingLabel {
  tone: RecordingTone;
  text: string;
  /** A second line: why this browser is not recording, what is still being sent. */
  detail: string | null;
}

const ROLES = ["interviewer", "candidate"] as const;

function who(role: Role, me: Role | null): string {
  return role === me ? "you" : `the ${role}`;
}

function list(roles: readonly Role[], me: Role | null): string {
  return roles.map((r) => who(r, me)).join(" and ");
}

function sending(unsent: number): string | null {
  if (unsent === 0) return null;
  return `Sending ${unsent} recorded ${unsent === 1 ? "piece" : "pieces"} from this browser…`;
}

export function recordingLabel(view: RecordingView, ended: boolean): RecordingLabel {
  const me = view.myRole;
  const consents = view.consents ?? { interviewer: null, candidate: null };
  if (ended || view.state === "closed" || view.state === null) {
    return { tone: "off", text: ended ? "Not recording: the interview has ended" : "Not recording", detail: sending(view.unsent) };
  }
  if (view.state === "refused") {
    const refused = ROLES.filter((r) => consents[r] === false);
    const text = refused.length === 2 ? "Not recording: both said no" : `Not recording: ${list(refused, me)} said no`;
    return { tone: "refused", text, detail: null };
  }
  if (view.state === "pending") {
    const waiting = ROLES.filter((r) => consents[r] === null);
    return { tone: "wait", text: `Not recording: waiting for consent from ${list(waiting, me)}`, detail: null };
  }
  // Active: both said yes.
  if (!view.live) return { tone: "wait", text: "Recording starts when the interview starts", detail: null };
  let detail: string | null = null;
  if (view.participant && view.notCapturing === "no-microphone") {
    detail = "Your microphone is off or muted: you are not being recorded.";
  } else if (view.participant && view.notCapturing === "unsupported") {
    detail = "This browser cannot record audio: your voice is not recorded.";
  } else if (view.participant && view.notCapturing === "limit") {
    detail = "Your recording reached its size limit: the rest is not recorded.";
  }
  return { tone: "on", text: "Recording", detail: detail ?? sending(view.unsent) };
}
