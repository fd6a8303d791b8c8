# customer-sim as a sidecar: docker build -t customer-sim . && docker run -p 4010:4010 customer-sim
# Every setting of `customer-sim serve` is an environment variable (PORT, HOST, SEED, DATA_FILE,
# PROVIDER, RATE_LIMITS, SIM_ADMIN_TOKEN) or a flag after the command (the entrypoint is the CLI):
#   docker run -p 4010:4010 customer-sim serve --seed 7 --rate-limits real
# State is kept in /data/state.json (the /data volume); DATA_FILE= (empty) keeps it in memory.
# test/docker/ checks this file and runs what it produces (no Docker engine needed).

# ---- build: all dependencies, then the bundle in dist/ ----------------------------------------
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies and compiled JS only, as a non-root user ----------------
FROM node:20.20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4010 \
    DATA_FILE=/data/state.json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# State lives in /data (a volume); the image's `node` user (uid 1000) owns it.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 4010
# No curl in the image: node asks the control plane itself (with the admin token when one is set).
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "const t=process.env.SIM_ADMIN_TOKEN;fetch('http://127.0.0.1:'+(process.env.PORT||4010)+'/__admin/health',{headers:t?{authorization:'Bearer '+t}:{},signal:AbortSignal.timeout(2500)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and gets SIGTERM/SIGINT itself (graceful shutdown, exit 0 within 5 s).
ENTRYPOINT ["node", "dist/cli.js"]
CMD ["serve"]
