import type { SharedNote } from "../../api";
import { Section } from "./Section";

/** The notes the interviewer marked as shared, per step. */
export function NotesSection({ notes }: { notes: SharedNote[] }) {
  return (
    <Section id="notes" title="Notes from the interviewer">
      {notes.length === 0 ? (
        <p className="muted">The interviewer shared no notes.</p>
      ) : (
        <dl className="shared-notes" data-testid="shared-notes">
          {notes.map((n) => (
            <div key={n.step}>
              <dt>{n.title}</dt>
              <dd>{n.text}</dd>
            </div>
          ))}
        </dl>
      )}
    </Section>
  );
}
