// The top functions by self time of the `--cpu-prof` profile in `dir` (printed; nothing if none).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export function printTopSelfTime(dir, { top = 25, indent = "  " } = {}) {
  const name = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!name) return;
  const prof = JSON.parse(readFileSync(join(dir, name), "utf8"));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const counts = new Map();
  prof.samples.forEach((id, i) => counts.set(id, (counts.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
  const self = new Map();
  let total = 0;
  for (const [id, us] of counts) {
    const cf = byId.get(id).callFrame;
    const key = `${cf.functionName || "(anon)"} ${cf.url.split("/").pop()}:${cf.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  }
  console.log(`${indent}profile ${name}: ${(total / 1000).toFixed(0)} ms sampled; top self time:`);
  for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${indent}  ${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`);
}
