import type { Guide } from "./protocol";

/** The follow-up questions to show at `step`: those that name it, and those that name no step
 * (older guides) in the last two steps, where the interview has time left for them. */
export function followUpsForStep(guide: Guide | null, step: string): string[] {
  if (!guide) return [];
  const late = step === "serving" || step === "monitoring";
  return guide.follow_ups.flatMap((f) => {
    const item = typeof f === "string" ? { question: f, step: null } : f;
    return item.step === step || (item.step === null && late) ? [item.question] : [];
  });
}
