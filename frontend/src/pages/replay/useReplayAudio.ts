import { useEffect, useRef } from "react";
import { replayAudioUrl } from "../../api";
import { chunkAt, type ReplayTrack } from "./replayModel";

/** How far a chunk's audio may drift from the playhead before it is moved back in step. */
const DRIFT_SECONDS = 0.3;

interface Player {
  audio: HTMLAudioElement;
  chunkId: number | null;
}

/**
 * Both people's recordings in step with the playhead: per track one audio element, given the
 * chunk that covers the playhead (chunks are standalone files placed by their start time on the
 * server's clock), silent in gaps, re-seeked when it drifts, at the playback rate.
 */
export function useReplayAudio(sessionId: string, tracks: readonly ReplayTrack[], at: number, playing: boolean, rate: number, muted: boolean) {
  const players = useRef(new Map<number, Player>());

  useEffect(() => {
    const all = players.current;
    return () => {
      for (const player of all.values()) {
        player.audio.pause();
        player.audio.removeAttribute("src");
        player.audio.load();
      }
      all.clear();
    };
  }, []);

  useEffect(() => {
    for (const track of tracks) {
      let player = players.current.get(track.user_id);
      const chunk = chunkAt(track.chunks, at);
      if (!chunk) {
        if (player && !player.audio.paused) player.audio.pause();
        continue;
      }
      if (!player) {
        player = { audio: new Audio(), chunkId: null };
        player.audio.preload = "auto";
        player.audio.dataset.replayTrack = track.role;
        players.current.set(track.user_id, player);
      }
      const audio = player.audio;
      const offset = (at - chunk.start) / 1000;
      if (player.chunkId !== chunk.id) {
        player.chunkId = chunk.id;
        audio.src = replayAudioUrl(sessionId, chunk.id);
        audio.currentTime = offset;
      } else if (Math.abs(audio.currentTime - offset) > DRIFT_SECONDS) {
        audio.currentTime = offset;
      }
      audio.playbackRate = rate;
      audio.muted = muted;
      if (playing && audio.paused) {
        // A refused play (no user gesture yet, a chunk that does not decode) leaves it silent.
        audio.play().catch(() => undefined);
      } else if (!playing && !audio.paused) {
        audio.pause();
      }
    }
  }, [sessionId, tracks, at, playing, rate, muted]);
}
