import { memo, useEffect, useRef, type ReactNode } from "react";
import { formatOffset, type Replay, type ReplayMarker } from "./replayModel";

type Seek = (ms: number) => void;

/** Keep the current line in view as the playhead moves (within the list, not the page). */
function useFollow(current: number) {
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const container = list.current;
    const item = container?.querySelector<HTMLElement>(`[data-index="${current}"]`);
    if (!container || !item) return;
    const top = item.offsetTop - container.offsetTop;
    if (top < container.scrollTop || top + item.offsetHeight > container.scrollTop + container.clientHeight) {
      container.scrollTo({ top: Math.max(0, top - container.clientHeight / 3) });
    }
  }, [current]);
  return list;
}

/** Lines in time order, each with a time stamp that moves the playhead there; the line at the
 *  playhead is marked current and those after it dimmed. */
function TimedList<T>({ items, at, render, start, current, onSeek, testId, empty }: {
  items: readonly T[];
  at: (item: T) => number;
  render: (item: T) => ReactNode;
  start: number;
  current: number;
  onSeek: Seek;
  testId: string;
  empty: string;
}) {
  const list = useFollow(current);
  if (items.length === 0) return <p className="muted small">{empty}</p>;
  return (
    <ol className="replay-list" ref={list} data-testid={testId}>
      {items.map((item, i) => (
        <li key={i} data-index={i} className={i === current ? "replay-current" : i > current ? "replay-later" : undefined} aria-current={i === current ? "true" : undefined}>
          <button type="button" className="replay-time" onClick={() => onSeek(at(item) - start)}>
            {formatOffset(at(item) - start)}
          </button>{" "}
          {render(item)}
        </li>
      ))}
    </ol>
  );
}

type Speech = Replay["transcript"][number];
type Message = Replay["chat"][number];
interface ListProps {
  start: number;
  current: number;
  onSeek: Seek;
}

export const TranscriptList = memo(function TranscriptList({ segments, ...props }: ListProps & { segments: readonly Speech[] }) {
  return (
    <TimedList
      {...props}
      items={segments}
      at={(segment) => segment.start}
      testId="replay-transcript"
      empty="No transcript: this interview was not recorded, or its audio could not be transcribed."
      render={(segment) => (
        <>
          <strong>{segment.speaker}</strong> <span className="muted small">({segment.role})</span>: {segment.text}
        </>
      )}
    />
  );
});

export const ChatList = memo(function ChatList({ messages, ...props }: ListProps & { messages: readonly Message[] }) {
  return (
    <TimedList
      {...props}
      items={messages}
      at={(message) => message.at}
      testId="replay-chat"
      empty="Nobody wrote in the chat."
      render={(message) => (
        <>
          <strong>{message.author}</strong>: {message.text}
        </>
      )}
    />
  );
});

function more(marker: ReplayMarker): string {
  return marker.truncated ? "…" : "";
}

export const MarkerList = memo(function MarkerList({ markers, ...props }: ListProps & { markers: readonly ReplayMarker[] }) {
  return (
    <TimedList
      {...props}
      items={markers}
      at={(marker) => marker.at}
      testId="replay-markers"
      empty="You changed no notes or scores during this interview."
      render={(marker) =>
        marker.kind === "note" ? (
          <>
            <strong>Note on {marker.title}</strong>
            {marker.shared ? <span className="muted small"> (shared)</span> : null}: {marker.excerpt}
            {more(marker)}
          </>
        ) : (
          <>
            <strong>{marker.title}</strong>: {marker.level === null ? "level cleared" : `level ${marker.level}`}
            {marker.excerpt ? ` — ${marker.excerpt}${more(marker)}` : ""}
          </>
        )
      }
    />
  );
});
