// A real webhook receiver (node http on 127.0.0.1:0) for the webhook tests: it records every
// delivery and verifies it with the `standardwebhooks` package (not our own code).
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterEach } from "vitest";
import type { Ctx } from "./_helpers.js";

export interface Delivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** the body parsed, once verified */
  json: any;
}

export interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface Receiver {
  url: string;
  received: Delivery[];
  /** how to answer the n-th request (1-based); 200 "ok" by default */
  answer: (n: number, req: { path: string }) => Answer;
  /** waits until `n` deliveries arrived (fails after `ms`) */
  waitFor(n: number, ms?: number): Promise<Delivery[]>;
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

export async function receiver(): Promise<Receiver> {
  const received: Delivery[] = [];
  let count = 0;
  const r: Receiver = {
    url: "",
    received,
    answer: () => ({ status: 200, body: "ok" }),
    async waitFor(n, ms = 5000) {
      const until = Date.now() + ms;
      while (received.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} deliveries, got ${received.length}`);
        await sleep(10);
      }
      return received;
    },
    close: () => new Promise((res) => { server.closeAllConnections(); server.close(() => res()); }),
  };
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const answer = r.answer(++count, { path: req.url ?? "/" });
      received.push({ path: req.url ?? "/", headers: req.headers, body, json: JSON.parse(body) });
      setTimeout(() => {
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? "");
      }, answer.delayMs ?? 0);
    });
  });
  servers.push(server);
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return r;
}

/** Verifies a delivery as a receiver would, with the endpoint's secret; returns the payload. */
export function verify(secret: string, d: Delivery): any {
  const wh = new Webhook(Buffer.from(secret).toString("base64"));
  return wh.verify(d.body, d.headers as Record<string, string>);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const WEBHOOKS = "/rapidly/api/webhooks";
export const ALL_EVENTS = ["customer.created", "customer.updated", "customer.deleted", "customer.state_changed"];

/** Creates an endpoint (full token of workspace 0 unless given) and returns it. */
export async function endpoint(ctx: Ctx, url: string, events: string[] = ALL_EVENTS, headers = ctx.full): Promise<any> {
  const res = await ctx.send("POST", `${WEBHOOKS}/endpoints`, { url, format: "raw", events }, headers);
  if (res.status !== 201) throw new Error(`endpoint: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function deliverPending(ctx: Ctx): Promise<{ attempted: number; succeeded: number }> {
  const res = await ctx.req("/__admin/rapidly/webhooks/deliver-pending", { method: "POST" });
  if (res.status !== 200) throw new Error(`deliver-pending: ${res.status}`);
  return res.json() as any;
}

export async function deliveries(ctx: Ctx, query = "", headers = ctx.full): Promise<any> {
  const res = await ctx.getJson(`${WEBHOOKS}/deliveries${query}`, headers);
  if (res.status !== 200) throw new Error(`deliveries: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
