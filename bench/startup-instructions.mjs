// Start-up in instructions (valgrind's callgrind), which other processes on the machine do not
// change: spawn under valgrind → first 200 on /__admin/health → 2 s → SIGTERM (the process's own
// exit writes the counts). Slow (~30 s each) and approximate (the health polls and shutdown
// are counted), but repeatable to a few M where wall-clock start-up on a shared machine varies 2-3x.
//   node bench/startup-instructions.mjs [cli.js ...]   (default: dist/cli.js and the bare app)
// Runs them in parallel. NODE_EXTRA_CA_CERTS, when set, costs every node start ~400 M
// instructions (it parses the bundle): `env -u NODE_EXTRA_CA_CERTS node bench/...` for without.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const targets = process.argv.slice(2).length ? process.argv.slice(2) : ["dist/cli.js", "bare"];

async function instructions(target, port) {
  const dir = mkdtempSync(join(tmpdir(), "customer-sim-callgrind-"));
  const cmd = target === "bare" ? ["bench/bare-app.mjs"] : [target, "serve", "--port", String(port)];
  const child = spawn("valgrind", ["--tool=callgrind", `--callgrind-out-file=${dir}/cg.%p`, process.execPath, ...cmd], {
    cwd: root,
    env: { ...process.env, PORT: String(port), BARE_CUSTOMER: "{}" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const exited = new Promise((r) => child.once("exit", r));
  try {
    for (const deadline = Date.now() + 300_000; ; ) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/__admin/health`);
        if (res.status === 200) { await res.arrayBuffer(); break; }
      } catch {}
      if (Date.now() > deadline) throw new Error(`${target}: no start in 300 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 2000));
  } finally {
    child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
  const m = /Collected : (\d+)/.exec(err);
  if (!m) throw new Error(`${target}: no callgrind total (is valgrind installed?)\n${err.slice(-400)}`);
  return Number(m[1]);
}

const counts = await Promise.all(targets.map((t, i) => instructions(t, 4641 + i)));
const bare = targets.indexOf("bare");
for (const [i, t] of targets.entries()) {
  const ratio = bare >= 0 && i !== bare ? `   ${(counts[i] / counts[bare]).toFixed(3)} × bare` : "";
  console.log(`${t.padEnd(40)} ${(counts[i] / 1e6).toFixed(0).padStart(6)} M instructions${ratio}`);
}
