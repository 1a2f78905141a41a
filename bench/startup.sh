#!/usr/bin/env bash
# Benchmark: start-up time of the packaged service, from `java -jar` (the moment the process is
# forked) to ready (GET /q/health/ready on the management port answers 200 UP), on a database
# that is already migrated. Starts the jar RUNS times in each mode and prints the minimum and the
# median time to ready, the median CPU time the process used until then (user + system, all
# threads; steadier than wall time on a shared machine) and the median resident memory at ready.
#
#   bench/startup.sh                          # 5 starts in each mode
#   RUNS=9 MODES="java17 aot25" bench/startup.sh
#
# Modes:
#   java17    plain `java -jar` on the default JDK (17)
#   java25    plain `java -jar` on JDK 25 ($JAVA25)
#   appcds17  JDK 17 with an AppCDS archive (-XX:SharedArchiveFile) of the classes a training run loaded
#   aot25     JDK 25 with an AOT cache (-XX:AOTCache, JEP 483/514/515) recorded by a training run
# The training runs (not timed) start the jar once against the same database, wait until it is
# ready, send one authenticated request, and stop it: the JVM writes the archive at exit
# (bench/out/startup-app.jsa, bench/out/startup-app.aot).
#
# Every start uses the production JVM settings of README "Run" (JVM_OPTS="..." to override) and
# the production profile. Builds nothing: run `./mvnw -B package -DskipTests` first.
# Needs: curl, a MariaDB/MySQL on 127.0.0.1:3306 (root, no password), JDK 25 for the *25 modes.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-5}"
MODES="${MODES:-java17 java25 appcds17 aot25}"
PORT="${PORT:-18474}"
DB="${BENCH_DB:-mailplane_bench_start}"
JAVA17="${JAVA17:-java}"
JAVA25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
# the packaged service (JAR= to compare another build; the archives are made for the jar they train)
JAR="${JAR:-target/quarkus-app/quarkus-run.jar}"
[ -f "$JAR" ] || { echo "no $JAR: run ./mvnw -B package -DskipTests first (this script builds nothing)" >&2; exit 1; }
. bench/lib.sh
# README's production settings (PRODUCTION_JVM_OPTS in bench/lib.sh); JVM_OPTS= (empty) for the JVM's defaults
JVM_OPTS="${JVM_OPTS-$PRODUCTION_JVM_OPTS}"

pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi; pid=""; }
trap stop EXIT
CLK_TCK=$(getconf CLK_TCK)

java_of() { case "$1" in *25) echo "$JAVA25" ;; *) echo "$JAVA17" ;; esac; }
archive_opts() { # $1 mode, $2 train|use
  case "$1:$2" in
    appcds17:train) echo "-XX:ArchiveClassesAtExit=$OUT/startup-app.jsa -Xlog:cds=off -Xlog:cds+dynamic=off" ;;
    appcds17:use) echo "-XX:SharedArchiveFile=$OUT/startup-app.jsa" ;;
    aot25:train) echo "-XX:AOTCacheOutput=$OUT/startup-app.aot -Xlog:aot=off -Xlog:cds=off" ;;
    aot25:use) echo "-XX:AOTCache=$OUT/startup-app.aot" ;;
  esac
}

# One start: prints "<ms to ready> <cpu ms at ready> <rss KiB at ready>"; leaves the process in $pid.
start_once() { # $1 java, $2 extra JVM options, $3 log
  local t0 t1 ticks rss
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  "$1" $JVM_OPTS $2 -jar "$JAR" >"$3" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { echo "the service stopped; see $3" >&2; exit 1; }
    [ $(( $(date +%s%N) - t0 )) -lt $(( ${READY_TIMEOUT:-300} * 1000000000 )) ] || { echo "not ready after ${READY_TIMEOUT:-300} s; see $3" >&2; exit 1; }
    sleep 0.005
  done
  t1=$(date +%s%N)
  ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  rss=$(ps -o rss= -p "$pid" | tr -d ' ')
  echo "$(( (t1 - t0) / 1000000 )) $(( ticks * 1000 / CLK_TCK )) $rss"
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# migrate the database once (not timed), so every measured start finds it current
start_once "$JAVA17" "" "$OUT/startup-migrate.log" >/dev/null
stop

printf 'JVM options: %s\nload before: %s\n' "$JVM_OPTS" "$(uptime | sed 's/.*load average/load average/')"
for mode in $MODES; do
  java=$(java_of "$mode")
  "$java" -version 2>&1 | head -1 | sed "s/^/$mode: /"
  if [ -n "$(archive_opts "$mode" train)" ]; then
    rm -f "$OUT/startup-app.jsa" "$OUT/startup-app.aot"
    start_once "$java" "$(archive_opts "$mode" train)" "$OUT/startup-$mode-train.log" >/dev/null
    curl -fs -o /dev/null -u "master:$MAILPLANE_MASTER_PASSWORD" "$BASE/oxaas/v1/admin/resellers" || true
    stop
  fi
  : >"$OUT/startup-$mode.txt"
  for i in $(seq 1 "$RUNS"); do
    start_once "$java" "$(archive_opts "$mode" use)" "$OUT/startup-$mode-$i.log" >>"$OUT/startup-$mode.txt"
    stop
  done
  printf '%-9s ready: min=%6s ms  median=%6s ms   cpu median=%6s ms   rss median=%4s MiB   (%s runs)\n' "$mode" \
    "$(cut -d' ' -f1 "$OUT/startup-$mode.txt" | sort -n | head -1)" \
    "$(cut -d' ' -f1 "$OUT/startup-$mode.txt" | median)" \
    "$(cut -d' ' -f2 "$OUT/startup-$mode.txt" | median)" \
    "$(( $(cut -d' ' -f3 "$OUT/startup-$mode.txt" | median) / 1024 ))" "$RUNS"
done
printf 'load after: %s\n' "$(uptime | sed 's/.*load average/load average/')"
