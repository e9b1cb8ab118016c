import type { Coverage } from "../../api";
import { Section } from "./Section";
import { coverageRows, coverageSummary } from "./shape";

/** Per step: the case's key concepts the candidate wrote down (and how), and the ones missing. */
export function CoverageSection({ coverage, titles }: { coverage: Coverage; titles: Record<string, string> }) {
  const rows = coverageRows(coverage, titles);
  return (
    <Section id="coverage" title="Key concept coverage" aside={<strong data-testid="coverage-summary">{coverageSummary(coverage)}</strong>}>
      <p className="muted small">
        From what the candidate wrote on the whiteboard and in the chat (not what was said aloud), matched against the case's key concepts and their aliases.
      </p>
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
                    <ul className="chips">
                      {row.found.map((f) => (
                        <li key={f.name} className="chip chip-found" title={f.matched !== f.name ? `matched “${f.matched}”` : undefined}>
                          ✓ {f.name}
                          {f.matched !== f.name && <span className="chip-matched"> (as “{f.matched}”)</span>}
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
