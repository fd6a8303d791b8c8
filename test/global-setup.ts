import { execFileSync } from "node:child_process";

// Tests that start the real server (CLI, sidecar) run what `npm start` runs: dist/.
// Built once here so parallel test files never race on it.
export default function setup(): void {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
}
