/** "Surprise me": a random case study this user has not had in any session yet. */
export function pickUnpractised<T extends { slug: string }>(
  cases: readonly T[],
  practisedSlugs: Iterable<string>,
  random: () => number = Math.random,
): { pick: T | null; allPractised: boolean } {
  const practised = new Set(practisedSlugs);
  const fresh = cases.filter((c) => !practised.has(c.slug));
  const pool = fresh.length > 0 ? fresh : cases;
  if (pool.length === 0) return { pick: null, allPractised: false };
  const pick = pool[Math.min(pool.length - 1, Math.floor(random() * pool.length))] ?? null;
  return { pick, allPractised: fresh.length === 0 };
}
