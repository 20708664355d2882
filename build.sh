#!/usr/bin/env bash
# bdpay's one entry point: build the npm package, run every test, run the demo.
#
#   ./build.sh              build pkg/ (wasm + glue + pkg-template/)
#   ./build.sh test [S...]  run every test suite (or only the named ones)
#   ./build.sh demo         build pkg/ and the sandbox, then run the demo shop: sandbox, proxy, merchant server
#   ./build.sh bench        build pkg/, then size, speed and cold start beside libphonenumber (bench-results/)
#   ./build.sh fuzz [SECS]  fuzz every target for SECS seconds each (default 60)
#   ./build.sh install      only install what is missing
#
# Every subcommand first installs what is missing (the wasm target, the
# wasm-bindgen CLI at the version in Cargo.lock, Debian's chromium and
# chromedriver, node_modules with wasm-opt, esbuild, TypeScript, playwright-core and miniflare),
# quickly and idempotently; nothing here downloads a binary or a browser.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

WASM_TARGET=wasm32-unknown-unknown
STAGE=target/pkg-stage
APT_PACKAGES=(chromium chromium-driver fonts-lohit-beng-bengali)
# wasm-opt from npm's binaryen (pinned in package-lock.json). Debian 12's
# binaryen 108 is no use: it rewrites wasm-bindgen's `__wbindgen_externrefs`
# export to point at the funcref table, and the module then fails to start.
WASM_OPT=node_modules/.bin/wasm-opt
# -Oz, then flattened and re-relooped and -Oz again until nothing shrinks
# (--converge): about 1% less wasm gzip than one -Oz, the same output every run.
# The custom sections (names, producers, target features) are stripped: no
# runtime reads them. --low-memory-unused lets wasm-opt fold a small constant
# added to a pointer into the load's or store's offset (about 0.8% less gzip):
# it assumes no access reaches the first 1 KB by wrapping past 4 GB. rustc
# puts the stack first (addresses 0 to 1 MB, growing down), so only a stack
# about to overflow comes near that 1 KB, and a folded access then traps
# (past 4 GB) where an unfolded one would have wrapped to low memory.
WASM_OPT_FLAGS=(-Oz --flatten --rereloop -Oz --converge --low-memory-unused --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-reference-types --enable-multivalue --enable-mutable-globals
  --strip-debug --strip-producers --strip-target-features)

log() { printf '\n==> %s\n' "$*" >&2; }
die() {
  printf 'build.sh: %s\n' "$*" >&2
  exit 1
}

# ---------------------------------------------------------------- install

as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo -n "$@" || die "sudo could not run: $* (install it by hand, or allow sudo without a password)"
  else
    die "root or sudo is needed to run: $*"
  fi
}

install_wasm_target() {
  [ -d "$(rustc --print sysroot)/lib/rustlib/$WASM_TARGET" ] || rustup target add "$WASM_TARGET"
}

# The wasm-bindgen version the crate is locked to; the CLI must be the same.
locked_wasm_bindgen_version() {
  [ -f Cargo.lock ] || cargo generate-lockfile
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

install_wasm_bindgen() {
  local want have
  want=$(locked_wasm_bindgen_version)
  [ -n "$want" ] || die "no wasm-bindgen in Cargo.lock"
  have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
  if [ "$have" != "$want" ]; then
    log "installing wasm-bindgen-cli $want (was: ${have:-none}); takes about 5 minutes"
    # Not --locked: one of its locked dependencies does not resolve.
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

install_apt_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  fi
}

# node_modules from the committed lockfile, again whenever the lockfile changes.
install_node_modules() {
  command -v node >/dev/null || die "Node.js >= 20 is needed (node not found)"
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || die "Node.js >= 20 is needed, found $(node --version)"
  local stamp=node_modules/.bdpay-lock-sha256 want
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "npm ci"
    npm ci --no-audit --no-fund
    printf '%s\n' "$want" >"$stamp"
  fi
}

cmd_install() {
  install_wasm_target
  install_apt_packages
  install_wasm_bindgen
  install_node_modules
}

# ---------------------------------------------------------------- build

gzip_size() { gzip -9 -c "$1" | wc -c; }

# Tests and the demo import the package by name, through its exports map.
link_pkg() {
  [ -f pkg/package.json ] || die "pkg/ is not built (run ./build.sh)"
  mkdir -p node_modules
  ln -sfn ../pkg node_modules/bdpay
}

# The npm entries, each its own wasm: "glue name:cargo features". The glue is
# <name>.js and the wasm <name>_bg.wasm in pkg/; pkg-template/ wraps them.
ENTRIES=("bdpay:" "bdpay_billers:billers" "bdpay_clients:clients" "bdpay_bulk:bulk" "bdpay_worker:worker" "bdpay_server:server")

# One entry's wasm: cargo with only its feature, wasm-bindgen, wasm-opt.
build_entry() {
  local name=$1 features=$2
  cargo build --release --target "$WASM_TARGET" -p bdpay --no-default-features ${features:+--features "$features"}
  wasm-bindgen --target web --no-typescript --out-dir "$STAGE" --out-name "$name" \
    "target/$WASM_TARGET/release/bdpay.wasm"
  "$WASM_OPT" "${WASM_OPT_FLAGS[@]}" -o "$STAGE/${name}_bg.opt.wasm" "$STAGE/${name}_bg.wasm"
}

cmd_build() {
  log "building pkg/: ${#ENTRIES[@]} entries, one wasm each"
  rm -rf "$STAGE"
  local entry
  for entry in "${ENTRIES[@]}"; do
    build_entry "${entry%%:*}" "${entry#*:}"
  done

  rm -rf pkg
  mkdir pkg
  for entry in "${ENTRIES[@]}"; do
    cp "$STAGE/${entry%%:*}.js" "pkg/${entry%%:*}.js"
    cp "$STAGE/${entry%%:*}_bg.opt.wasm" "pkg/${entry%%:*}_bg.wasm"
  done
  cp -R pkg-template/. pkg/
  # A browser fetches one module per entry, which starts the wasm's fetch at
  # once: the browser entries are bundled (and minified) into themselves.
  # The phone field (phone-input.js) stays a module of its own, imported by
  # name, so a bundler leaves it out of a page that never binds one.
  local browser_entry
  for browser_entry in browser.js billers-browser.js clients-browser.js bulk-browser.js; do
    node_modules/.bin/esbuild "pkg/$browser_entry" --bundle --minify --format=esm --target=es2020 \
      --log-level=warning --allow-overwrite --external:./phone-input.js --outfile="pkg/$browser_entry"
  done
  node_modules/.bin/esbuild pkg/phone-input.js --minify --format=esm --target=es2020 \
    --log-level=warning --allow-overwrite --outfile=pkg/phone-input.js
  # The package's version is the crate's.
  local version
  version=$(cargo metadata --no-deps --format-version 1 |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).packages.find(p=>p.name==="bdpay").version))')
  node -e '
    const fs = require("node:fs");
    const p = JSON.parse(fs.readFileSync("pkg/package.json", "utf8"));
    p.version = process.argv[1];
    fs.writeFileSync("pkg/package.json", JSON.stringify(p, null, 2) + "\n");
  ' "$version"
  link_pkg
  printf 'pkg/ built (bdpay %s)\n' "$version"
  node bench/budget.mjs --report
}

# ---------------------------------------------------------------- test suites
# One function per suite, named suite_<name>; SUITES lists them in run order.
# A suite passes when its function returns 0. To add one, write the function
# and add its name here.

SUITES=(fmt clippy clippy_wasm cargo_test wasm_node wasm_browser build size pkg_node bulk proxy types browser_import bundlers e2e contract reliability fuzz)

suite_fmt() { cargo fmt --all --check; }

suite_clippy() { cargo clippy --workspace --all-targets -- -D warnings; }

suite_clippy_wasm() {
  cargo clippy --target "$WASM_TARGET" -p bdpay --all-targets -- -D warnings
  # The validation entries, built no_std (no tests: their harness needs std).
  cargo clippy --target "$WASM_TARGET" -p bdpay --no-default-features -- -D warnings
  cargo clippy --target "$WASM_TARGET" -p bdpay --no-default-features --features billers -- -D warnings
}

suite_cargo_test() { cargo test --workspace; }

suite_wasm_node() { cargo test --target "$WASM_TARGET" -p bdpay --test wasm_node; }

suite_wasm_browser() {
  CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/tests/webdriver.json" \
    cargo test --target "$WASM_TARGET" -p bdpay --test wasm_browser
}

# pkg/, and the sandbox binary that the client tests and the demo start.
suite_build() {
  cmd_build
  if [ -f sandbox/Cargo.toml ]; then
    log "building the sandbox (target/release/bdpay-sandbox)"
    cargo build --release -p bdpay-sandbox
  fi
}

# Each entry's files as a page or a Worker loads them (wasm + glue + the
# package's own modules), gzip -9 each, against its budget in bench/budget.json.
suite_size() {
  [ -f pkg/package.json ] || die "pkg/ is not built (run ./build.sh)"
  node bench/budget.mjs
}

# The built package, imported by name (`import 'bdpay'`) in Node and, under
# the `workerd` condition, inside a Worker run by miniflare.
suite_pkg_node() {
  link_pkg
  node --test tests/node/
}

# `npx bdpay bulk` against the sandbox: 1,000 rows with 5% bad ones, killed
# with SIGKILL and rerun three times, faults at the gateway; exactly once.
suite_bulk() {
  link_pkg
  node --test tests/bulk/
}

# bdpay/worker's proxy in workerd (miniflare) in front of the sandbox: every
# policy rule, the clients through it (Node and Chromium), exactly-once faults,
# the Durable Object limiter and its types. The load test is tests/proxy/load.mjs.
suite_proxy() {
  link_pkg
  node --test tests/proxy/
}

suite_types() {
  link_pkg
  node_modules/.bin/tsc -p tests/types/tsconfig.json
}

# pkg/browser.js imported by a page in headless Chromium (playwright-core).
suite_browser_import() {
  link_pkg
  node --test tests/browser/
}

# pkg/ packed and installed into one small app per bundler (Vite 6, 7 and 8,
# webpack 5, esbuild, Rollup; tests/bundlers/*/, each with its own lockfile,
# installed on first use), built by its CLI, then run in headless Chromium.
suite_bundlers() {
  [ -f pkg/package.json ] || die "pkg/ is not built (run ./build.sh)"
  node --test tests/bundlers/
}

# The demo page driven in headless Chromium, tab by tab, in both languages;
# screenshots go to test-artifacts/screenshots/.
suite_e2e() {
  link_pkg
  node --test tests/e2e/
}

# Every fuzz target: the regressions replayed, then a short run each
# (FUZZ_SECONDS, default 10); ./fuzz/run.sh 60 is the longer run.
suite_fuzz() { bash fuzz/run.sh "${FUZZ_SECONDS:-10}"; }

# The fault matrix, hostile input and the marked-token hygiene check.
suite_reliability() {
  link_pkg
  node --test tests/reliability/
}

# The sandbox against docs/openapi.yaml, by schemathesis (pip, pinned).
suite_contract() { bash sandbox/contract-test.sh; }

cmd_test() {
  local suites=("$@") name passed=0 failed=0 start took
  [ "${#suites[@]}" -gt 0 ] || suites=("${SUITES[@]}")
  local report=()
  for name in "${suites[@]}"; do
    declare -F "suite_$name" >/dev/null || die "no test suite '$name' (have: ${SUITES[*]})"
  done
  for name in "${suites[@]}"; do
    log "suite $name"
    start=$SECONDS
    # A subshell, so a suite's failing command ends only that suite; not in
    # an `if`, where bash would ignore `set -e` inside the suite.
    set +e
    (
      set -euo pipefail
      "suite_$name"
    )
    local rc=$?
    set -e
    if [ "$rc" -eq 0 ]; then
      passed=$((passed + 1))
      report+=("$(printf '  %-16s passed  %4ds' "$name" $((SECONDS - start)))")
    else
      failed=$((failed + 1))
      report+=("$(printf '  %-16s FAILED  %4ds  (exit %d)' "$name" $((SECONDS - start)) "$rc")")
    fi
  done
  took=$SECONDS
  printf '\nTest suites (%ds in all):\n' "$took"
  printf '%s\n' "${report[@]}"
  printf '%d passed, %d failed\n' "$passed" "$failed"
  [ "$failed" -eq 0 ]
}

# ---------------------------------------------------------------- demo

# The real flow on 127.0.0.1: the sandbox (the gateway and wallet APIs), the
# example Worker in workerd (the proxy, holding the token and the PIN) and
# examples/merchant-server (the shop's page, and the intents it signs).
# demo/run.mjs starts the three and stops them on Ctrl-C; the shop listens
# on BDPAY_DEMO_PORT (default 8080).
cmd_demo() {
  [ -f sandbox/Cargo.toml ] ||
    die "demo needs the sandbox server (sandbox/), which is not in this checkout yet"
  cmd_build
  log "building the sandbox (target/release/bdpay-sandbox)"
  cargo build --release -p bdpay-sandbox
  log "starting the sandbox, the proxy in workerd and the merchant server (Ctrl-C stops all three)"
  exec node demo/run.mjs
}

# ---------------------------------------------------------------- bench

# Size, throughput and cold start beside libphonenumber, the proxy's load test
# when tests/proxy/load.mjs exists, and where the answers differ. The peers are
# pinned in bench/package-lock.json, apart from the package's own dependencies.
cmd_bench() {
  if [ -f tests/proxy/load.mjs ]; then suite_build; else cmd_build; fi
  local stamp=bench/node_modules/.bdpay-lock-sha256 want
  want=$(sha256sum bench/package-lock.json | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "npm ci --prefix bench"
    npm ci --prefix bench --no-audit --no-fund
    printf '%s\n' "$want" >"$stamp"
  fi
  log "bench (a few minutes; results in bench-results/)"
  BENCH_WASM_OPT_FLAGS="${WASM_OPT_FLAGS[*]}" node bench/run.mjs
}

# ---------------------------------------------------------------- main

main() {
  local cmd=${1:-build}
  [ $# -eq 0 ] || shift
  case "$cmd" in
    build) cmd_install && cmd_build ;;
    test) cmd_install && cmd_test "$@" ;;
    demo) cmd_install && cmd_demo ;;
    bench) cmd_install && cmd_bench ;;
    fuzz) bash fuzz/run.sh "${1:-60}" ;;
    install) cmd_install ;;
    -h | --help | help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p;}' "$0" ;;
    *) die "unknown command '$cmd' (build, test, demo, bench, fuzz, install)" ;;
  esac
}

main "$@"
