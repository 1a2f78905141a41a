# Shared start of the benchmark scripts, sourced once DB and PORT are set: checks for wrk,
# builds the service if needed, exports its settings, and offers wait_ready and report.
OUT="bench/out"
BASE="http://127.0.0.1:$PORT"
# health and metrics are on the management interface, a port of their own
MANAGEMENT_PORT="${MANAGEMENT_PORT:-$((PORT + 1000))}"
mkdir -p "$OUT"

command -v wrk >/dev/null || { echo "wrk is required: apt-get install -y wrk" >&2; exit 1; }
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

export DB_URL="jdbc:mysql://127.0.0.1:3306/$DB"
export MAILPLANE_MASTER_PASSWORD="bench-master-secret"
# a fixed bench-only key, so secrets stored by one run stay readable in the next
export MAILPLANE_CRYPTO_KEY="${MAILPLANE_CRYPTO_KEY:-$(printf '%s' 'bench-only-mailplane-crypto-key!' | base64)}"
export QUARKUS_HTTP_PORT="$PORT"
export QUARKUS_MANAGEMENT_PORT="$MANAGEMENT_PORT"
# The production JVM settings: README "Run", src/main/docker/Dockerfile.jvm, the jib profile in
# pom.xml and helm/mailplane/values.yaml javaOpts carry the same (JvmOptionsTest checks them).
PRODUCTION_JVM_OPTS="-XX:+UseSerialGC -Xms32m -Xmx160m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=40 -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=80m -Xss512k"

wait_ready() { # $1 the service's log, named when it does not come up
  for _ in $(seq 1 "${READY_WAIT:-60}"); do
    curl -fs "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "service did not start; see $1" >&2
  exit 1
}

report() { # $1 label, $2 wrk output with --latency
  printf '%-28s requests/s=%-10s p50=%-10s p99=%-10s non-2xx=%s\n' "$1" \
    "$(awk '/Requests\/sec/ {print $2}' "$2")" "$(awk '$1=="50%" {print $2}' "$2")" \
    "$(awk '$1=="99%" {print $2}' "$2")" "$(awk '/Non-2xx/ {print $5}' "$2")"
}
