/**
 * The replay of an ended interview (/sessions/<id>/replay?t=<ms from the start>): the board as
 * it was at the playhead, both recordings in step, the transcript and chat following along, the
 * seven steps on the timeline, and for the interviewer the moments their notes and scores
 * changed. Its own chunk, with Excalidraw, like the room.
 */
import "../excalidrawAssets";
import { debounce } from "lodash-es";
import { useEffect, useMemo, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { Api, ApiError } from "../api";
import { ErrorBox, Loading } from "../components/ui";
import { useAsync } from "../useAsync";
import { ReplayBoard } from "./replay/ReplayBoard";
import { ChatList, MarkerList, TranscriptList } from "./replay/ReplayLists";
import { formatOffset, keySeek, lastAtOrBefore, segmentAt, type Replay } from "./replay/replayModel";
import { ReplayTimeline } from "./replay/ReplayTimeline";
import { useBoardPages } from "./replay/useBoardPages";
import { useReplayAudio } from "./replay/useReplayAudio";
import { SPEEDS, useReplayClock } from "./replay/useReplayClock";
import "./replay/replay.css";

export default function ReplayPage() {
  const { id = "" } = useParams();
  const replay = useAsync(() => Api.replay(id), [id]);
  if (replay.status === "loading") {
    return (
      <main className="page">
        <Loading what="Loading the replay" />
      </main>
    );
  }
  if (replay.status === "error") {
    const notEnded = replay.error instanceof ApiError && replay.error.status === 409;
    return (
      <main className="page narrow">
        <h1>Replay</h1>
        {notEnded ? (
          <p>The replay opens once the interview has ended. <Link to={`/sessions/${id}`}>Back to the room</Link></p>
        ) : (
          <ErrorBox title="Could not load the replay" error={replay.error} onRetry={replay.reload} />
        )}
        <p>
          <Link to="/history">Back to your history</Link>
        </p>
      </main>
    );
  }
  return <ReplayView replay={replay.data} />;
}

function ReplayView({ replay }: { replay: Replay }) {
  const sessionId = replay.session.id;
  const { start, end } = replay.timeline;
  const duration = Math.max(0, end - start);
  const [params, setParams] = useSearchParams();
  const initial = Number(params.get("t") ?? 0);
  const clock = useReplayClock(duration, Number.isFinite(initial) ? initial : 0);
  const { t, playing, rate, seek, toggle } = clock;
  const at = start + t;
  const [muted, setMuted] = useState(false);

  const { board, version, error, retry } = useBoardPages(sessionId, replay.board.pages, at);
  // `version` (a page arrived) is what makes the same moment readable again.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const shown = useMemo(() => board.at(at), [board, at, version]);
  useReplayAudio(sessionId, replay.audio, at, playing, rate, muted);

  // The address follows the playhead (without piling up history), so a link shares the moment.
  const remember = useMemo(
    () => debounce((ms: number) => setParams((p) => ({ ...Object.fromEntries(p), t: String(Math.round(ms)) }), { replace: true }), 400),
    [setParams],
  );
  useEffect(() => () => remember.cancel(), [remember]);
  useEffect(() => {
    if (!playing) remember(t);
  }, [t, playing, remember]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest("input, select, textarea, button, [contenteditable=true], .excalidraw")) return;
      if (e.key === " " || e.key === "k") {
        e.preventDefault();
        toggle();
      } else if (["ArrowLeft", "ArrowRight", "j", "l"].includes(e.key)) {
        const key = e.key === "j" ? "ArrowLeft" : e.key === "l" ? "ArrowRight" : e.key;
        seek(keySeek(key, e.shiftKey, t, duration) ?? t);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [t, duration, seek, toggle]);

  const titles = useMemo(() => Object.fromEntries(replay.timeline.steps.map((s) => [s.key, s.title])), [replay]);
  const segment = segmentAt(replay.timeline.segments, at);
  const transcriptTimes = useMemo(() => replay.transcript.map((s) => s.start), [replay]);
  const chatTimes = useMemo(() => replay.chat.map((m) => m.at), [replay]);
  const markerTimes = useMemo(() => (replay.markers ?? []).map((m) => m.at), [replay]);
  const recorded = replay.audio.some((track) => track.chunks.length > 0);

  return (
    <main className="page replay-page">
      <div className="page-head">
        <h1>
          Replay: {replay.session.case_study.title}
        </h1>
        <p className="muted">
          <Link to={`/sessions/${sessionId}/report`}>Feedback report</Link> · <Link to="/history">History</Link>
        </p>
      </div>
      <div className="replay-controls card">
        <button type="button" className="btn btn-primary" onClick={toggle} aria-pressed={playing} data-testid="replay-play">
          {playing ? "Pause" : "Play"}
        </button>
        <span className="replay-clock" aria-live="off" data-testid="replay-clock">
          {formatOffset(t)} / {formatOffset(duration)}
        </span>
        <span className="replay-step" data-testid="replay-step">
          {segment ? `${titles[segment.step]}${segment.running ? "" : " (paused)"}` : "Timer not running"}
        </span>
        <label className="small">
          Speed{" "}
          <select value={rate} onChange={(e) => clock.setRate(Number(e.target.value))}>
            {SPEEDS.map((speed) => (
              <option key={speed} value={speed}>
                {speed}×
              </option>
            ))}
          </select>
        </label>
        {recorded ? (
          <label className="small">
            <input type="checkbox" checked={muted} onChange={(e) => setMuted(e.target.checked)} /> Mute
          </label>
        ) : (
          <span className="muted small">No audio recorded</span>
        )}
        <span className="muted small replay-keys">Space: play/pause · ←/→: 5 s (Shift: 30 s)</span>
      </div>
      <ReplayTimeline start={start} duration={duration} t={t} segments={replay.timeline.segments} titles={titles} markers={replay.markers} onSeek={seek} />
      <div className="replay-body">
        <section className="replay-board card" aria-label="Whiteboard at the playhead">
          {error ? (
            <ErrorBox title="Could not load the board" error={error} onRetry={retry} />
          ) : shown ? (
            <ReplayBoard board={shown} />
          ) : (
            <Loading what="Loading the board" />
          )}
        </section>
        <aside className="replay-side">
          <section className="card" aria-labelledby="replay-transcript-h">
            <h2 id="replay-transcript-h">Transcript</h2>
            <TranscriptList segments={replay.transcript} start={start} current={lastAtOrBefore(transcriptTimes, at)} onSeek={seek} />
          </section>
          <section className="card" aria-labelledby="replay-chat-h">
            <h2 id="replay-chat-h">Chat</h2>
            <ChatList messages={replay.chat} start={start} current={lastAtOrBefore(chatTimes, at)} onSeek={seek} />
          </section>
          {replay.markers && (
            <section className="card" aria-labelledby="replay-markers-h">
              <h2 id="replay-markers-h">Your notes and scores</h2>
              <MarkerList markers={replay.markers} start={start} current={lastAtOrBefore(markerTimes, at)} onSeek={seek} />
            </section>
          )}
        </aside>
      </div>
    </main>
  );
}
