#!/usr/bin/env bash
# Measures the migration's duration per --batch-size against the embedded server (the sandbox),
# each on freshly seeded, identical users. Usage: bench/batch-size.sh [USERS] [SIZES...]
# Build first: ./mvnw -q -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-20000}
shift || true
sizes=${*:-100 500 1000 5000}
port=${BENCH_PORT:-27990}
jar=target/migrate.jar
[[ -f $jar ]] || { echo "no $jar: run ./mvnw -q -DskipTests package first" >&2; exit 1; }
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB, $(java -version 2>&1 | head -1)"
echo "users: $users (sandbox sample data), one warm-up dry run per size"
for size in $sizes; do
  log=$(mktemp)
  java -jar "$jar" sandbox --port "$port" --users "$users" >"$log" 2>&1 &
  sandbox=$!
  for _ in $(seq 300); do grep -q '^Try' "$log" && break; sleep 0.2; done
  grep -q '^Try' "$log" || { cat "$log" >&2; kill "$sandbox"; exit 1; }
  java -jar "$jar" --uri "mongodb://127.0.0.1:$port" -d sandbox --dry-run >/dev/null 2>&1 || true
  line=$(java -jar "$jar" --uri "mongodb://127.0.0.1:$port" -d sandbox --yes --batch-size "$size" 2>&1 \
    | grep -E '^  duration' || true)
  echo "batch size $size:$line"
  kill "$sandbox"; wait "$sandbox" 2>/dev/null || true
  rm -f "$log"
done
