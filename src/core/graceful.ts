import type { Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * Graceful close for a node HTTP server: stop accepting, let in-flight requests finish (their
 * responses say `Connection: close`), close keep-alive connections as soon as they are idle,
 * and drop whatever is still running after `graceMs`.
 *
 * Without this a keep-alive connection that served a request during shutdown would hold
 * `server.close()` open until its keep-alive timeout.
 *
 * Connections are tracked, not requests: a keep-alive connection costs one listener for its
 * life, and a request nothing until the server is stopping. A connection's response in flight
 * is the one node has attached to its socket (`_httpMessage`, null between responses).
 */
export function trackConnections(server: Server): { close(graceMs: number): Promise<{ dropped: number }> } {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  return {
    close(graceMs) {
      const inflight = new Set<ServerResponse>();
      const track = (res: ServerResponse) => {
        if (inflight.has(res) || res.writableFinished) return;
        inflight.add(res);
        res.once("close", () => inflight.delete(res));
      };
      // From now on every response closes its connection (first, before the app answers).
      server.prependListener("request", (_req, res: ServerResponse) => {
        res.setHeader("Connection", "close");
        track(res);
      });
      for (const socket of sockets) {
        const res = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
        if (!res) continue;
        if (!res.headersSent) res.setHeader("Connection", "close");
        track(res);
      }
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
