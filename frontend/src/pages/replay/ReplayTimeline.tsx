import { memo } from "react";
import { formatOffset, keySeek, type ReplayMarker, type ReplaySegment } from "./replayModel";

const STEP_COLOURS: Record<string, string> = {
  clarify: "#4dabf7",
  frame: "#9775fa",
  data: "#38d9a9",
  model: "#ffa94d",
  evaluation: "#f783ac",
  serving: "#69db7c",
  monitoring: "#ffd43b",
};

interface Props {
  start: number;
  duration: number;
  t: number;
  segments: readonly ReplaySegment[];
  titles: Record<string, string>;
  markers: readonly ReplayMarker[] | undefined;
  onSeek: (ms: number) => void;
}

/**
 * The interview's seven steps as segments along the playhead's range (paused stretches
 * hatched), the interviewer's markers above it, and the scrubber: a range input whose value is
 * the playhead itself (no step, so nothing snaps it); arrow keys, Page Up/Down and Home/End move
 * it by `keySeek`.
 */
export const ReplayTimeline = memo(function ReplayTimeline({ start, duration, t, segments, titles, markers, onSeek }: Props) {
  const share = (ms: number) => `${(Math.min(Math.max(0, ms), duration) / Math.max(1, duration)) * 100}%`;
  return (
    <div className="replay-timeline">
      <div className="replay-track" aria-hidden="true">
        {segments.map((segment) => (
          <button
            type="button"
            tabIndex={-1}
            key={`${segment.step}-${segment.start}`}
            className={segment.running ? "replay-segment" : "replay-segment replay-paused"}
            style={{ left: share(segment.start - start), width: share(segment.end - segment.start), background: STEP_COLOURS[segment.step] }}
            title={`${titles[segment.step] ?? segment.step}${segment.running ? "" : " (paused)"}`}
            onClick={() => onSeek(segment.start - start)}
          />
        ))}
        {markers?.map((marker, i) => (
          <button
            type="button"
            tabIndex={-1}
            key={i}
            className={`replay-marker replay-marker-${marker.kind}`}
            style={{ left: share(marker.at - start) }}
            title={`${marker.kind === "note" ? "Note" : "Score"}: ${marker.title}`}
            onClick={() => onSeek(marker.at - start)}
            data-testid="replay-marker"
          />
        ))}
        <span className="replay-playhead" style={{ left: share(t) }} />
      </div>
      <input
        type="range"
        className="replay-scrubber"
        min={0}
        max={duration}
        step="any"
        value={t}
        onChange={(e) => onSeek(Number(e.target.value))}
        onKeyDown={(e) => {
          const to = keySeek(e.key, e.shiftKey, t, duration);
          if (to === null) return;
          e.preventDefault();
          onSeek(to);
        }}
        aria-label="Playhead"
        aria-valuetext={`${formatOffset(t)} of ${formatOffset(duration)}`}
        data-testid="replay-scrubber"
      />
      <ol className="replay-legend small">
        {Object.entries(titles).map(([key, title]) => (
          <li key={key}>
            <span className="replay-swatch" style={{ background: STEP_COLOURS[key] }} aria-hidden="true" /> {title}
          </li>
        ))}
      </ol>
    </div>
  );
});
