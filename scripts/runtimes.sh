#!/usr/bin/env bash
# The examples under Bun and Deno, against the emulator (scripts/run-examples.mjs): the quick
# start in both flavours (promise and blocking), a start helper, operation<T, M>(), fromOperation
# and, with a Redis, the queue. Run after `npm test` (which builds dist/), as .ci/run does.
#
# A runtime on PATH is used as it is; a missing one is installed from the npm registry into a
# temporary folder (bun@BUN_VERSION, deno@DENO_VERSION) with --ignore-scripts: the binary is
# taken from the platform package the installer depends on (@oven/bun-<os>-<arch>/bin/bun,
# @deno/<os>-<arch>[-glibc]/deno), which is what their postinstall scripts would copy.
set -euo pipefail
cd "$(dirname "$0")/.."
BUN_VERSION="${BUN_VERSION:-1.4.5}"
DENO_VERSION="${DENO_VERSION:-2.9.6}"

temp="$(mktemp -d)"
redis_pid=""
cleanup() {
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null || true
  rm -rf "$temp"
}
trap cleanup EXIT

# The path of a working binary of runtime $1 (bun or deno): from PATH, else installed into $temp.
runtime_bin() {
  local name="$1" version="$2" scope="$3" found
  if command -v "$name" >/dev/null && "$name" --version >/dev/null 2>&1; then command -v "$name"; return; fi
  if [ ! -d "$temp/$name/node_modules" ]; then
    mkdir -p "$temp/$name"
    echo '{"private":true}' > "$temp/$name/package.json"
    (cd "$temp/$name" && npm install --prefer-offline --no-audit --no-fund --ignore-scripts --loglevel=error "$name@$version" >&2)
  fi
  for found in $(find "$temp/$name/node_modules/$scope" -type f -name "$name" -perm -u+x); do
    if "$found" --version >/dev/null 2>&1; then echo "$found"; return; fi
  done
  echo "no working $name binary in $temp/$name/node_modules/$scope" >&2
  return 1
}

# A Redis of our own on a free loopback port for the queue example, when redis-server is here.
if [ -z "${REDIS_URL:-}" ] && command -v redis-server >/dev/null; then
  port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >"$temp/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 50); do grep -q 'Ready to accept' "$temp/redis.log" && break; sleep 0.1; done
  export REDIS_URL="redis://127.0.0.1:$port"
fi

bun="$(runtime_bin bun "$BUN_VERSION" @oven)"
deno="$(runtime_bin deno "$DENO_VERSION" @deno)"
echo "bun $("$bun" --version), deno $("$deno" --version | head -n 1 | cut -d' ' -f2)"
node scripts/run-examples.mjs --runtime bun --bin "$bun"
node scripts/run-examples.mjs --runtime deno --bin "$deno"
