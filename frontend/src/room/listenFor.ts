import type { RoomRubric, RubricCriterion } from "./protocol";

export interface ListenForItem {
  key: string;
  title: string;
  mustPass: boolean;
  cues: string[];
  anchors: Record<string, string>;
}

export interface ListenForCard {
  step: ListenForItem[];
  throughout: ListenForItem[];
}

function item(rubric: RoomRubric, c: RubricCriterion): ListenForItem {
  // Rubrics written before cues existed (version 1): the "solid" anchor is what to listen for.
  const cues = c.listen_for?.length ? c.listen_for : c.anchors["3"] ? [c.anchors["3"]] : [];
  return { key: c.key, title: c.title, mustPass: (rubric.gates ?? []).includes(c.key), cues, anchors: c.anchors };
}

/** What the interviewer listens for at `step`: the step's criteria, then the cross-cutting ones
 * that apply throughout. */
export function listenForStep(rubric: RoomRubric | null, step: string): ListenForCard {
  if (!rubric) return { step: [], throughout: [] };
  return {
    step: rubric.criteria.filter((c) => c.step === step).map((c) => item(rubric, c)),
    throughout: rubric.criteria.filter((c) => !c.step).map((c) => item(rubric, c)),
  };
}
