#!/usr/bin/env bash
# The tool's users/s against --batch-size and --writers, end to end, on the embedded server; writes
# bench/results/sweep.{md,json,png}.
# Usage: bench/sweep.sh [--users 50000] [--batch-sizes 100,250,500,1000,2000,5000] [--writers 1,2,4]
#                       [--repeat 3] [--heap 512m] (--help: all)
# The benchmark is test code, not part of the tool: it runs from target/test-classes beside the jar.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f target/migrate.jar || ! -f target/test-classes/app/achievements/bench/Sweep.class ]]; then
  ./mvnw -q -B -DskipTests package
fi
exec java -cp target/test-classes:target/migrate.jar app.achievements.bench.Sweep "$@"
