# customer-sim as a sidecar: docker build -t customer-sim . && docker run -p 4010:4010 customer-sim
# Every setting of `customer-sim serve` is an environment variable (PORT, HOST, SEED, DATA_FILE,
# PROVIDER, RATE_LIMITS, SIM_ADMIN_TOKEN) or a flag after the command (the entrypoint is the CLI):
#   docker run -p 4010:4010 customer-sim serve --seed 7 --rate-limits real
# State is kept in /data/state.json (the /data volume); DATA_FILE= (empty) keeps it in memory.
# test/docker/ checks this file and runs what it produces (no Docker engine needed).

# ---- build: all dependencies, then the bundle in dist/ ----------------------------------------
# Only dist/ leaves this stage. The classic builder keeps it as an untagged image (~0.5 GB: the
# dev dependencies, Pact's native core included) that speeds up the next build; BuildKit keeps it
# as build cache only. Remove it with:
#   docker image prune --filter label=customer-sim.stage=build
FROM node:20.20-bookworm-slim AS build
LABEL customer-sim.stage=build
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies and compiled JS only, as a non-root user ----------------
FROM node:20.20-bookworm-slim AS runtime
# For this stage's npm ci only (an ARG is not kept in the image's environment).
ARG NPM_CONFIG_UPDATE_NOTIFIER=false
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4010 \
    DATA_FILE=/data/state.json
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# State lives in /data (a volume); the image's `node` user (uid 1000) owns it.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 4010
# No curl in the image: the check is `customer-sim healthcheck` (src/healthcheck.ts), which asks
# GET /__admin/health at the port the server really listens on, with or without an admin token,
# whether they came from PORT / SIM_ADMIN_TOKEN or from flags (`serve --port N --admin-token T`):
# the server writes its port and a per-process nonce (never the token) to /tmp/customer-sim-<uid>/,
# mode 0600 (docs/sidecar.md). Its code is loaded alone, from its bundle chunk: `dist/cli.js
# healthcheck` would load the whole server bundle at every check (seconds of CPU on a busy host).
HEALTHCHECK --interval=2s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "dist/healthcheck.js"]
# Exec form: node is PID 1 and gets SIGTERM/SIGINT itself (graceful shutdown, exit 0 within 5 s).
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve"]
