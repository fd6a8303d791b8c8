// The image's HEALTHCHECK entry (dist/healthcheck.js): the health check alone, without loading
// the server bundle, so a check every 2 s stays cheap. Exit code 0 = healthy, 1 = not.
import { healthcheck } from "./healthcheck.js";

healthcheck({ timeoutMs: 2500 }).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
