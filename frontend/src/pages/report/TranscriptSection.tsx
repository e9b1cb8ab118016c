import { Api, type SessionRole } from "../../api";
import type { Transcript } from "../../api/report";
import { DeleteRecordings } from "../../components/DeleteRecordings";
import { Badge } from "../../components/ui";
import { useAsync } from "../../useAsync";
import { Section } from "./Section";
import { clockFrom, formatShare } from "./shape";

interface Props {
  sessionId: string;
  transcript: Transcript | undefined;
  startedAt: string | null | undefined;
  myRole: SessionRole | null | undefined;
  onChanged: () => void;
}

/** What was said, step by step, who spoke how much, and the participants' "delete recordings". */
export function TranscriptSection({ sessionId, transcript, startedAt, myRole, onChanged }: Props) {
  const mayDelete = myRole === "interviewer" || myRole === "candidate";
  const recorded = transcript !== undefined && transcript.status !== "none";
  const controls = mayDelete && recorded && (
    <div className="transcript-delete">
      <DeleteRecordings onDelete={() => Api.deleteRecordings(sessionId)} onDeleted={onChanged} />
    </div>
  );

  return (
    <Section id="transcript" title="What was said" aside={controls || undefined}>
      {!recorded ? (
        <p className="muted">{transcript?.note || "This interview was not recorded."}</p>
      ) : (
        <>
          {transcript.note && (
            <p data-testid="transcript-note">
              <Badge tone={transcript.status === "failed" ? "bad" : "warn"}>{transcript.status === "failed" ? "No transcript" : "Incomplete"}</Badge> {transcript.note}
            </p>
          )}
          <SpeakingTable transcript={transcript} />
          <div className="transcript" data-testid="transcript">
            {transcript.steps.map((step) => (
              <div key={step.step ?? "before"} className="transcript-step">
                <h3>{step.title}</h3>
                <ol className="transcript-lines">
                  {step.segments.map((line, i) => (
                    <li key={i} className={`transcript-line transcript-${line.role}`}>
                      <span className="transcript-time muted small">{clockFrom(line.start, startedAt)}</span>{" "}
                      <strong>{line.speaker}</strong> <span className="muted small">({line.role})</span>: {line.text}
                    </li>
                  ))}
                </ol>
              </div>
            ))}
          </div>
        </>
      )}
    </Section>
  );
}

/** For a participant who cannot see the report yet (the candidate before its release): the
 * recordings exist all the same, and deleting them must not wait for the interviewer. */
export function RecordingsBeforeRelease({ sessionId }: { sessionId: string }) {
  const status = useAsync(() => Api.recording(sessionId), [sessionId]);
  if (status.status !== "ok") return null;
  const { pending, transcribed, failed } = status.data.transcription;
  if (pending + transcribed + failed === 0) return null;
  return (
    <Section id="transcript" title="Recordings">
      <p>
        This interview was recorded; its transcript will be in the report once it is released.{" "}
        <DeleteRecordings onDelete={() => Api.deleteRecordings(sessionId)} onDeleted={status.reload} />
      </p>
    </Section>
  );
}

/** Speaking time per step: a candidate who talks a third of the time in design steps is a
 * classic feedback point. */
function SpeakingTable({ transcript }: { transcript: Transcript }) {
  const { total, steps } = transcript.speaking;
  const spoken = steps.filter((s) => s.interviewer_seconds + s.candidate_seconds > 0);
  return (
    <div className="table-wrap">
      <table className="data-table speaking-table" data-testid="speaking-time">
        <caption className="muted small">Speaking time: the candidate's share of what the two people said</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col" className="num">Interviewer</th>
            <th scope="col" className="num">Candidate</th>
            <th scope="col" className="num">Candidate share</th>
          </tr>
        </thead>
        <tbody>
          {spoken.map((s) => (
            <tr key={s.step}>
              <th scope="row">{s.title}</th>
              <td className="num">{Math.round(s.interviewer_seconds)} s</td>
              <td className="num">{Math.round(s.candidate_seconds)} s</td>
              <td className="num">{formatShare(s.candidate_share)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Whole interview</th>
            <td className="num">{Math.round(total.interviewer_seconds)} s</td>
            <td className="num">{Math.round(total.candidate_seconds)} s</td>
            <td className="num">
              <strong>{formatShare(total.candidate_share)}</strong>
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
