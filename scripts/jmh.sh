#!/usr/bin/env bash
# Runs the JMH kernel benchmarks. Arguments go to JMH (e.g. a benchmark regex, -p hidden=64).
# Prints JMH's table, then microseconds per entity-step and entity-steps per second.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
out=target/jmh-result.csv
java -cp "$cp" org.openjdk.jmh.Main -f 1 -wi 2 -w 1s -i 3 -r 1s -rf csv -rff "$out" "${@:-LstmStepBenchmark}"
echo
echo "| form | I | H | B | us per step (all B) | us per entity-step | entity-steps/s |"
echo "|---|---|---|---|---|---|---|"
# CSV columns: Benchmark,Mode,Threads,Samples,Score,Score Error,Unit,Param: batch,Param: hidden,Param: inputs
tail -n +2 "$out" | tr -d '"\r' | awk -F, '{ split($1, n, "."); per = $5 / $8;
  printf "| %s | %s | %s | %s | %.2f ± %.2f | %.3f | %.0f |\n", n[length(n)], $10, $9, $8, $5, $6, per, 1e6 / per }'
