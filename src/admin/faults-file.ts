// `--faults FILE` / FAULTS_FILE: fault rules in force from the start, refused as a whole when
// any rule is bad (the message names the file and the first bad rule).
import { readFileSync } from "node:fs";
import { parseFaultRules, type FaultRule } from "../core/faults.js";

export function readFaultsFile(file: string, providers: readonly string[]): { rules: FaultRule[] } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    return { problem: `${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { problem: `${file}: not JSON (${(err as Error).message})` };
  }
  const parsed = parseFaultRules(value, providers);
  if ("rules" in parsed) return parsed;
  const { index, message } = parsed.problem;
  if (index === undefined) return { problem: `${file}: ${message}` };
  const shown = JSON.stringify((value as unknown[])[index]) ?? "undefined";
  return { problem: `${file}: rule ${index + 1} (index ${index}) ${shown.length > 200 ? `${shown.slice(0, 200)}…` : shown}: ${message}` };
}
