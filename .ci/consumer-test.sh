#!/usr/bin/env bash
# The consumer test: what `npm install @dotbase/*` gives an app outside this repo. From this checkout it packs every
# package (each builds on prepack), lints the tarballs (publint --strict, arethetypeswrong ESM-only), installs ONLY the
# tarballs with npm into a fresh project in a temporary folder outside the workspace, with the README's install
# lines, and checks each use. Prints one PASS/FAIL line per check; exits non-zero when any failed.
#
# Needs the workspace installed (`pnpm install`): it packs with pnpm and runs publint/attw from node_modules.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
PNPM="${PNPM:-npx --yes pnpm@10.34.8}"
PACKAGES=(core simulator widget scale server) # dependency order: the server's build reads core's and scale's built types
work="$(mktemp -d "${TMPDIR:-/tmp}/dotbase-consumer-XXXXXX")"
app="$work/app"
failures=0

# DOTBASE_CONSUMER_KEEP=1 keeps the temporary project for a look after a failure
cleanup() { if [ -z "${DOTBASE_CONSUMER_KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work"; fi; }
trap cleanup EXIT

pass() { echo "PASS   $1"; }
fail() {
  echo "FAIL   $1"
  failures=$((failures + 1))
}
# check "<label>" command...: runs the command with its output in a log, shown only when it fails
check() {
  local label="$1" log
  shift
  log="$(mktemp "$work/log-XXXXXX")"
  if "$@" >"$log" 2>&1; then
    pass "$label$(tail -n 1 "$log" | sed -n 's/^\(.\{1,160\}\).*/ — \1/p')"
  else
    fail "$label"
    sed 's/^/       | /' "$log" | tail -n 40
  fi
}

echo "== consumer test in $work"

# ---- pack -------------------------------------------------------------------------------------------------------
mkdir -p "$work/tarballs" "$app"
declare -A TARBALL
for name in "${PACKAGES[@]}"; do
  # DOTBASE_CONSUMER_TARBALLS=<dir>: reuse tarballs packed before (only to iterate on this script)
  if [ -n "${DOTBASE_CONSUMER_TARBALLS:-}" ]; then cp "$DOTBASE_CONSUMER_TARBALLS"/dotbase-"$name"-*.tgz "$work/tarballs/"; fi
  if [ -n "${DOTBASE_CONSUMER_TARBALLS:-}" ] || (cd "$root/packages/$name" && $PNPM pack --pack-destination "$work/tarballs") >"$work/pack-$name.log" 2>&1; then
    TARBALL[$name]="$(ls "$work"/tarballs/dotbase-"$name"-*.tgz)"
    pass "pack @dotbase/$name ($(du -k "${TARBALL[$name]}" | cut -f1) KB)"
  else
    fail "pack @dotbase/$name"
    tail -n 40 "$work/pack-$name.log" | sed 's/^/       | /'
  fi
done
if [ "${#TARBALL[@]}" -ne "${#PACKAGES[@]}" ]; then
  echo "consumer test: ${failures} failed (packing failed, nothing to install)"
  exit 1
fi

# ---- what each tarball holds, and the linters -----------------------------------------------------------------
contents_ok() { # tarball, then paths that must be in it
  local tarball="$1" listing missing=()
  shift
  listing="$(tar -tzf "$tarball")"
  for path in "$@"; do grep -qx "package/$path" <<<"$listing" || missing+=("$path"); done
  [ "${#missing[@]}" -eq 0 ] || { echo "missing: ${missing[*]}"; return 1; }
  echo "$(wc -l <<<"$listing") files"
}
check "tarball @dotbase/core has README, LICENSE, built entries" contents_ok "${TARBALL[core]}" README.md LICENSE dist/index.js dist/index.d.ts dist/node.js dist/testing.js
check "tarball @dotbase/server has README, LICENSE, built entries, bin" contents_ok "${TARBALL[server]}" README.md LICENSE dist/index.js dist/index.d.ts dist/cli.js dist/testing.js bin/dotbase.js
check "tarball @dotbase/simulator has README, LICENSE, built entries, bin" contents_ok "${TARBALL[simulator]}" README.md LICENSE dist/index.js dist/index.d.ts dist/cli.js bin/dotbase-simulator.js
check "tarball @dotbase/scale has README, LICENSE, built entries" contents_ok "${TARBALL[scale]}" README.md LICENSE dist/postgres/index.js dist/postgres/index.d.ts dist/redis/index.js dist/s3/index.js dist/import/index.js dist/testing/index.js
check "tarball @dotbase/widget has README, LICENSE, npm build, bundles, types, manifest" contents_ok "${TARBALL[widget]}" README.md LICENSE dist/lib/index.js dist/lib/react.js dist/lib/dotbase-admin.js dist/lib/dotbase-ru.js dist/dotbase-admin.js dist/dotbase-ru.js dist/dotbase-studio.js dist/dotbase-studio.iife.js dist/types/index.d.ts custom-elements.json

for name in "${PACKAGES[@]}"; do
  check "publint --strict @dotbase/$name" "$root/node_modules/.bin/publint" run --strict "${TARBALL[$name]}"
  check "attw --profile esm-only @dotbase/$name" "$root/node_modules/.bin/attw" --profile esm-only --format ascii "${TARBALL[$name]}"
done

# ---- a fresh npm project outside the workspace, the README's install lines ------------------------------------
# Every @dotbase/* name, wherever it appears (a dependency of a dependency, a peer), is the tarball: nothing of ours
# comes from the registry.
new_project() { # folder: an empty npm project whose @dotbase/* names all resolve to the tarballs
  mkdir -p "$1"
  node -e '
    const [dir, ...pairs] = process.argv.slice(1);
    // relative, as npm writes a tarball installed by path: the override must equal the direct dependency it also is
    const overrides = Object.fromEntries(pairs.map((pair) => pair.split("=")).map(([name, file]) => ["@dotbase/" + name, "file:" + require("path").relative(dir, file)]));
    require("fs").writeFileSync(dir + "/package.json", JSON.stringify({ name: "dotbase-consumer", private: true, type: "module", overrides }, null, 2));
  ' "$1" "core=${TARBALL[core]}" "simulator=${TARBALL[simulator]}" "widget=${TARBALL[widget]}" "scale=${TARBALL[scale]}" "server=${TARBALL[server]}"
}
new_project "$app"
cp -r "$root/.ci/consumer/." "$app/"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false npm_config_loglevel=error

# The four uses, exactly as the README shows them; each line must appear in README.md as written here. Each use is
# checked right after its own line, before the next line installs more, so a use that needs a package its line does
# not name fails (the server finds the widget only through its dependency, for instance).
install() { # a README line, run with the tarballs in place of our package names (in $app, or the folder given)
  local line="$1" dir="${2:-$app}" command
  if ! grep -qF -- "$line" "$root/README.md"; then
    fail "README shows: $line"
    return
  fi
  command="$line"
  for name in "${PACKAGES[@]}"; do command="${command//@dotbase\/$name/${TARBALL[$name]}}"; done
  check "$line" bash -c "cd '$dir' && $command"
}

install "npm install @dotbase/core @dotbase/simulator zod lmdb"
check "(a) core creates a generation against the simulator started from its bin" bash -c "cd '$app' && node core-generation.mjs"

install "npm install @dotbase/server @dotbase/simulator sharp lmdb"
check "(b) the dotbase CLI serves /api/health and /widget.js" bash -c "cd '$app' && node cli-serve.mjs"

install "npm install @dotbase/server @dotbase/core hono zod sharp lmdb"
check "(c) the app's own Hono app mounts the server under /dotbase; OpenAPI shows it" bash -c "cd '$app' && node mount.mjs"

install "npm install @dotbase/widget lit @lit/react react react-dom"
widget_node() {
  cd "$app" || return 1
  node widget-node.mjs
}
if out="$(widget_node 2>&1)"; then echo "$out"; else
  echo "$out"
  grep -q '^FAIL' <<<"$out" || fail "(f) importing the widget entries in Node"
  failures=$((failures + $(grep -c '^FAIL' <<<"$out")))
fi

# the app's own build tools, not dotbase's
check "npm install --save-dev vite typescript @types/node @types/react" bash -c "cd '$app' && npm install --save-dev vite@^8 typescript@~5.9 @types/node@^20 @types/react@^19"
one_copy_each() {
  cd "$app" || return 1
  node -e '
    const lock = require("./package-lock.json");
    const ours = Object.entries(lock.packages).filter(([path]) => /node_modules\/@dotbase\//.test(path));
    const nested = ours.filter(([path]) => path.split("node_modules/").length > 2);
    const fromRegistry = ours.filter(([, entry]) => !String(entry.resolved).startsWith("file:"));
    const peers = ["hono", "zod", "lit"].map((name) => [name, Object.keys(lock.packages).filter((path) => path.endsWith("node_modules/" + name)).length]);
    if (nested.length || fromRegistry.length || peers.some(([, copies]) => copies !== 1)) {
      console.log(JSON.stringify({ nested, fromRegistry, peers }, null, 2));
      process.exit(1);
    }
    console.log(ours.length + " @dotbase packages, all from the tarballs, one copy each; one copy of " + peers.map(([name]) => name).join(", "));
  '
}
check "one copy of each @dotbase package (from the tarballs) and of hono, zod, lit" one_copy_each

vite_build() {
  cd "$app/react-app" || return 1
  "$app/node_modules/.bin/vite" build --logLevel warn || return 1
  local js lits
  js="$(cat dist/assets/*.js)"
  grep -q 'dotbase-studio' <<<"$js" || { echo "the bundle has no dotbase-studio"; return 1; }
  lits="$(grep -o 'litHtmlVersions' <<<"$js" | wc -l)"
  [ "$lits" -eq 1 ] || { echo "the bundle has $lits copies of lit-html"; return 1; }
  echo "built $(du -k dist/assets/*.js | cut -f1) KB of JS, one copy of Lit"
}
check "(d) a Vite + React app builds with @dotbase/widget/react" vite_build

# As apps compile (skipLibCheck, the tsc --init default), and then our own declarations checked in full: the
# registry's own .d.ts files (unstorage's optional drivers) do not all compile on their own, ours must.
typecheck() {
  cd "$app/typecheck" || return 1
  ../node_modules/.bin/tsc -p "tsconfig.$1.json" || return 1
  local errors
  errors="$(../node_modules/.bin/tsc -p "tsconfig.$1.json" --skipLibCheck false | grep -E '(^|/)node_modules/@dotbase/|^consumer\.ts')"
  [ -z "$errors" ] || { echo "$errors"; return 1; }
  echo "consumer.ts and the @dotbase declarations compile"
}
check "(e) TypeScript strict, NodeNext resolution" typecheck nodenext
check "(e) TypeScript strict, Bundler resolution" typecheck bundler

# The peer ranges hold at their low end too: the oldest hono, zod and lit they admit, then the mount and types again.
lowest_peers() {
  cd "$app" || return 1
  local spec versions=()
  for name in hono zod lit; do
    spec="$(node -p "const p = ['server', 'core', 'widget'].map((n) => require('./node_modules/@dotbase/' + n + '/package.json').peerDependencies ?? {}).find((peers) => peers['$name']); p['$name']")"
    versions+=("$name@${spec#^}")
  done
  npm install "${versions[@]}" >/dev/null || return 1
  node mount.mjs >/dev/null || return 1
  (typecheck nodenext) >/dev/null || { (typecheck nodenext); return 1; }
  (typecheck bundler) >/dev/null || { (typecheck bundler); return 1; }
  echo "mount and types work with ${versions[*]}"
}
check "the lowest peer versions in range (hono, zod, lit)" lowest_peers

# The server alone: optional peers stay out of the install, and what is missing is named when it is needed.
bare="$work/bare"
new_project "$bare"
bare_server() {
  cd "$bare" || return 1
  npm install "${TARBALL[server]}" >/dev/null || return 1
  local size code
  size="$(du -sm node_modules | cut -f1)"
  for name in sharp lmdb @dotbase/simulator @dotbase/scale; do
    [ ! -e "node_modules/$name" ] || { echo "$name was installed although it is optional"; return 1; }
  done
  node --input-type=module -e "await import('@dotbase/server'); await import('@dotbase/core/node')" || return 1
  PORT=0 DOTBASE_DATA_DIR="$bare/data" node_modules/.bin/dotbase serve >"$bare/out" 2>&1
  code=$?
  [ "$code" -ne 0 ] && grep -q 'npm install sharp' "$bare/out" || { echo "dotbase serve without sharp: exit $code"; cat "$bare/out"; return 1; }
  echo "${size} MB installed; without sharp, dotbase serve stops: $(head -n 1 "$bare/out" | cut -c1-120)"
}
check "npm install @dotbase/server alone: no simulator, sharp, lmdb or scale; the missing one is named" bare_server

# Many instances: @dotbase/scale is an optional peer of the server. Without it, DATABASE_URL stops the start with a
# message naming it; with it (the README's line) its entries load in Node, and a database that refuses the
# connection (a closed port on loopback) is named as such, not as a missing module. A token is set so the start
# needs no simulator; nothing reaches Replicate before the database is opened.
scale="$work/scale"
new_project "$scale"
serve_with_database() { # folder: runs `dotbase serve` there with an unreachable DATABASE_URL; output in <folder>/out
  (cd "$1" && DATABASE_URL=postgres://dotbase:consumer-pw@127.0.0.1:1/dotbase REPLICATE_API_TOKENS=r8_consumer_test PORT=0 DOTBASE_DATA_DIR="$1/data" \
    timeout 60 node_modules/.bin/dotbase serve >"$1/out" 2>&1)
}
scale_missing() {
  cd "$scale" || return 1
  npm install "${TARBALL[server]}" sharp >/dev/null || return 1
  [ ! -e node_modules/@dotbase/scale ] || { echo "@dotbase/scale was installed although it is optional"; return 1; }
  serve_with_database "$scale"
  local code=$?
  [ "$code" -ne 0 ] && [ "$code" -ne 124 ] && grep -q 'needs the "@dotbase/scale" package: npm install @dotbase/scale' "$scale/out" || { echo "exit $code"; cat "$scale/out"; return 1; }
  echo "$(grep -o 'could not start: .\{1,110\}' "$scale/out")"
}
check "npm install @dotbase/server sharp, then DATABASE_URL: the start names @dotbase/scale" scale_missing
install "npm install @dotbase/server @dotbase/scale sharp" "$scale"
scale_entries() {
  cd "$scale" || return 1
  node --input-type=module -e '
    const postgres = await import("@dotbase/scale/postgres");
    const redis = await import("@dotbase/scale/redis");
    const s3 = await import("@dotbase/scale/s3");
    const missing = [[postgres, "connectPostgres", "migrate", "createPostgresGenerationStore", "createPostgresEventRelay"], [redis, "connectRedis", "createRedisTokenPoolState"], [s3, "createS3BlobStore"]]
      .flatMap(([entry, ...names]) => names.filter((name) => typeof entry[name] !== "function"));
    if (missing.length) throw new Error("missing exports: " + missing.join(", "));
    // made without a network call: the S3 client and the PostgreSQL pool connect on first use
    s3.createS3BlobStore({ bucket: "b", endpoint: "http://127.0.0.1:1", region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } }).close();
    await postgres.connectPostgres("postgres://127.0.0.1:1/x").end();
  ' 2>"$scale/entries.err" || { cat "$scale/entries.err"; return 1; }
  # the AWS SDK warns on stderr about Node versions it will drop: shown, but not as the summary line
  sed 's/^/(stderr) /' "$scale/entries.err" | head -n 3
  echo "@dotbase/scale/postgres, /redis and /s3 import in Node"
}
check "(g) @dotbase/scale/postgres, /redis, /s3 import in Node" scale_entries
scale_refused() {
  cd "$scale" || return 1
  serve_with_database "$scale"
  local code=$?
  [ "$code" -ne 0 ] && [ "$code" -ne 124 ] || { echo "exit $code"; cat "$scale/out"; return 1; }
  grep -q 'could not use the PostgreSQL database at DATABASE_URL (127.0.0.1:1/dotbase)' "$scale/out" || { cat "$scale/out"; return 1; }
  ! grep -qiE 'cannot find (package|module)|consumer-pw' "$scale/out" || { echo "a missing module, or the password, in the output:"; cat "$scale/out"; return 1; }
  echo "$(grep -o 'could not start: .\{1,120\}' "$scale/out")"
}
check "(h) with @dotbase/scale, a refused DATABASE_URL stops the start naming the database" scale_refused

if [ "$failures" -eq 0 ]; then
  echo "consumer test: all checks passed"
else
  echo "consumer test: ${failures} check(s) failed"
fi
[ "$failures" -eq 0 ]
