/**
 * The recording in the room: the indicator everyone sees (with the participant's withdraw / allow
 * control), the consent question for the interviewer and the candidate, and "delete recordings"
 * after the end. All state comes from the RecordingManager's view.
 */
import { useSyncExternalStore } from "react";
import { DeleteRecordings } from "../../components/DeleteRecordings";
import type { RecordingManager } from "./manager";
import { recordingLabel } from "./labels";

function useRecording(recording: RecordingManager) {
  return useSyncExternalStore(recording.subscribe, recording.getView);
}

export function RecordingIndicator({ recording, ended }: { recording: RecordingManager; ended: boolean }) {
  const view = useRecording(recording);
  const label = recordingLabel(view, ended);
  const change = view.participant && !ended && view.myConsent !== null && view.myConsent !== undefined;
  return (
    <div className="rec-wrap">
      <span
        className={`rec rec-${label.tone}`}
        role="status"
        aria-live="polite"
        data-testid="recording-indicator"
        data-state={view.state ?? "unknown"}
        data-capturing={view.capturing ? "yes" : "no"}
        title={label.detail ?? label.text}
      >
        <span className="dot" aria-hidden="true" /> {label.text}
        {label.detail && <span className="rec-detail"> · {label.detail}</span>}
      </span>
      {change &&
        (view.myConsent ? (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            disabled={view.busy}
            onClick={() => void recording.answer(false).catch(() => {})}
            title="Withdraw your consent: recording stops for everyone"
          >
            Stop recording
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            disabled={view.busy}
            onClick={() => void recording.answer(true).catch(() => {})}
            title="Give your consent to recording after all"
          >
            Allow recording
          </button>
        ))}
      {view.error && !view.ask && (
        <span className="rec-error" role="alert">
          {view.error}
        </span>
      )}
    </div>
  );
}

/** The question, asked once of the interviewer and the candidate (never of observers). */
export function ConsentDialog({ recording }: { recording: RecordingManager }) {
  const view = useRecording(recording);
  if (!view.ask) return null;
  const other = view.myRole === "interviewer" ? "candidate" : "interviewer";
  return (
    <div className="consent-dialog" role="dialog" aria-labelledby="consent-title" aria-describedby="consent-what" data-testid="consent-dialog">
      <h2 id="consent-title">Record the audio of this interview?</h2>
      <div id="consent-what">
        <p>
          If you and the {other} both say yes, each browser records its own microphone while the interview runs. The
          audio is transcribed on this server (it is not sent to any other service) so the feedback report can show what
          was said, and credit the candidate for what they said aloud.
        </p>
        <ul>
          <li>The transcript is part of the feedback report: the interviewer sees it, the candidate (and any observer of this session) once the report is released. Either of you can delete the audio and the transcript for good, in the room after the end or on the report page.</li>
          <li>The audio is deleted by itself after a while; the transcript stays with the report until one of you deletes it.</li>
          <li>Either of you may say no: nothing is recorded then, and the interview runs just the same. You can withdraw later in the room.</li>
        </ul>
      </div>
      {view.error && (
        <p className="rec-error" role="alert">
          {view.error}
        </p>
      )}
      <div className="consent-actions">
        <button type="button" className="btn btn-primary" disabled={view.busy} onClick={() => void recording.answer(true).catch(() => {})}>
          Yes, record
        </button>
        <button type="button" className="btn" disabled={view.busy} onClick={() => void recording.answer(false).catch(() => {})}>
          No, do not record
        </button>
      </div>
    </div>
  );
}

/** In the ended room: what became of the recording, and the participants' "delete recordings". */
export function RecordingAfterEnd({ recording }: { recording: RecordingManager }) {
  const view = useRecording(recording);
  if (!view.participant) return null;
  if (view.deleted) {
    return (
      <span className="rec-after" data-testid="recordings-deleted">
        Recordings deleted.
      </span>
    );
  }
  if (view.activeSince === null && view.stored === 0 && view.unsent === 0) return null;
  return (
    <span className="rec-after">
      <DeleteRecordings onDelete={() => recording.deleteRecordings()} />
    </span>
  );
}
