#!/usr/bin/env bash
# Builds each variant: cargo -> wasm-bindgen (nodejs) -> wasm-opt -Oz, and prints sizes.
set -euo pipefail
cd "$(dirname "$0")"
WASM_OPT=../../node_modules/.bin/wasm-opt
# bdpay's build.sh flags, for a second size column comparable with its budgets.
PROJ_FLAGS=(-Oz --flatten --rereloop -Oz --converge --low-memory-unused --enable-bulk-memory
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-reference-types --enable-multivalue
  --enable-mutable-globals --strip-debug --strip-producers --strip-target-features)
printf '%-9s %10s %10s %10s %10s\n' variant 'Oz raw' 'Oz gz9' 'proj raw' 'proj gz9'
for v in base a_ap a_raw b_swb; do
  f=$v; [ "$v" = base ] && f=""
  cargo build --offline -q --release --target wasm32-unknown-unknown --no-default-features ${f:+--features $f}
  rm -rf out/$v && mkdir -p out/$v
  wasm-bindgen --target nodejs --no-typescript --out-dir out/$v target/wasm32-unknown-unknown/release/exp_json.wasm
  $WASM_OPT -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-reference-types \
    --enable-multivalue --enable-mutable-globals -o out/$v/oz.wasm out/$v/exp_json_bg.wasm
  $WASM_OPT "${PROJ_FLAGS[@]}" -o out/$v/proj.wasm out/$v/exp_json_bg.wasm
  cp out/$v/oz.wasm out/$v/exp_json_bg.wasm   # the glue loads the -Oz module
  printf '%-9s %10d %10d %10d %10d\n' $v $(wc -c <out/$v/oz.wasm) $(gzip -9 -c out/$v/oz.wasm | wc -c) \
    $(wc -c <out/$v/proj.wasm) $(gzip -9 -c out/$v/proj.wasm | wc -c)
done
