import { useEffect, useRef, useSyncExternalStore } from "react";
import type { CallManager, CallView, PeerStatus, PeerView } from "./manager";

const STATUS_TEXT: Record<PeerStatus, string> = {
  new: "Connecting audio…",
  connecting: "Connecting audio…",
  connected: "Audio connected",
  disconnected: "Audio interrupted; reconnecting…",
  failed: "Audio not connected",
  closed: "Audio not connected",
  offline: "Not in the room",
};

function useCall(call: CallManager): CallView {
  return useSyncExternalStore(call.subscribe, call.getView);
}

/** Plays a stream in a media element; re-attached when the connection behind it is replaced. */
function useStream<T extends HTMLMediaElement>(stream: MediaStream | null, generation = 0) {
  const ref = useRef<T>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.srcObject = stream;
    if (stream) void element.play().catch(() => {});
  }, [stream, generation]);
  return ref;
}

/** The call: everyone's audio state and, when on, their camera; this person's controls. */
export function CallPanel({ call }: { call: CallManager }) {
  const view = useCall(call);
  if (!call.supported) {
    return (
      <section className="call" aria-label="Call">
        <p className="muted small">This browser cannot join the call (no WebRTC).</p>
      </section>
    );
  }
  return (
    <section className="call" aria-label="Call" data-testid="call">
      {view.phase === "other-tab" && (
        <p className="call-note small" role="status">
          You are in the call in another tab of this room.
        </p>
      )}
      <ul className="call-people">
        <MeTile view={view} />
        {view.peers.map((peer) => (
          <PeerTile key={peer.userId} peer={peer} onRetry={() => call.retry(peer.userId)} />
        ))}
      </ul>
      {view.canSpeak && view.phase !== "other-tab" && <CallControls call={call} view={view} />}
      {!view.canSpeak && view.phase === "ready" && <p className="muted small">You are listening (observers do not speak).</p>}
      {view.micError && (
        <p className="call-error small" role="alert">
          {view.micError}{" "}
          <button type="button" className="btn btn-small" onClick={() => call.toggleMic()}>
            Try the microphone again
          </button>
        </p>
      )}
      {view.cameraError && (
        <p className="call-error small" role="alert">
          {view.cameraError}
        </p>
      )}
    </section>
  );
}

function MeTile({ view }: { view: CallView }) {
  const video = useStream<HTMLVideoElement>(view.localStream);
  const muted = view.canSpeak && (!view.micOn || !view.hasMic);
  return (
    <li className={`call-person${view.speaking ? " is-speaking" : ""}`} data-testid="call-me" data-speaking={view.speaking}>
      {view.cameraOn && <video ref={video} className="call-video call-video-me" autoPlay playsInline muted aria-label="Your camera" />}
      <span className="call-name">
        <span className="speaking-dot" aria-hidden="true" /> You
      </span>
      <span className="call-state small">{!view.canSpeak ? "Listening" : muted ? "Muted" : view.speaking ? "Speaking" : "Mic on"}</span>
    </li>
  );
}

function PeerTile({ peer, onRetry }: { peer: PeerView; onRetry: () => void }) {
  const audio = useStream<HTMLAudioElement>(peer.stream, peer.generation);
  const video = useStream<HTMLVideoElement>(peer.cameraOn ? peer.stream : null, peer.generation);
  const connected = peer.status === "connected";
  const stuck = peer.status === "failed" || peer.status === "closed" || peer.status === "disconnected";
  return (
    <li
      className={`call-person call-${peer.status}${peer.speaking ? " is-speaking" : ""}`}
      data-testid={`call-peer-${peer.userId}`}
      data-status={peer.status}
      data-speaking={peer.speaking}
    >
      <audio ref={audio} autoPlay />
      {peer.cameraOn && connected && (
        <video ref={video} className="call-video" autoPlay playsInline muted aria-label={`${peer.username}'s camera`} />
      )}
      <span className="call-name">
        <span className="speaking-dot" aria-hidden="true" title={peer.speaking ? "Speaking" : undefined} /> {peer.username}
        <span className="muted small"> · {peer.role}</span>
      </span>
      {/* A live region for the connection only: who is speaking changes many times a minute
          and would drown a screen reader; the dot shows it. */}
      <span className="call-state small" role="status" aria-live="polite">
        {connected ? (peer.role === "observer" ? "Listening" : peer.micOn === false ? "Muted" : "Audio connected") : STATUS_TEXT[peer.status]}
      </span>
      {(stuck || peer.status === "new" || peer.status === "connecting") && (
        <button type="button" className="btn btn-small" onClick={onRetry} aria-label={`Retry the call with ${peer.username}`}>
          Retry
        </button>
      )}
    </li>
  );
}

function CallControls({ call, view }: { call: CallManager; view: CallView }) {
  const muted = !view.micOn || !view.hasMic;
  return (
    <div className="call-controls" role="toolbar" aria-label="Call controls">
      <button type="button" className={`btn btn-small${muted ? " btn-danger" : ""}`} aria-pressed={muted} onClick={() => call.toggleMic()}>
        Mute
      </button>
      <button type="button" className="btn btn-small" aria-pressed={view.cameraOn} onClick={() => void call.toggleCamera()}>
        Camera
      </button>
      <details className="call-devices">
        <summary>Devices</summary>
        <label>
          Microphone
          <select value={view.selected.audio} onChange={(e) => void call.chooseDevice("audio", e.target.value)}>
            {view.devices.audio.length === 0 && <option value="">Default</option>}
            {view.devices.audio.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Camera
          <select value={view.selected.video} onChange={(e) => void call.chooseDevice("video", e.target.value)}>
            {view.devices.video.length === 0 && <option value="">Default</option>}
            {view.devices.video.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
      </details>
    </div>
  );
}
