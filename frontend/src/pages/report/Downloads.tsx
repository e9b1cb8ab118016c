import { reportDownloadUrl } from "../../api";

/** The report as a PDF (rendered by the server) and as its JSON. */
export function Downloads({ sessionId }: { sessionId: string }) {
  return (
    <div className="downloads" role="group" aria-label="Download the report">
      <a className="btn btn-small" href={reportDownloadUrl(sessionId, "pdf")} download data-testid="download-pdf">
        Download PDF
      </a>
      <a className="btn btn-small btn-ghost" href={reportDownloadUrl(sessionId, "json")} download data-testid="download-json">
        Download JSON
      </a>
    </div>
  );
}
