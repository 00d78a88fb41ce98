#!/bin/sh
# Peak resident memory of a Trazo server under each upload of issue 15, one process per figure
# (VmHWM only grows). Prints the table of BENCHMARKS.md. Usage: scripts/pico-rss.sh [--release]
set -e
cargo test $1 -q -p trazo-tests --test e2e --no-run
echo "| upload | a la vez | bytes | respuesta | ms | VmHWM antes (MiB) | VmHWM después (MiB) |"
echo "| --- | ---: | ---: | --- | ---: | ---: | ---: |"
for ataque in ods celdas textos xml ods_limite xlsx_limite xml_limite; do
  for veces in 1 8; do
    TRAZO_ATAQUE=$ataque TRAZO_VECES=$veces cargo test $1 -q -p trazo-tests --test e2e \
      limites::peak_rss_under_one_attack -- --ignored --nocapture --exact 2>/dev/null | grep '^|'
  done
done
