// One simulator server for a benchmark: `cli serve --data file` on `port`, pinned to CPU 0 with
// taskset when `pin` (the load generator then runs on CPU 1), optionally under `--cpu-prof`.
// `ready` resolves with the ms from spawn to the first 200 on /__admin/health.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

/** Pins this process (the load generator) to CPU 1 when taskset exists; returns whether it does (servers then go on CPU 0). */
export function pinLoadToCpu1() {
  const taskset = existsSync("/usr/bin/taskset");
  if (taskset) try { execFileSync("taskset", ["-cp", "1", String(process.pid)], { stdio: "ignore" }); } catch {}
  return taskset;
}

export function startServer({ cli, port, file, cwd, pin = false, profDir, timeoutMs = 60_000 }) {
  const t0 = performance.now();
  // BENCH_NODE_FLAGS: node/V8 flags for the server, for experiments (e.g. "--single-threaded-gc")
  const flags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const args = [...flags, ...(profDir ? ["--cpu-prof", "--cpu-prof-dir", profDir] : []), cli, "serve", "--port", String(port), "--data", file];
  const child = pin
    ? spawn("taskset", ["-c", "0", process.execPath, ...args], { cwd, stdio: ["ignore", "ignore", "inherit"] })
    : spawn(process.execPath, args, { cwd, stdio: ["ignore", "ignore", "inherit"] });
  const ready = (async () => {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/__admin/health`);
        if (res.status === 200) { await res.arrayBuffer(); return performance.now() - t0; }
      } catch {}
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`no start in ${timeoutMs / 1000} s`);
  })();
  const rss = () => {
    // taskset execs node: the child's pid is the server's.
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : NaN;
  };
  const stop = () => new Promise((resolve) => { if (child.exitCode !== null) return resolve(); child.once("exit", resolve); child.kill("SIGTERM"); });
  return { child, ready, rss, stop };
}
