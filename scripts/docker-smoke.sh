#!/usr/bin/env bash
# The sidecar image on a real Docker engine (npm run test:docker; not part of npm test).
#
# Builds the image from this checkout, then checks, printing one line per check and stopping
# with a non-zero exit code at the first failure:
#   - healthy (its HEALTHCHECK) within 10 s of the start; runs as a non-root user
#   - GET /__admin/health, GET /__admin/fixtures, and a list call for every served provider
#     (with its first tenant's `full` credential from the fixtures)
#   - `docker stop` with a request in flight: the request completes, the container exits 0 and
#     `docker stop` returns 0 within 5 s
#   - a customer created before that stop is there in a new container on the same volume
#   - the HEALTHCHECK stays healthy with `serve --port N`, `serve --admin-token T` and
#     SIM_ADMIN_TOKEN (flags win over PORT / SIM_ADMIN_TOKEN), and /__admin still wants the token
#   - examples/docker-compose.yml runs to the app's exit code 0, without and with a token
#
# Needs docker (and docker compose or docker-compose), curl and node on the host. Engines
# without a bridge network (dockerd --bridge=none) are run with --network host; compose then
# gets an override file (network_mode: host, a free port) and the example without its `ports:`
# (Compose refuses published ports on the host network), both made here only.
#
# Env: IMAGE (default customer-sim:smoke; kept afterwards), SMOKE_NETWORK (host|bridge; default:
#      host when the engine has no bridge network), SMOKE_BUILD=0 reuses an existing IMAGE
#      instead of building it (a rerun after a failure).
set -uo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-customer-sim:smoke}
RUN_ID="cs-smoke-$$"
COMPOSE_FILE_USED=examples/docker-compose.yml
CHECKS=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/customer-sim-smoke.XXXXXX")
CONTAINERS=()
VOLUMES=()
COMPOSE_PROJECTS=()

say() { printf '%s\n' "$*"; }
pass() { CHECKS=$((CHECKS + 1)); printf 'PASS  %s\n' "$*"; }
skip() { printf 'SKIP  %s\n' "$*"; }
fail() {
  printf 'FAIL  %s\n' "$*"
  exit 1
}

cleanup() {
  local code=$?
  for p in "${COMPOSE_PROJECTS[@]}"; do "${COMPOSE[@]}" -p "$p" -f "$COMPOSE_FILE_USED" -f "$WORK/compose.override.yml" down -v --remove-orphans >/dev/null 2>&1; done
  for c in "${CONTAINERS[@]}"; do docker rm -f "$c" >/dev/null 2>&1; done
  for v in "${VOLUMES[@]}"; do docker volume rm -f "$v" >/dev/null 2>&1; done
  rm -rf "$WORK"
  if [ "$code" = 0 ]; then say "all $CHECKS checks passed"; else say "stopped at the first failure ($CHECKS checks passed before it)"; fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v docker >/dev/null || fail "docker is not installed"
command -v curl >/dev/null || fail "curl is not installed"
command -v node >/dev/null || fail "node is not installed"
docker info >/dev/null 2>&1 || fail "no Docker engine answers (docker info)"

if docker compose version >/dev/null 2>&1; then
  COMPOSE=(docker compose)
  COMPOSE_NAME="docker compose $(docker compose version --short 2>/dev/null)"
elif command -v docker-compose >/dev/null; then
  COMPOSE=(docker-compose)
  COMPOSE_NAME="docker-compose $(docker-compose version --short 2>/dev/null)"
else
  COMPOSE=(false)
  COMPOSE_NAME=""
fi

NETWORK=${SMOKE_NETWORK:-}
if [ -z "$NETWORK" ]; then
  if docker network inspect bridge >/dev/null 2>&1; then NETWORK=bridge; else NETWORK=host; fi
fi
BUILD_NET=()
[ "$NETWORK" = host ] && BUILD_NET=(--network host)
say "engine $(docker version --format '{{.Server.Version}}'), network $NETWORK, image $IMAGE${COMPOSE_NAME:+, $COMPOSE_NAME}"

# ---- helpers ----------------------------------------------------------------------------------
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
# json FILE EXPRESSION: evaluates EXPRESSION with `j` = the parsed file; prints strings raw, else JSON
json() { node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));const v=eval(process.argv[2]);console.log(typeof v==="string"?v:JSON.stringify(v))' "$1" "$2"; }

# http METHOD URL OUTFILE [curl args...] → prints the status code (000 when nothing answered)
http() {
  local method=$1 url=$2 out=$3
  shift 3
  curl -sS -o "$out" -w '%{http_code}' -X "$method" --max-time 20 "$@" "$url" 2>"$out.err" || true
}

# start NAME PORT [docker run args...] [-- serve args...]: a detached container whose server
# listens on PORT, reachable on the host at 127.0.0.1:PORT in either network mode.
start() {
  local name=$1 port=$2
  shift 2
  local run_args=() cmd=()
  while [ $# -gt 0 ]; do
    if [ "$1" = -- ]; then shift; cmd=("$@"); break; fi
    run_args+=("$1")
    shift
  done
  local net=(--network host)
  [ "$NETWORK" = bridge ] && net=(-p "127.0.0.1:$port:$port")
  CONTAINERS+=("$name")
  docker run -d --name "$name" "${net[@]}" "${run_args[@]}" "$IMAGE" "${cmd[@]}" >"$WORK/$name.id" 2>"$WORK/$name.err" ||
    fail "docker run $name: $(cat "$WORK/$name.err")"
}

# healthy NAME LIMIT_S: waits for the container's HEALTHCHECK to report healthy
healthy() {
  local name=$1 limit=$2 t0 status
  t0=$(now)
  while :; do
    status=$(docker inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$name" 2>/dev/null)
    case "$status" in
      running/healthy) HEALTHY_AFTER=$(since "$t0"); return 0 ;;
      running/unhealthy | exited/* | dead/*)
        fail "$name: $status; health log: $(docker inspect -f '{{json .State.Health}}' "$name"); logs: $(docker logs "$name" 2>&1 | tail -20)" ;;
    esac
    if awk -v a="$t0" -v b="$(now)" -v l="$limit" 'BEGIN { exit !(b - a > l) }'; then
      fail "$name: not healthy within ${limit} s ($status); health log: $(docker inspect -f '{{json .State.Health}}' "$name")"
    fi
    sleep 0.2
  done
}

# stop_ok NAME [LIMIT_S]: docker stop returns 0 within LIMIT_S and the server exited 0
stop_ok() {
  local name=$1 limit=${2:-5} t0 rc elapsed code
  t0=$(now)
  docker stop -t 10 "$name" >/dev/null 2>&1
  rc=$?
  elapsed=$(since "$t0")
  code=$(docker inspect -f '{{.State.ExitCode}}' "$name")
  [ "$rc" = 0 ] || fail "$name: docker stop returned $rc"
  awk -v e="$elapsed" -v l="$limit" 'BEGIN { exit !(e < l) }' || fail "$name: docker stop took ${elapsed} s (limit ${limit} s)"
  [ "$code" = 0 ] || fail "$name: exited $code; logs: $(docker logs "$name" 2>&1 | tail -20)"
  STOPPED_AFTER=$elapsed
}

# The Authorization (or other) headers of a provider's first tenant's `full` credential, as curl args
cred_args() {
  local provider=$1
  node -e '
    const f = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const c = f.providers[process.argv[2]].tenants[0].credentials.find((c) => c.kind === "full");
    if (!c) process.exit(1);
    for (const [k, v] of Object.entries(c.headers)) console.log(`${k}: ${v}`);' "$WORK/fixtures.json" "$provider"
}

# list path below a provider's basePath, for its first fixture tenant
list_path() {
  case "$1" in
    rapidly) echo "/api/customers/" ;;
    flextell) echo "/api/v1/customers" ;;
    quentli) echo "/v1/customers" ;;
    plane) echo "/api/v1/workspaces/$(json "$WORK/fixtures.json" 'j.providers.plane.tenants[0].slug')/customers/" ;;
    *) return 1 ;;
  esac
}

# ---- build ------------------------------------------------------------------------------------
t0=$(now)
if [ "${SMOKE_BUILD:-1}" = 0 ]; then
  docker image inspect "$IMAGE" >/dev/null 2>&1 || fail "SMOKE_BUILD=0 but there is no image $IMAGE"
  skip "docker build (SMOKE_BUILD=0): $IMAGE from $(docker image inspect -f '{{.Created}}' "$IMAGE")"
else
  docker build "${BUILD_NET[@]}" -t "$IMAGE" . >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; fail "docker build"; }
  pass "docker build -t $IMAGE . ($(since "$t0") s; image $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
  if grep -qi "update available\|new major version of npm" "$WORK/build.log"; then fail "npm's update notice in the build log (NPM_CONFIG_UPDATE_NOTIFIER)"; fi
fi
hc=$(docker image inspect -f '{{json .Config.Healthcheck}}' "$IMAGE")
case "$hc" in *healthcheck*) ;; *) fail "the image's HEALTHCHECK is not customer-sim healthcheck: $hc" ;; esac
untagged=$(docker images --filter label=customer-sim.stage=build --format '{{.ID}} {{.Size}}' | head -1)
say "      (the untagged build stage: ${untagged:-none}; docker image prune --filter label=customer-sim.stage=build removes it)"

# ---- default start: health, fixtures, every provider, non-root ----------------------------------
MAIN="$RUN_ID-main"
VOL="$RUN_ID-data"
VOLUMES+=("$VOL")
PORT=$(free_port)
start "$MAIN" "$PORT" -e "PORT=$PORT" -v "$VOL:/data"
healthy "$MAIN" 10
pass "healthy ${HEALTHY_AFTER} s after docker run (limit 10 s)"
BASE="http://127.0.0.1:$PORT"

uid=$(docker exec "$MAIN" sh -c 'awk "/^Uid:/ { print \$2 }" /proc/1/status')
user=$(docker inspect -f '{{.Config.User}}' "$MAIN")
[ -n "$uid" ] && [ "$uid" != 0 ] || fail "the server (PID 1) runs as uid '$uid'"
pass "the server runs as uid $uid (USER $user), not root"

code=$(http GET "$BASE/__admin/health" "$WORK/health.json")
[ "$code" = 200 ] || fail "GET /__admin/health: $code $(cat "$WORK/health.json" "$WORK/health.json.err")"
PROVIDERS=$(json "$WORK/health.json" 'j.providers.join(" ")')
[ "$(json "$WORK/health.json" 'j.status')" = ok ] || fail "GET /__admin/health: $(cat "$WORK/health.json")"
pass "GET /__admin/health 200: providers $PROVIDERS"

code=$(http GET "$BASE/__admin/fixtures" "$WORK/fixtures.json")
[ "$code" = 200 ] || fail "GET /__admin/fixtures: $code"
pass "GET /__admin/fixtures 200: seed $(json "$WORK/fixtures.json" 'j.seed'), tenants $(json "$WORK/fixtures.json" 'Object.entries(j.providers).map(([k, p]) => k + " " + p.tenants.length).join(", ")')"

for provider in rapidly flextell quentli plane; do
  case " $PROVIDERS " in *" $provider "*) ;; *) skip "$provider: not served by this build"; continue ;; esac
  base_path=$(json "$WORK/fixtures.json" "j.providers['$provider'].basePath")
  path="$base_path$(list_path "$provider")"
  mapfile -t creds < <(cred_args "$provider") || fail "$provider: no full credential in the fixtures"
  headers=()
  for h in "${creds[@]}"; do headers+=(-H "$h"); done
  code=$(http GET "$BASE$path" "$WORK/list-$provider.json" "${headers[@]}")
  [ "$code" = 200 ] || fail "GET $path: $code $(head -c 300 "$WORK/list-$provider.json")"
  pass "GET $path 200 ($(wc -c <"$WORK/list-$provider.json") bytes)"
done
for provider in $PROVIDERS; do
  list_path "$provider" >/dev/null 2>&1 || fail "provider $provider is served but this script knows no list path for it: add one to list_path"
done

# ---- a write, then docker stop with a request in flight -----------------------------------------
mapfile -t rcreds < <(cred_args rapidly)
RAUTH=()
for h in "${rcreds[@]}"; do RAUTH+=(-H "$h"); done
JSON=(-H "Content-Type: application/json")
EMAIL="smoke-$$@example.com"
code=$(http POST "$BASE/rapidly/api/customers/" "$WORK/created.json" "${RAUTH[@]}" "${JSON[@]}" -d "{\"email\":\"$EMAIL\"}")
[ "$code" = 201 ] || fail "POST /rapidly/api/customers/: $code $(cat "$WORK/created.json")"
CREATED_ID=$(json "$WORK/created.json" 'j.id')
pass "POST /rapidly/api/customers/ 201: $CREATED_ID ($EMAIL)"

code=$(http POST "$BASE/__admin/faults" "$WORK/fault.json" "${JSON[@]}" -d '{"path":"/rapidly/**","kind":"delay","delayMs":1500,"times":1}')
[ "$code" -lt 300 ] 2>/dev/null || fail "POST /__admin/faults: $code $(cat "$WORK/fault.json")"
INFLIGHT_EMAIL="smoke-inflight-$$@example.com"
http POST "$BASE/rapidly/api/customers/" "$WORK/inflight.json" "${RAUTH[@]}" "${JSON[@]}" -d "{\"email\":\"$INFLIGHT_EMAIL\"}" >"$WORK/inflight.code" &
inflight_pid=$!
sleep 0.4
stop_ok "$MAIN" 5
wait "$inflight_pid"
[ "$(cat "$WORK/inflight.code")" = 201 ] || fail "the in-flight POST (1.5 s delay fault): $(cat "$WORK/inflight.code") $(cat "$WORK/inflight.json" "$WORK/inflight.json.err")"
pass "docker stop with a request in flight: returned 0 in ${STOPPED_AFTER} s, exit code 0, the request got 201"

# ---- the same volume in a new container -------------------------------------------------------
AGAIN="$RUN_ID-again"
PORT2=$(free_port)
start "$AGAIN" "$PORT2" -e "PORT=$PORT2" -v "$VOL:/data"
healthy "$AGAIN" 10
code=$(http GET "http://127.0.0.1:$PORT2/rapidly/api/customers/$CREATED_ID" "$WORK/again.json" "${RAUTH[@]}")
[ "$code" = 200 ] || fail "GET /rapidly/api/customers/$CREATED_ID in a new container on $VOL: $code $(cat "$WORK/again.json")"
http GET "http://127.0.0.1:$PORT2/__admin/rapidly/customers" "$WORK/raw.json" >/dev/null
grep -q "$INFLIGHT_EMAIL" "$WORK/raw.json" || fail "the in-flight customer is not in the new container's state"
pass "a new container on the same volume has both customers (healthy in ${HEALTHY_AFTER} s)"
stop_ok "$AGAIN" 5
docker rm "$MAIN" "$AGAIN" >/dev/null

# ---- the HEALTHCHECK follows flags and tokens ---------------------------------------------------
TOKEN="smoke-token-$$"
check_variant() {
  local label=$1 name=$2 port=$3 token=$4
  healthy "$name" 10
  local hc_out
  hc_out=$(docker exec "$name" node dist/cli.js healthcheck 2>&1) || fail "$label: customer-sim healthcheck in the container: $hc_out"
  if [ -n "$token" ]; then
    code=$(http GET "http://127.0.0.1:$port/__admin/health" "$WORK/v.json")
    [ "$code" = 401 ] || fail "$label: GET /__admin/health without the token: $code (want 401)"
    code=$(http GET "http://127.0.0.1:$port/__admin/health" "$WORK/v.json" -H "Authorization: Bearer $token")
    [ "$code" = 200 ] || fail "$label: GET /__admin/health with the token: $code"
    local files
    files=$(docker exec "$name" sh -c 'ls -l /tmp/customer-sim-*/; cat /tmp/customer-sim-*/health-*.json')
    case "$files" in *"$token"*) fail "$label: the admin token is in the health file: $files" ;; esac
    case "$files" in *-rw-------*) ;; *) fail "$label: the health file is not mode 0600: $files" ;; esac
  else
    code=$(http GET "http://127.0.0.1:$port/__admin/health" "$WORK/v.json")
    [ "$code" = 200 ] || fail "$label: GET /__admin/health: $code"
  fi
  pass "$label: healthy in ${HEALTHY_AFTER} s${token:+ (401 without the token, 200 with it; the token is not in the health file)}"
  stop_ok "$name" 5
  docker rm "$name" >/dev/null
}

P=$(free_port)
start "$RUN_ID-flagport" "$P" -e DATA_FILE= -- serve --port "$P"
check_variant "serve --port $P (image ENV PORT=4010)" "$RUN_ID-flagport" "$P" ""

P=$(free_port)
start "$RUN_ID-flagtoken" "$P" -e DATA_FILE= -e "PORT=$P" -- serve --admin-token "$TOKEN"
check_variant "-e PORT=$P serve --admin-token T" "$RUN_ID-flagtoken" "$P" "$TOKEN"

P=$(free_port)
start "$RUN_ID-envtoken" "$P" -e DATA_FILE= -e "PORT=$P" -e "SIM_ADMIN_TOKEN=$TOKEN"
check_variant "-e SIM_ADMIN_TOKEN=T" "$RUN_ID-envtoken" "$P" "$TOKEN"

P=$(free_port)
start "$RUN_ID-both" "$P" -e DATA_FILE= -e "SIM_ADMIN_TOKEN=env-loses" -- serve --port "$P" --admin-token "$TOKEN"
check_variant "-e SIM_ADMIN_TOKEN=X serve --port $P --admin-token T (flags win)" "$RUN_ID-both" "$P" "$TOKEN"

# ---- examples/docker-compose.yml, without and with a token ------------------------------------
[ -n "$COMPOSE_NAME" ] || fail "neither docker compose nor docker-compose is installed"
CPORT=4010
COMPOSE_FILE_USED=examples/docker-compose.yml
if [ "$NETWORK" = host ]; then
  CPORT=$(free_port)
  # Compose refuses published ports with network_mode: host, and an override cannot remove
  # them: the example minus its `ports:` entries (everything else as it is), next to the override.
  COMPOSE_FILE_USED="$WORK/docker-compose.yml"
  node -e '
    const fs = require("fs"), path = require("path");
    let text = fs.readFileSync("examples/docker-compose.yml", "utf8");
    text = text.replace(/^(\s+)ports:\n(\1\s+- .*\n)+/m, "");
    text = text.replace(/^(\s+build: )\.\.(\s|$)/m, `$1${path.resolve(".")}$2`);
    if (/^\s+ports:/m.test(text)) throw new Error("ports left in the compose file");
    fs.writeFileSync(process.argv[1], text);' "$COMPOSE_FILE_USED" || fail "could not derive the host-network compose file"
  cat >"$WORK/compose.override.yml" <<EOF
# made by scripts/docker-smoke.sh: this engine has no bridge network
services:
  customer-sim:
    image: $IMAGE
    network_mode: host
    environment:
      PORT: "$CPORT"
  app:
    network_mode: host
    environment:
      SIM_URL: http://127.0.0.1:$CPORT
      RAPIDLY_BASE_URL: http://127.0.0.1:$CPORT/rapidly
EOF
else
  cat >"$WORK/compose.override.yml" <<EOF
services:
  customer-sim:
    image: $IMAGE
EOF
fi

compose_run() {
  local label=$1 project=$2
  COMPOSE_PROJECTS+=("$project")
  local t0 rc
  t0=$(now)
  timeout 300 "${COMPOSE[@]}" -p "$project" -f "$COMPOSE_FILE_USED" -f "$WORK/compose.override.yml" \
    up --no-build --no-color --abort-on-container-exit --exit-code-from app >"$WORK/$project.log" 2>&1
  rc=$?
  local token_env
  token_env=$(docker ps -a --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=customer-sim" --format '{{.ID}}' | head -1 | xargs -r docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' | grep '^SIM_ADMIN_TOKEN=' || true)
  "${COMPOSE[@]}" -p "$project" -f "$COMPOSE_FILE_USED" -f "$WORK/compose.override.yml" down -v --remove-orphans >/dev/null 2>&1
  [ "$rc" = 0 ] || { tail -30 "$WORK/$project.log"; fail "$label: compose up exited $rc"; }
  local app_line
  app_line=$(grep -E '^app[-_0-9]* +\| [0-9]{3} ' "$WORK/$project.log" | head -1 | sed -E 's/^[^|]*\| //' | cut -c1-60)
  [ -n "$app_line" ] || { tail -30 "$WORK/$project.log"; fail "$label: no status line from app"; }
  pass "$label: compose up → app exit 0 in $(since "$t0") s (app: $app_line…; customer-sim env: ${token_env:-SIM_ADMIN_TOKEN unset})"
}

unset SIM_ADMIN_TOKEN
compose_run "examples/docker-compose.yml without a token" "${RUN_ID//-/}plain"
SIM_ADMIN_TOKEN=$TOKEN
export SIM_ADMIN_TOKEN
compose_run "examples/docker-compose.yml with SIM_ADMIN_TOKEN" "${RUN_ID//-/}token"
unset SIM_ADMIN_TOKEN
