import { useEffect, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { Api } from "../api";
import { Badge, Empty, ErrorBox, Loading, Prose, titleCase } from "../components/ui";
import { useAsync } from "../useAsync";

export const DOMAINS = ["recommendation", "search", "computer-vision", "ads", "trust-safety", "social", "nlp"];
export const DIFFICULTIES = ["easy", "medium", "hard"];

export function LibraryPage() {
  const [params, setParams] = useSearchParams();
  const domain = params.get("domain") ?? "";
  const difficulty = params.get("difficulty") ?? "";
  const tag = params.get("tag") ?? "";
  const search = params.get("search") ?? "";
  const [typed, setTyped] = useState(search);

  // Search as you type, a moment after the typing stops.
  useEffect(() => {
    const handle = setTimeout(() => update("search", typed.trim()), 300);
    return () => clearTimeout(handle);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [typed]);

  function update(key: string, value: string) {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  }

  const all = useAsync(() => Api.caseStudies(), []);
  const filtered = useAsync(
    () => Api.caseStudies({ domain: domain || undefined, difficulty: difficulty || undefined, tag: tag || undefined, search: search || undefined }),
    [domain, difficulty, tag, search],
  );
  const tags = useMemo(
    () => (all.status === "ok" ? [...new Set(all.data.results.flatMap((c) => c.tags))].sort() : []),
    [all.status, all.data],
  );
  const anyFilter = !!(domain || difficulty || tag || search);

  return (
    <main className="page">
      <div className="page-head">
        <h1>Case study library</h1>
      </div>
      <form className="filters card" role="search" onSubmit={(e) => e.preventDefault()} aria-label="Filter case studies">
        <label>
          <span>Search</span>
          <input id="f-search" type="search" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="e.g. ranking, embeddings" />
        </label>
        <div className="field">
          <label htmlFor="f-domain">Domain</label>
          <select id="f-domain" value={domain} onChange={(e) => update("domain", e.target.value)}>
            <option value="">All domains</option>
            {DOMAINS.map((d) => <option key={d} value={d}>{titleCase(d)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-difficulty">Difficulty</label>
          <select id="f-difficulty" value={difficulty} onChange={(e) => update("difficulty", e.target.value)}>
            <option value="">Any difficulty</option>
            {DIFFICULTIES.map((d) => <option key={d} value={d}>{titleCase(d)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-tag">Tag</label>
          <select id="f-tag" value={tag} onChange={(e) => update("tag", e.target.value)}>
            <option value="">Any tag</option>
            {tags.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </div>
        {anyFilter && (
          <button type="button" className="btn btn-ghost" onClick={() => { setTyped(""); setParams({}, { replace: true }); }}>
            Clear filters
          </button>
        )}
      </form>

      {filtered.status === "loading" && <Loading what="Loading case studies" />}
      {filtered.status === "error" && <ErrorBox title="Could not load the library" error={filtered.error} onRetry={filtered.reload} />}
      {filtered.status === "ok" && filtered.data.results.length === 0 && (
        <Empty>{anyFilter ? "No case study matches these filters." : "The library is empty: run `manage.py load_content`."}</Empty>
      )}
      {filtered.status === "ok" && filtered.data.results.length > 0 && (
        <>
          <p className="muted" aria-live="polite">{filtered.data.count} case stud{filtered.data.count === 1 ? "y" : "ies"}</p>
          <ul className="cases">
            {filtered.data.results.map((c) => (
              <li key={c.slug} className="card case">
                <h2>{c.title}</h2>
                <div className="case-meta">
                  <Badge tone="info">{titleCase(c.domain)}</Badge>
                  <Badge tone={c.difficulty === "hard" ? "bad" : c.difficulty === "medium" ? "warn" : "good"}>{titleCase(c.difficulty)}</Badge>
                  {c.tags.map((t) => (
                    <button key={t} type="button" className="tag" onClick={() => update("tag", t)} aria-label={`Filter by tag ${t}`}>
                      #{t}
                    </button>
                  ))}
                </div>
                <Prose text={c.prompt} className="prompt" />
                <Link className="btn btn-small" to={`/sessions/new?case=${encodeURIComponent(c.slug)}`}>Practise this case</Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}
