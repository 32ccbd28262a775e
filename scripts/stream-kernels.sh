#!/usr/bin/env bash
# The same event stream through the job's kernel, a textbook step and DL4J rnnTimeStep (see StreamKernels).
# Arguments: H K N (defaults 64 1000 20000).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" io.lstmforecast.bench.StreamKernels "$@"
