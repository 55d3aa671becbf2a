#!/usr/bin/env bash
# The benchmark: the tool against the seed's per-document algorithm, the bare write floor and one
# updateMany, on identical users in an embedded server running as a JVM of its own.
# Usage: bench/run.sh [--users 100000] [--batch-size 1000] [--writers 2] [--heap 512m] (--help: all)
# The benchmark is test code, not part of the tool: it runs from target/test-classes beside the jar.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f target/migrate.jar || ! -f target/test-classes/app/achievements/bench/Benchmark.class ]]; then
  ./mvnw -q -B -DskipTests package
fi
exec java -cp target/test-classes:target/migrate.jar app.achievements.bench.Benchmark "$@"
