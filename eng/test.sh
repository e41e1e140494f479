#!/usr/bin/env bash
# The whole test suite. Installs what it needs when it is missing (PostgreSQL server binaries, Chromium), then
# runs every test against a real PostgreSQL: ConnectionStrings__Ledger if set, else Docker if it
# answers, else a throwaway cluster on the installed binaries. Then the benchmark at CI size, as a
# smoke test of its correctness (it fails if rebuilt views differ from live ones); timings are not judged.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${ConnectionStrings__Ledger:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  echo "PostgreSQL server binaries not found: installing them (apt-get install postgresql)." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

# The browser tests (tests/Ledger.BrowserTests) drive the system Chromium through chromedriver; they fail,
# never skip, without them. The CJK font only makes the Chinese labels legible in their screenshots.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "Chromium or chromedriver not found: installing them (apt-get install chromium chromium-driver)." >&2
  if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver fonts-wqy-microhei >/dev/null
fi

out=$(mktemp)
set +e
dotnet test Ledger.sln -c Release 2>&1 | tee "$out"
tests=${PIPESTATUS[0]}
bench=0
if [ "$tests" = 0 ]; then
  dotnet run -c Release --project tests/Ledger.Benchmarks -- --scale small --out "${TMPDIR:-/tmp}/ledger-bench-small.json" 2>&1 \
    | grep -vE '^Searching|for commands$|PublicKeyToken'
  bench=${PIPESTATUS[0]}
  [ "$bench" = 0 ] || echo "The benchmark smoke test failed (exit $bench)."
fi
set -e
# One closing line that any CI reader understands.
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1) } }
     END { printf "%d passed, %d failed\n", p, f }' "$out"
rm -f "$out"
[ "$tests" = 0 ] && [ "$bench" = 0 ]
