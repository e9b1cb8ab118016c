// The replay page's board reconstruction (frontend/src/pages/replay/replayModel.ts, bundled by
// bench/run_replay.py) timed in Node on the pages the server serves: jumps to random moments.
// Usage: node replay_browser.mjs <bundle.mjs> <pages.json> <moments> <seed>
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [bundle, pagesPath, momentsArg, seedArg] = process.argv.slice(2);
const { BoardReplay } = await import(pathToFileURL(bundle).href);
const { marks, pages, start, end } = JSON.parse(readFileSync(pagesPath, "utf8"));

let state = Number(seedArg);
const random = () => {
  state = (state * 1103515245 + 12345) % 2 ** 31;
  return state / 2 ** 31;
};

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function fullReplay(t) {
  const scene = new Map();
  for (const page of pages) {
    for (const change of page.changes) {
      if (change.at > t) return scene;
      for (const element of change.elements) scene.set(element.id, element);
    }
  }
  return scene;
}

const board = new BoardReplay(marks);
for (const page of pages) board.add(page);
const moments = Array.from({ length: Number(momentsArg) }, () => start + Math.floor(random() * (end - start)));
// Warm the JIT the way a page that has been open a moment is warm.
for (const t of moments.slice(0, 20)) board.at(t);
const jumps = [];
const full = [];
let mismatches = 0;
for (const t of moments) {
  board.at(start - 1); // leave the last board behind: every timed jump starts from a keyframe
  let began = performance.now();
  const shown = board.at(t);
  jumps.push(performance.now() - began);
  began = performance.now();
  const reference = [...fullReplay(t).values()].filter((e) => !e.isDeleted);
  full.push(performance.now() - began);
  if (shown.elements.length !== reference.length) mismatches += 1;
}
jumps.sort((a, b) => a - b);
full.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    moments: moments.length,
    jump_p50_ms: percentile(jumps, 50),
    jump_p95_ms: percentile(jumps, 95),
    jump_max_ms: jumps[jumps.length - 1],
    full_replay_p95_ms: percentile(full, 95),
    mismatches,
  }),
);
