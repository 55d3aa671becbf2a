#!/usr/bin/env bash
# The tool's users/s against --batch-size and --writers, end to end, on the embedded server; writes
# bench/results/sweep.{md,json,png}.
# Usage: bench/sweep.sh [--users 50000] [--batch-sizes 100,250,500,1000,2000,5000] [--writers 1,2,4]
#                       [--repeat 3] [--heap 512m]
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f target/migrate.jar ]] || ./mvnw -q -DskipTests package
exec java -cp target/migrate.jar app.achievements.bench.Sweep "$@"
