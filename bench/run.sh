#!/usr/bin/env bash
# The benchmark: the tool against the seed's per-document algorithm, the bare write floor and one
# updateMany, on identical users in an embedded server running as a JVM of its own.
# Usage: bench/run.sh [--users 100000] [--batch-size 1000] [--writers 2] [--heap 512m]
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f target/migrate.jar ]] || ./mvnw -q -DskipTests package
exec java -cp target/migrate.jar app.achievements.bench.Benchmark "$@"
