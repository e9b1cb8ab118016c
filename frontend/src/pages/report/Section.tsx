import type { ReactNode } from "react";

/** One card of the report, with a heading other parts can link to. */
export function Section({ id, title, aside, children, className = "" }: { id: string; title: string; aside?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`card report-section ${className}`} aria-labelledby={`${id}-h`} id={id}>
      <div className="report-section-head">
        <h2 id={`${id}-h`}>{title}</h2>
        {aside && <div className="report-section-aside">{aside}</div>}
      </div>
      {children}
    </section>
  );
}
