import { useEffect, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { Api, type CaseStudy } from "../api";
import { Badge, Empty, ErrorBox, Loading, Prose, domainName, titleCase } from "../components/ui";
import { useAsync } from "../useAsync";

export const DIFFICULTIES = ["easy", "medium", "hard"];

/** Cases in the order the API lists them (by domain, then title), one group per domain. */
function groupByDomain(cases: CaseStudy[]): { domain: string; cases: CaseStudy[] }[] {
  const groups: { domain: string; cases: CaseStudy[] }[] = [];
  for (const c of cases) {
    const last = groups[groups.length - 1];
    if (last && last.domain === c.domain) last.cases.push(c);
    else groups.push({ domain: c.domain, cases: [c] });
  }
  return groups;
}

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
    // From the address bar, not `prev`: react-router hands a functional update the params of the
    // render that made the callback, so the search box's delayed update would undo a filter
    // chosen in the meantime.
    const next = new URLSearchParams(window.location.search);
    if ((next.get(key) ?? "") === value) return;
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  }

  const facets = useAsync(() => Api.caseStudyFacets(), []);
  const filtered = useAsync(
    () => Api.caseStudies({ domain: domain || undefined, difficulty: difficulty || undefined, tag: tag || undefined, search: search || undefined }),
    [domain, difficulty, tag, search],
  );
  const domains = facets.status === "ok" ? facets.data.domains.filter((d) => d.count > 0 || d.value === domain) : [];
  const tags = useMemo(
    () => (facets.status === "ok" ? [...facets.data.tags].sort((a, b) => a.name.localeCompare(b.name)) : []),
    [facets.status, facets.data],
  );
  const domainLabel = useMemo(
    () => new Map(facets.status === "ok" ? facets.data.domains.map((d) => [d.value, d.label]) : []),
    [facets.status, facets.data],
  );
  const labelOf = (value: string) => domainLabel.get(value) ?? domainName(value);
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
            {domains.map((d) => <option key={d.value} value={d.value}>{d.label} ({d.count})</option>)}
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
            {tags.map((t) => <option key={t.name} value={t.name}>{t.name} ({t.count})</option>)}
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
          {groupByDomain(filtered.data.results).map((group) => (
            <section key={group.domain} className="domain-group" aria-labelledby={`domain-${group.domain}`}>
              <h2 id={`domain-${group.domain}`} className="domain-head">{labelOf(group.domain)}</h2>
              <ul className="cases">
                {group.cases.map((c) => (
                  <li key={c.slug} className="card case">
                    <h3>{c.title}</h3>
                    <div className="case-meta">
                      <Badge tone="info">{labelOf(c.domain)}</Badge>
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
            </section>
          ))}
        </>
      )}
    </main>
  );
}
