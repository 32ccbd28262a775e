# Shared by scripts/kafka-broker and scripts/flink-cluster (sourced, not run): where the processes keep
# their files, how their classpaths are resolved from Maven Central, and how processes are started,
# waited for and stopped. Everything lives under $LSTM_STANDALONE_DIR (default: target/standalone).

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base="${LSTM_STANDALONE_DIR:-$repo/target/standalone}"
mkdir -p "$base"
base="$(cd "$base" && pwd)"

die() { echo "error: $*" >&2; exit 2; }

# classpath NAME: the resolved classpath of deploy/standalone/NAME/pom.xml, cached until the pom changes.
classpath() {
  local pom="$repo/deploy/standalone/$1/pom.xml" out="$base/$1.classpath"
  if [ ! -s "$out" ] || [ "$pom" -nt "$out" ]; then
    echo "resolving the $1 classpath from Maven Central (first run only)..." >&2
    mvn -B -q -ntp -f "$pom" dependency:build-classpath -Dmdep.outputFile="$out" > "$out.log" 2>&1 \
      || die "could not resolve the $1 classpath (is Maven Central reachable?); see $out.log"
  fi
  cat "$out"
}

# alive PIDFILE: true when the process named in the pid file runs.
alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# launch PIDFILE LOGFILE JAVA-ARGS...: starts a JVM in the background, its pid in PIDFILE.
launch() {
  local pidfile="$1" log="$2"; shift 2
  alive "$pidfile" && die "already running (pid $(cat "$pidfile"), $pidfile)"
  mkdir -p "$(dirname "$log")"
  # A fresh log per start (the previous one kept as .1), so readiness checks read this start's lines only.
  [ -f "$log" ] && mv -f "$log" "$log.1"
  nohup java -Dlog.file="$log" -Dlog4j.configurationFile="$repo/deploy/standalone/log4j2.properties" \
    "$@" > "${log%.log}.out" 2>&1 < /dev/null &
  echo $! > "$pidfile"
}

# wait_for DESCRIPTION SECONDS PIDFILE COMMAND...: polls COMMAND until it succeeds; fails when the process dies.
# START_TIMEOUT (seconds), when set, replaces SECONDS: a machine shared with other work may need longer.
wait_for() {
  local what="$1" seconds="${START_TIMEOUT:-$2}" pidfile="$3"; shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    alive "$pidfile" || die "$what: the process exited; see the logs in $(dirname "$pidfile")"
    [ $SECONDS -lt $deadline ] || die "$what: not ready after ${seconds}s; see the logs in $(dirname "$pidfile")"
    sleep 0.5
  done
}

# terminate PIDFILE [SIGNAL]: SIGTERM (or SIGNAL) and wait up to 30 s, then SIGKILL; removes the pid file.
terminate() {
  local pidfile="$1" signal="${2:-TERM}"
  if alive "$pidfile"; then
    local pid; pid="$(cat "$pidfile")"
    kill -s "$signal" "$pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$pidfile"
}

# port_open PORT: true when something listens on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
