import { useEffect, useRef, useState } from "react";
import type { Whiteboard } from "../../api";
import { replayHref } from "../replay/replayModel";
import { PlayAt } from "./CoverageSection";
import { Section } from "./Section";
import { svgDataUrl } from "./shape";

interface Board {
  key: string;
  label: string;
  svg: string;
  /** Its moment in the replay (absent for the final board and for reports before v4). */
  replay: string | null;
}

/**
 * The final board and the board at each step change, as images: the server's SVG goes into an
 * <img> through a data URL, so nothing in it can run or load (never as inline markup).
 */
export function WhiteboardSection({ whiteboard, sessionId, startedAt }: { whiteboard: Whiteboard; sessionId?: string; startedAt?: string | null }) {
  const boards: Board[] = [
    { key: "final", label: "Final board", svg: whiteboard.final, replay: null },
    ...whiteboard.snapshots.map((s, i) => ({
      key: `snap-${i}`,
      label: `After ${s.title}`,
      svg: s.svg,
      replay: sessionId ? replayHref(sessionId, startedAt, s.at) : null,
    })),
  ];
  const [open, setOpen] = useState<Board | null>(null);
  return (
    <Section id="whiteboard" title="Whiteboard" aside={<span className="muted small">{whiteboard.snapshots.length} step snapshot{whiteboard.snapshots.length === 1 ? "" : "s"}</span>}>
      <div className="boards">
        {boards.map((b, i) => (
          <figure key={b.key} className={i === 0 ? "board-fig board-final" : "board-fig"}>
            <button type="button" className="board-thumb" onClick={() => setOpen(b)} aria-label={`Enlarge: ${b.label}`}>
              <img src={svgDataUrl(b.svg)} alt={b.label} data-testid="board-image" />
            </button>
            <figcaption className="small">
              {b.label}
              {b.replay && (
                <>
                  {" "}
                  <PlayAt href={b.replay} what={`the board was ${b.label.toLowerCase()}`} />
                </>
              )}
            </figcaption>
          </figure>
        ))}
      </div>
      {open && <Lightbox board={open} onClose={() => setOpen(null)} />}
    </Section>
  );
}

function Lightbox({ board, onClose }: { board: Board; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="lightbox"
      aria-label={board.label}
      onClose={onClose}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="lightbox-head">
        <strong>{board.label}</strong>
        <button type="button" className="btn btn-small" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
      <img src={svgDataUrl(board.svg)} alt={board.label} />
    </dialog>
  );
}
