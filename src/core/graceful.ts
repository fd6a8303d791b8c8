import type { Server, ServerResponse } from "node:http";

/**
 * Graceful close for a node HTTP server: stop accepting, let in-flight requests finish (their
 * responses say `Connection: close`), close keep-alive connections as soon as they are idle,
 * and drop whatever is still running after `graceMs`.
 *
 * Without this a keep-alive connection that served a request during shutdown would hold
 * `server.close()` open until its keep-alive timeout.
 */
export function trackConnections(server: Server): { close(graceMs: number): Promise<{ dropped: number }> } {
  const inflight = new Set<ServerResponse>();
  let stopping = false;
  server.on("request", (_req, res: ServerResponse) => {
    if (stopping) res.setHeader("Connection", "close");
    inflight.add(res);
    res.once("close", () => inflight.delete(res));
  });

  return {
    close(graceMs) {
      stopping = true;
      for (const res of inflight) if (!res.headersSent) res.setHeader("Connection", "close");
      let dropped = 0;
      return new Promise((resolve) => {
        const sweep = setInterval(() => server.closeIdleConnections(), 25);
        const grace = setTimeout(() => {
          dropped = inflight.size;
          server.closeAllConnections();
        }, graceMs);
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(grace);
          resolve({ dropped });
        });
        server.closeIdleConnections();
      });
    },
  };
}
