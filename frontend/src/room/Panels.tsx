import { useEffect, useRef, useState, type FormEvent } from "react";
import type { FrameworkStep } from "../api";
import { Prose } from "../components/ui";
import type { RoomController } from "./controller";
import { followUpsForStep } from "./guide";
import { listenForStep, type ListenForItem } from "./listenFor";
import type { ChatEntry, Guide, NoteEntry, Participant, RoomRubric, ScoreEntry } from "./protocol";
import type { SaveStatus } from "./state";

function SaveIndicator({ status }: { status: SaveStatus | undefined }) {
  const text = status === "unsaved" ? "Unsaved" : status === "saving" ? "Saving…" : status === "saved" ? "Saved" : "";
  if (!text) return null;
  return (
    <span className={`save save-${status}`} role="status" aria-live="polite">
      {text}
    </span>
  );
}

/** The candidate's panel: the prompt and what a strong answer covers at the current step. */
export function CandidatePanel({
  title,
  prompt,
  steps,
  currentKey,
}: {
  title: string;
  prompt: string;
  steps: FrameworkStep[] | null;
  currentKey: string | null;
}) {
  const current = steps?.find((s) => s.key === currentKey) ?? null;
  return (
    <div className="panel" data-testid="candidate-panel">
      <section aria-labelledby="prompt-h">
        <h2 id="prompt-h">{title}</h2>
        <Prose text={prompt} className="prompt" />
      </section>
      <section aria-labelledby="checklist-h">
        <h2 id="checklist-h">Framework checklist</h2>
        {!steps && <p className="muted">Loading the framework…</p>}
        {current && (
          <div className="checklist-current">
            <h3>Now: {current.title}</h3>
            <p>{current.strong_answer}</p>
          </div>
        )}
        {steps && (
          <ol className="checklist">
            {steps.map((s) => (
              <li key={s.key} className={s.key === currentKey ? "is-current" : ""}>
                <details open={s.key === currentKey}>
                  <summary>
                    {s.title} <span className="muted small">· {s.minutes} min</span>
                  </summary>
                  <p className="small">{s.strong_answer}</p>
                </details>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

/** Interviewer-only: guide, rubric with clickable level anchors and comments, notes per step. */
export function InterviewerPanel({
  room,
  steps,
  currentKey,
  guide,
  guideWithheld,
  rubric,
  notes,
  noteStatus,
  scores,
  scoreStatus,
  readOnly,
}: {
  room: RoomController;
  steps: { key: string; title: string }[];
  currentKey: string | null;
  guide: Guide | null;
  guideWithheld: string | null;
  rubric: RoomRubric | null;
  notes: Record<string, NoteEntry>;
  noteStatus: Record<string, SaveStatus>;
  scores: Record<string, ScoreEntry>;
  scoreStatus: Record<string, SaveStatus>;
  readOnly: boolean;
}) {
  // Follows the timer unless the interviewer picks another step to look at.
  const [pinned, setPinned] = useState<string | null>(null);
  const [tab, setTab] = useState<"guide" | "score">("guide");
  useEffect(() => setPinned(null), [currentKey]);
  const viewKey = pinned ?? currentKey ?? steps[0]?.key ?? "clarify";
  const stepTitle = steps.find((s) => s.key === viewKey)?.title ?? viewKey;
  const guideStep = guide?.steps[viewKey];
  const stepFollowUps = followUpsForStep(guide, viewKey);
  const stepCriteria = rubric?.criteria.filter((c) => c.step === viewKey) ?? [];
  const crossCutting = rubric?.criteria.filter((c) => !c.step) ?? [];

  return (
    <div className="panel" data-testid="interviewer-panel">
      <div className="panel-head">
        <label className="inline">
          Step
          <select value={viewKey} onChange={(e) => setPinned(e.target.value === currentKey ? null : e.target.value)}>
            {steps.map((s, i) => (
              <option key={s.key} value={s.key}>
                {i + 1}. {s.title}{s.key === currentKey ? " (now)" : ""}
              </option>
            ))}
          </select>
        </label>
      </div>

      {rubric && <ListenFor rubric={rubric} stepKey={viewKey} stepTitle={stepTitle} />}

      <section aria-labelledby="notes-h" className="notes">
        <div className="section-head">
          <h2 id="notes-h">Notes: {stepTitle}</h2>
          <SaveIndicator status={noteStatus[viewKey]} />
        </div>
        <textarea
          aria-label={`Private notes for ${stepTitle}`}
          data-testid="note-input"
          rows={2}
          value={notes[viewKey]?.text ?? ""}
          onChange={(e) => room.editNote(viewKey, e.target.value)}
          placeholder="Private notes for this step (only you see them)"
          readOnly={readOnly}
        />
        <label className="inline small note-share">
          <input
            type="checkbox"
            data-testid="note-shared"
            checked={notes[viewKey]?.shared ?? false}
            disabled={readOnly}
            onChange={(e) => room.shareNote(viewKey, e.target.checked)}
          />
          Share this note with the candidate in the report
        </label>
      </section>

      <div className="tabs" role="tablist" aria-label="Guide or scoring">
        <button type="button" role="tab" id="tab-guide" aria-selected={tab === "guide"} aria-controls="panel-guide" onClick={() => setTab("guide")}>
          Guide
        </button>
        <button type="button" role="tab" id="tab-score" aria-selected={tab === "score"} aria-controls="panel-score" onClick={() => setTab("score")}>
          Score{stepCriteria.length > 0 ? ` (${stepCriteria.filter((c) => scores[c.key]?.level).length}/${stepCriteria.length})` : ""}
        </button>
      </div>

      <section id="panel-guide" role="tabpanel" aria-labelledby="tab-guide" hidden={tab !== "guide"}>
        <h2 className="sr-only">Guide: {stepTitle}</h2>
        {!guide && <p className="muted" data-testid="guide-withheld">{guideWithheld ?? "No guide for this case."}</p>}
        {viewKey === "clarify" && guide && guide.clarifying_questions.length > 0 && (
          <details open>
            <summary>Answers to clarifying questions</summary>
            <dl className="qa">
              {guide.clarifying_questions.map((qa) => (
                <div key={qa.question}>
                  <dt>{qa.question}</dt>
                  <dd>{qa.answer}</dd>
                </div>
              ))}
            </dl>
          </details>
        )}
        {guideStep && (
          <>
            <details open>
              <summary>Hints</summary>
              <ul>{guideStep.hints.map((h) => <li key={h}>{h}</li>)}</ul>
            </details>
            <details open>
              <summary>Key concepts</summary>
              <ul className="concepts">
                {guideStep.key_concepts.map((c) => (
                  <li key={c.name}>
                    <strong>{c.name}</strong>
                    {c.aliases.length > 0 && <span className="muted small"> ({c.aliases.join(", ")})</span>}
                  </li>
                ))}
              </ul>
            </details>
            <details>
              <summary>A strong answer</summary>
              <p>{guideStep.strong_answer}</p>
            </details>
          </>
        )}
        {guide && guide.pitfalls.length > 0 && (
          <details>
            <summary>Pitfalls</summary>
            <ul>
              {guide.pitfalls.map((p) => (
                <li key={p.title}><strong>{p.title}.</strong> {p.why}</li>
              ))}
            </ul>
          </details>
        )}
        {stepFollowUps.length > 0 && (
          <details open>
            <summary>Follow-up questions</summary>
            <ul>{stepFollowUps.map((f) => <li key={f}>{f}</li>)}</ul>
          </details>
        )}
      </section>

      <section id="panel-score" role="tabpanel" aria-labelledby="tab-score" hidden={tab !== "score"}>
        <h2 className="sr-only">Score: {stepTitle}</h2>
        {!rubric && <p className="muted">No rubric.</p>}
        {rubric && stepCriteria.length === 0 && <p className="muted small">No criterion for this step.</p>}
        {rubric &&
          stepCriteria.map((c) => (
            <Criterion key={c.key} room={room} rubric={rubric} criterionKey={c.key} score={scores[c.key]} status={scoreStatus[c.key]} readOnly={readOnly} />
          ))}
        {rubric && crossCutting.length > 0 && (
          <details>
            <summary>Cross-cutting criteria ({crossCutting.length})</summary>
            {crossCutting.map((c) => (
              <Criterion key={c.key} room={room} rubric={rubric} criterionKey={c.key} score={scores[c.key]} status={scoreStatus[c.key]} readOnly={readOnly} />
            ))}
          </details>
        )}
      </section>
    </div>
  );
}

/** Interviewer-only card: the few things to listen for at this step, the full anchors one click
 * away. Comes from the rubric, which only interviewer sockets receive. */
function ListenFor({ rubric, stepKey, stepTitle }: { rubric: RoomRubric; stepKey: string; stepTitle: string }) {
  const card = listenForStep(rubric, stepKey);
  const all = [...card.step, ...card.throughout];
  if (all.length === 0) return null;
  return (
    <section aria-labelledby="listen-h" className="listen-for" data-testid="listen-for">
      <h2 id="listen-h">Listen for: {stepTitle}</h2>
      {card.step.map((i) => (
        <div key={i.key}>
          <p className="small listen-title">
            <strong>{i.title}</strong>
            {i.mustPass && <span className="badge badge-warn small"> must pass</span>}
          </p>
          <ul>{i.cues.map((cue) => <li key={cue}>{cue}</li>)}</ul>
        </div>
      ))}
      {card.throughout.length > 0 && (
        <p className="muted small" data-testid="listen-throughout">
          Throughout: {card.throughout.map((i) => i.cues[0] ?? i.title).join(" · ")}
        </p>
      )}
      <details data-testid="listen-anchors">
        <summary>Full anchors</summary>
        {all.map((i) => <AnchorList key={i.key} item={i} levels={rubric.levels} />)}
      </details>
    </section>
  );
}

function AnchorList({ item, levels }: { item: ListenForItem; levels: Record<string, string> }) {
  return (
    <div className="anchor-list">
      <h3 className="small">{item.title}</h3>
      <dl>
        {["1", "2", "3", "4"].map((n) => (
          <div key={n}>
            <dt className="small">{n} · {levels[n] ?? ""}</dt>
            <dd className="small">{item.anchors[n] ?? ""}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function Criterion({
  room,
  rubric,
  criterionKey,
  score,
  status,
  readOnly,
}: {
  room: RoomController;
  rubric: RoomRubric;
  criterionKey: string;
  score: ScoreEntry | undefined;
  status: SaveStatus | undefined;
  readOnly: boolean;
}) {
  const criterion = rubric.criteria.find((c) => c.key === criterionKey);
  if (!criterion) return null;
  const level = score?.level ?? null;
  return (
    <fieldset className="criterion" data-testid={`criterion-${criterion.key}`}>
      <legend>
        {criterion.title} <span className="muted small">×{Number(criterion.weight)}</span>
        {(rubric.gates ?? []).includes(criterion.key) && <span className="badge badge-warn small"> must pass</span>} <SaveIndicator status={status} />
      </legend>
      {criterion.description && <p className="muted small">{criterion.description}</p>}
      <div className="anchors" role="radiogroup" aria-label={`Level for ${criterion.title}`}>
        {[1, 2, 3, 4].map((n) => (
          <button
            key={n}
            type="button"
            role="radio"
            aria-checked={level === n}
            className={`anchor ${level === n ? "is-selected" : ""}`}
            disabled={readOnly}
            onClick={() => room.editScore(criterion.key, { level: level === n ? null : n })}
            data-testid={`level-${criterion.key}-${n}`}
          >
            <span className="anchor-level">
              {n} · {rubric.levels[String(n)] ?? ""}
            </span>
            <span className="anchor-text">{criterion.anchors[String(n)] ?? ""}</span>
          </button>
        ))}
      </div>
      <label className="sr-only" htmlFor={`comment-${criterion.key}`}>Comment on {criterion.title}</label>
      <textarea
        id={`comment-${criterion.key}`}
        rows={2}
        placeholder="Comment (evidence for the level)"
        value={score?.comment ?? ""}
        onChange={(e) => room.editScore(criterion.key, { comment: e.target.value })}
        readOnly={readOnly}
        data-testid={`comment-${criterion.key}`}
      />
    </fieldset>
  );
}

export function Chat({
  room,
  chat,
  myId,
  disabled,
  disabledReason,
}: {
  room: RoomController;
  chat: ChatEntry[];
  myId: number | null;
  disabled: boolean;
  disabledReason: string;
}) {
  const [text, setText] = useState("");
  const [failed, setFailed] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [chat.length]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) return;
    if (room.chat(text)) {
      setText("");
      setFailed(false);
    } else setFailed(true);
  }

  return (
    <section className="chat" aria-labelledby="chat-h">
      <h2 id="chat-h">Chat</h2>
      <ol className="chat-log" ref={list} aria-live="polite" data-testid="chat-log">
        {chat.length === 0 && <li className="muted small">No messages yet.</li>}
        {chat.map((m) => (
          <li key={m.seq} className={m.author_id === myId ? "mine" : ""}>
            <span className="chat-author">{m.author}</span>{" "}
            <time className="muted small" dateTime={m.sent_at}>
              {new Date(m.sent_at).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}
            </time>
            <div className="chat-text">{m.text}</div>
          </li>
        ))}
      </ol>
      <form onSubmit={submit} className="chat-form">
        <label htmlFor="chat-input" className="sr-only">Message</label>
        <input
          id="chat-input"
          value={text}
          maxLength={2000}
          onChange={(e) => setText(e.target.value)}
          placeholder={disabled ? disabledReason : "Message"}
          disabled={disabled}
          autoComplete="off"
        />
        <button type="submit" className="btn btn-small" disabled={disabled || !text.trim()}>Send</button>
      </form>
      {failed && <p className="field-error small">Not sent: the connection is down. It will come back by itself; try again then.</p>}
    </section>
  );
}

export function Presence({
  participants,
  dropped,
  myId,
  stale,
}: {
  participants: Participant[];
  dropped: number[];
  myId: number | null;
  /** Disconnected: the list is the last one known. */
  stale: boolean;
}) {
  return (
    <ul className={`presence ${stale ? "presence-stale" : ""}`} aria-label={stale ? "Who was here (reconnecting)" : "Who is here"}>
      {participants.map((p) => {
        const state = p.online ? "online" : dropped.includes(p.user_id) ? "dropped" : "away";
        return (
          <li key={p.user_id} className={`person person-${state}`} title={`${p.username} (${p.role}): ${state === "online" ? "here" : state === "dropped" ? "dropped out" : "not here"}`}>
            <span className="dot" aria-hidden="true" />
            {p.username}
            {p.user_id === myId ? " (you)" : ""} <span className="muted small">{p.role}</span>
            {state !== "online" && <span className="sr-only">, {state === "dropped" ? "dropped out" : "not here"}</span>}
            {state === "dropped" && <span className="small dropped-label"> dropped</span>}
          </li>
        );
      })}
    </ul>
  );
}
