import { useEffect } from "react";
import { Link, useParams } from "react-router-dom";
import { Api } from "../api";
import { ErrorBox, Loading } from "../components/ui";
import { useAsync } from "../useAsync";
import { Board } from "./Board";
import { CallPanel } from "./call/CallPanel";
import { Controls } from "./Controls";
import { ConsentDialog, RecordingAfterEnd, RecordingIndicator } from "./recording/RecordingPanel";
import { CandidatePanel, Chat, InterviewerPanel, Presence } from "./Panels";
import { PracticeNext } from "./PracticeNext";
import { canDraw, type RoomState } from "./state";
import { StepBar } from "./StepBar";
import { useRoom } from "./useRoom";

export default function RoomPage() {
  const { id = "" } = useParams();
  return <Room key={id} sessionId={id} />;
}

function Room({ sessionId }: { sessionId: string }) {
  const { state, room } = useRoom(sessionId);
  const framework = useAsync(() => Api.framework(), []);

  useEffect(() => {
    if (!state.lastError) return;
    const handle = setTimeout(() => room.dismissError(), 6000);
    return () => clearTimeout(handle);
  }, [state.lastError, room]);

  useEffect(() => {
    const title = state.session?.case_study.title;
    document.title = title ? `${title} · Mockroom` : "Room · Mockroom";
    return () => {
      document.title = "Mockroom";
    };
  }, [state.session?.case_study.title]);

  if (state.fatal) {
    return (
      <main className="page narrow">
        <ErrorBox title="You cannot enter this room" error={state.fatal.message} />
        <p>
          {state.fatal.code === 4401 ? (
            <Link to={`/login?next=${encodeURIComponent(`/sessions/${sessionId}`)}`}>Log in</Link>
          ) : (
            <Link to="/">Back to the dashboard</Link>
          )}
        </p>
      </main>
    );
  }
  if (!state.loaded || !state.me || !state.session || !state.timer) {
    return (
      <div className="room-loading">
        <Loading what={state.connection === "reconnecting" ? "Cannot reach the room; retrying" : "Joining the room"} />
        <Link to="/">Back to the dashboard</Link>
      </div>
    );
  }

  const role = state.me.role;
  const offline = state.connection !== "open";
  const interviewer = role === "interviewer";
  const readOnlyBoard = !canDraw(state);
  const currentKey = state.timer.status === "not_started" ? state.timer.steps[0]?.key ?? null : state.timer.step;

  return (
    <div className={`room room-${role}`} data-role={role}>
      <header className="room-top">
        <Link to="/" className="brand" aria-label="Back to the dashboard">
          <span className="brand-mark" aria-hidden="true">▣</span>
        </Link>
        <div className="room-title">
          <h1>{state.session.case_study.title}</h1>
          <span className="muted small">You are the {role}</span>
        </div>
        <Presence participants={state.participants} dropped={state.dropped} myId={state.me.user_id} stale={offline} />
        <RecordingIndicator recording={room.recording} ended={state.ended} />
        <Connection state={state} />
      </header>

      <div className="room-bar">
        <StepBar timer={state.timer} clockOffset={state.clockOffset} room={room} interviewer={interviewer} disabled={offline || state.ended} />
        {interviewer && !state.ended && <Controls room={room} timer={state.timer} boardLocked={state.boardLocked} disabled={offline} />}
      </div>

      {state.ended && (
        <div className="banner banner-ended" role="status" data-testid="ended-banner">
          <strong>The interview has ended.</strong> The room is read-only. Report: {state.reportStatus ?? "pending"}.{" "}
          <Link to={`/sessions/${sessionId}/report`}>View the report</Link> <RecordingAfterEnd recording={room.recording} />
        </div>
      )}
      <PracticeNext sessionId={sessionId} ended={state.ended} announced={state.practiceNext} me={state.me.username} />
      {!state.ended && state.boardLocked && (
        <div className="banner banner-locked" role="status" data-testid="locked-banner">
          {interviewer ? "The board is locked for the candidate." : "The interviewer has locked the board: you can look but not draw."}
        </div>
      )}

      <div className="room-main">
        <div className="board" aria-label="Shared whiteboard">
          <Board room={room} readOnly={readOnlyBoard} name={state.session.case_study.title} />
        </div>
        <aside className="side" aria-label={interviewer ? "Interviewer panel" : "Candidate panel"}>
          <ConsentDialog recording={room.recording} />
          <CallPanel call={room.call} />
          {interviewer ? (
            <InterviewerPanel
              room={room}
              steps={state.timer.steps}
              currentKey={currentKey}
              guide={state.guide}
              guideWithheld={state.guideWithheld}
              rubric={state.rubric}
              notes={state.notes}
              noteStatus={state.noteStatus}
              scores={state.scores}
              scoreStatus={state.scoreStatus}
              readOnly={state.ended}
            />
          ) : (
            <CandidatePanel
              title={state.session.case_study.title}
              prompt={state.session.case_study.prompt}
              steps={framework.status === "ok" ? framework.data.steps : null}
              currentKey={currentKey}
            />
          )}
          <Chat
            room={room}
            chat={state.chat}
            myId={state.me.user_id}
            disabled={offline || state.ended || role === "observer"}
            disabledReason={state.ended ? "The interview has ended" : offline ? "Reconnecting…" : "Observers cannot chat"}
          />
        </aside>
      </div>

      {state.lastError && (
        <div className="toast" role="alert">
          {state.lastError.message}
          <button type="button" className="btn btn-small btn-ghost" onClick={() => room.dismissError()} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
    </div>
  );
}

function Connection({ state }: { state: RoomState }) {
  const label = state.connection === "open" ? "Connected" : state.connection === "reconnecting" ? "Reconnecting…" : "Connecting…";
  return (
    <span className={`conn conn-${state.connection}`} role="status" aria-live="polite" data-testid="connection">
      <span className="dot" aria-hidden="true" /> {label}
    </span>
  );
}
