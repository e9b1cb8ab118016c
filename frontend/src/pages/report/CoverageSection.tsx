import { Link } from "react-router-dom";
import type { Coverage, Quote } from "../../api";
import { replayHref } from "../replay/replayModel";
import { ReviewButtons, creditKey, type Review } from "./Review";
import { Section } from "./Section";
import { coverageRows, coverageSummary, quoteWhere, semanticNote } from "./shape";

/** Per step: the case's key concepts the candidate wrote down (with the words that show it), and the ones missing. */
export function CoverageSection({
  coverage,
  titles,
  startedAt,
  sessionId,
  review,
}: {
  coverage: Coverage;
  titles: Record<string, string>;
  startedAt?: string | null;
  /** Links each quote to its moment in the replay. */
  sessionId?: string;
  /** The interviewer, before release: confirm or reject each credit. */
  review?: Review;
}) {
  const rows = coverageRows(coverage, titles);
  const note = semanticNote(coverage);
  return (
    <Section id="coverage" title="Key concept coverage" aside={<strong data-testid="coverage-summary">{coverageSummary(coverage)}</strong>}>
      <p className="muted small">
        From what the candidate wrote on the whiteboard and in the chat (not what was said aloud), matched against the case's key concepts and their aliases. Each credit quotes the words that earned it.
      </p>
      {note && (
        <p className="muted small" data-testid="semantic-note">
          {note}
        </p>
      )}
      <div className="table-wrap">
        <table className="coverage-table" data-testid="coverage-table">
          <caption className="sr-only">Key concepts found and missing per step</caption>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Found</th>
              <th scope="col">Missing</th>
              <th scope="col" className="num">Covered</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{row.title}</th>
                <td>
                  {row.found.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    <ul className="found-list">
                      {row.found.map((f) => (
                        <li key={f.name}>
                          <span className="chip chip-found" title={f.matched !== f.name ? `matched “${f.matched}”` : undefined}>
                            ✓ {f.name}
                            {f.matched !== f.name && <span className="chip-matched"> (as “{f.matched}”)</span>}
                          </span>
                          {f.signal === "meaning" && <span className="muted small"> confirmed by meaning</span>}
                          {f.override === "confirmed" && <span className="badge badge-good small"> confirmed by the interviewer</span>}
                          {review && <ReviewButtons review={review} kind="credit" itemKey={creditKey(row.key, f.name)} label={f.name} current={f.override} />}
                          {(f.evidence ?? []).map((q, i) => (
                            <QuoteLine key={i} quote={q} startedAt={startedAt} titles={titles} sessionId={sessionId} />
                          ))}
                        </li>
                      ))}
                    </ul>
                  )}
                  {row.rejected.length > 0 && (
                    <ul className="found-list rejected-list" data-testid={`rejected-credits-${row.key}`}>
                      {row.rejected.map((f) => (
                        <li key={f.name}>
                          <span className="chip chip-rejected">
                            <s>{f.name}</s>
                          </span>{" "}
                          <span className="muted small">rejected by the interviewer</span>
                          {review && <ReviewButtons review={review} kind="credit" itemKey={creditKey(row.key, f.name)} label={f.name} current={f.override} />}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  {row.missing.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    <ul className="chips">
                      {row.missing.map((m) => (
                        <li key={m} className="chip chip-missing">
                          {m}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="num">{row.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

/** One quote of the candidate's writing, with where and when it was written (and a link to
 * that moment of the replay). */
export function QuoteLine({ quote, startedAt, titles, sessionId }: { quote: Quote; startedAt?: string | null; titles: Record<string, string>; sessionId?: string }) {
  const where = quoteWhere(quote, startedAt, titles);
  const replay = sessionId ? replayHref(sessionId, startedAt, quote.at) : null;
  return (
    <blockquote className="quote" data-testid="quote">
      “{quote.quote}”{where && <span className="quote-where"> — {where}</span>}
      {replay && (
        <>
          {" "}
          <PlayAt href={replay} what="these words" />
        </>
      )}
    </blockquote>
  );
}

/** A "play at" link to one moment of the replay. */
export function PlayAt({ href, what }: { href: string; what: string }) {
  return (
    <Link to={href} className="play-at small" aria-label={`Play the replay where ${what} happened`} data-testid="play-at">
      ▶ play at
    </Link>
  );
}
