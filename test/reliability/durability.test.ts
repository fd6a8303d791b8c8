// Every acknowledged write survives SIGKILL at any point, compaction included: a child
// `customer-sim serve --data` under write load is killed, restarted on the same file, and
// every write whose response had arrived must be there. The log's bound is tiny
// (SIM_COMPACT_LOG_BYTES), so compactions run all the time; one kill lands while a
// compaction's old log is on disk.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, watch } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { privateCli } from "./_serve.js";

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function serve(file: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [await privateCli(), "serve", "--port", String(port), "--data", file], {
    env: { ...process.env, SIM_COMPACT_LOG_BYTES: "20000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d) => String(d).includes("listening on") && resolve());
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  return child;
}

const killed = (child: ChildProcess) => new Promise<void>((r) => (child.exitCode !== null ? r() : child.once("exit", () => r())));

describe("durability under SIGKILL", () => {
  it("every acknowledged create and update is there after a restart, compaction included", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "customer-sim-kill-")), "state.json");
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let child = await serve(file, port);
    const fx = (await (await fetch(`${base}/__admin/fixtures`)).json()) as any;
    const headers = { ...fx.providers.rapidly.tenants[0].credentials[0].headers, "Content-Type": "application/json" };
    const target = fx.providers.rapidly.tenants[0].customerIds[0] as string;

    const acked = new Map<string, string>(); // id → email
    let lastAckedName = -1;
    let n = 0;
    let sawOldLog = false;

    for (let round = 0; round < 4; round++) {
      let stop = false;
      // Writers: creates, and sequential renames of one customer (name = a counter).
      const creator = async () => {
        while (!stop) {
          const email = `k${n++}@example.com`;
          try {
            const res = await fetch(`${base}/rapidly/api/customers/`, { method: "POST", headers, body: JSON.stringify({ email }) });
            if (res.status === 201) acked.set(((await res.json()) as { id: string }).id, email);
          } catch {
            return; // killed mid-request: not acknowledged
          }
        }
      };
      const renamer = async () => {
        let i = lastAckedName + 1;
        while (!stop) {
          try {
            const res = await fetch(`${base}/rapidly/api/customers/${target}`, { method: "PATCH", headers, body: JSON.stringify({ name: `v${i}` }) });
            if (res.status === 200) lastAckedName = i;
            else throw new Error(`PATCH ${res.status}: ${await res.text()}`);
            i++;
          } catch (e) {
            if (String(e).includes("PATCH")) throw e;
            return;
          }
        }
      };
      const writers = [creator(), creator(), creator(), creator(), renamer()];
      if (round === 1) {
        // Kill the moment a compaction has moved the log aside (before its snapshot is in place).
        await new Promise<void>((resolve) => {
          const w = watch(join(file, ".."), (_e, name) => {
            if (name === "state.json.log.old" && existsSync(`${file}.log.old`)) {
              sawOldLog = true;
              child.kill("SIGKILL");
              w.close();
              resolve();
            }
          });
          setTimeout(() => {
            w.close();
            resolve();
          }, 4000);
        });
      } else {
        await new Promise((r) => setTimeout(r, 300 + round * 250));
      }
      child.kill("SIGKILL");
      await killed(child);
      stop = true;
      await Promise.all(writers);

      child = await serve(file, port);
      for (const [id, email] of acked) {
        const res = await fetch(`${base}/rapidly/api/customers/${id}`, { headers });
        expect(res.status, `customer ${id} (${email}) acknowledged before kill ${round}`).toBe(200);
        expect(((await res.json()) as { email: string }).email).toBe(email);
      }
      const current = (await (await fetch(`${base}/rapidly/api/customers/${target}`, { headers })).json()) as { name: string };
      // The last acknowledged rename is there, or one sent after it (its response was lost).
      const landed = /^v\d+$/.test(current.name ?? "") ? Number(current.name.slice(1)) : -1;
      expect(landed).toBeGreaterThanOrEqual(lastAckedName);
      lastAckedName = landed;
    }
    expect(acked.size).toBeGreaterThan(20);
    expect(lastAckedName).toBeGreaterThan(3);
    expect(sawOldLog).toBe(true);
  }, 60_000);
});
