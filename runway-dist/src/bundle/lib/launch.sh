# launch.sh: what Runway's two launchers share (sourced, not run): the bundle's bin/runway and the
# checkout's ./runway. Finds the Java runtime, chooses the JVM flags for the command, and trains and
# uses the start-up archive: a dynamic class-data-sharing archive (runway.jsa) on Java 17 to 24, an
# ahead-of-time cache (runway.aot, JEP 483/514/515: classes loaded and linked, method profiles) on
# Java 25 and newer.
#
# Environment: RUNWAY_JAVA, else the bundle's own runtime (the self-contained bundle's runtime/), else
# JAVA_HOME, else java on PATH (which Java); RUNWAY_JAVA_OPTS (extra JVM flags, added by the caller);
# RUNWAY_CDS=off (no archive: neither trained nor used).

# runway_find_java [RUNTIME_DIR]: sets java, java_version and java_major; exit 2 with one line when there is
# no Java 17 or newer. RUNTIME_DIR is a bundle's own runtime, used when it is there and RUNWAY_JAVA is not set:
# a bundle that brings its runtime means it, whatever JAVA_HOME the machine has for its builds.
runway_find_java() {
  if [ -n "${RUNWAY_JAVA:-}" ]; then
    java="$RUNWAY_JAVA"
  elif [ -n "${1:-}" ] && [ -x "$1/bin/java" ]; then
    java="$1/bin/java"
  elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    java="$JAVA_HOME/bin/java"
  else
    java=""
    # hash (a built-in) finds it on PATH without a subshell
    if hash java 2>/dev/null; then
      java="${BASH_CMDS[java]}"
    fi
  fi
  if [ -z "$java" ] || [ ! -x "$java" ]; then
    echo "runway: error: no Java runtime found: install Java 17 or newer, or set JAVA_HOME" >&2
    exit 2
  fi
  # The version from the runtime's release file (no JVM start), else from java -version. Shell built-ins
  # where they do (no dirname, sed or cat): each program a launcher starts costs a few milliseconds,
  # which a command that takes a quarter of a second notices (issue #15).
  java_real="$(readlink -f "$java")"
  local release="${java_real%/*/*}/release" line
  java_version=""
  if [ -f "$release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        JAVA_VERSION=\"*) line="${line#JAVA_VERSION=\"}"; java_version="${line%%\"*}"; break ;;
      esac
    done < "$release"
  fi
  if [ -z "$java_version" ]; then
    java_version="$("$java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)"
  fi
  java_major="${java_version#1.}"
  java_major="${java_major%%[!0-9]*}"
  if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then
    echo "runway: error: $java is Java ${java_version:-of unknown version}; Runway needs Java 17 or newer (set JAVA_HOME)" >&2
    exit 2
  fi
}

# Sets opts for running the CLI as COMMAND_NAME with the given arguments.
# C1 only and the serial collector: a release command is short-lived, so start-up is what it pays.
# Except for a release that backs up, or a restore: those hash the whole dump with SHA-256, which only
# C2 runs on the CPU's SHA instructions (500 MB: 6.8 s of CPU under C1 alone, 0.7 s with C2), so they
# keep the full JIT for about 0.15 s more start-up (docs/backup.md).
runway_jvm_opts() {
  local name="$1"
  shift
  opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss512k "-Drunway.command=$name")
  if runway_hashes_dumps "$@"; then
    opts=("${opts[@]:1}")
  elif runway_few_cpus && [[ "${RUNWAY_JAVA_OPTS:-}" != *TieredStopAtLevel* && "${RUNWAY_JAVA_OPTS:-}" != *CICompilerCount* ]]; then
    opts+=(-XX:CICompilerCount=1)
  fi
  if runway_thp_on_request; then
    opts+=(-XX:+UseTransparentHugePages)
  fi
}

# True when the kernel gives transparent huge pages to memory that asks for them (enabled = madvise): then the
# JVM asks for its heap. A short command never collects garbage, so every object lands on a page touched for
# the first time, and the kernel's faults and zeroing of 4 KB pages were a fifth of check --static's CPU; 2 MB
# pages cut them (check --static on 1,000 files: 0.49 -> 0.42 s CPU; no-op release at 1,000 applied: 0.45 ->
# 0.42 s; peak RSS ~10 MB more). Not without the file (no THP in the kernel, or not Linux:
# the JVM would print a warning on stdout), nor with never, nor with always (the kernel does it anyway).
runway_thp_on_request() {
  local f=/sys/kernel/mm/transparent_hugepage/enabled line=""
  [ -r "$f" ] || return 1
  read -r line < "$f" || true
  case "$line" in
    *"[madvise]"*) return 0 ;;
    *) return 1 ;;
  esac
}

# True when the machine has one or two CPUs online (/sys/devices/system/cpu/online, e.g. 0-1): then one JIT
# compiler thread. In its C1-only mode Java 17 starts two there, where Java 25 starts one; the second competes with
# the main thread for the two cores, and during a release with the database server when it runs on the same machine.
# One (medians of 30 alternated runs on 2 cores, Java 17): check --static on 1,000 files 241 -> 230 ms, no-op release
# at 1,000 applied 314 -> 295 ms, applying 1,000 migrations 2.46 -> 2.35 s (client CPU 0.81 -> 0.73 s). Not with C2
# (it needs two threads, one per compiler), nor when RUNWAY_JAVA_OPTS chooses the JIT itself, nor when the count
# cannot be read: the JVM's own choice then.
runway_few_cpus() {
  local f=/sys/devices/system/cpu/online line="" part n=0
  [ -r "$f" ] || return 1
  read -r line < "$f" || true
  local IFS=,
  for part in $line; do
    if [[ "$part" =~ ^([0-9]+)-([0-9]+)$ ]]; then
      n=$((n + BASH_REMATCH[2] - BASH_REMATCH[1] + 1))
    elif [[ "$part" =~ ^[0-9]+$ ]]; then
      n=$((n + 1))
    else
      return 1
    fi
  done
  [ "$n" -ge 1 ] && [ "$n" -le 2 ]
}

runway_hashes_dumps() {
  case "${1:-}" in
    backup) return 0 ;;
    release) ;;
    *) return 1 ;;
  esac
  [ -n "${RUNWAY_BACKUP:-}" ] && return 0
  local a prev="" config="runway.toml"
  for a in "$@"; do
    case "$a" in
      --backup | --backup=*) return 0 ;;
      --config=*) config="${a#--config=}" ;;
    esac
    [ "$prev" = "--config" ] && config="$a"
    prev="$a"
  done
  [ -f "$config" ] || return 1
  local line re='^[[:space:]]*backup[[:space:]]*='
  while IFS= read -r line || [ -n "$line" ]; do
    [[ "$line" =~ $re ]] && return 0
  done < "$config"
  return 1
}

# runway_main JAR: sets main to the arguments that run the CLI of JAR: its main class on the class path, not -jar JAR.
# -jar opens the jar (8,000 entries) and reads its manifest before anything runs; named on the class path, a jar is
# opened only for a class the start-up archive lacks, and a static check finds all of its classes there (check
# --static on 1,000 files: 3 % fewer instructions, medians of 3 under valgrind). The archive records the same class path.
# The manifest holds nothing else that only -jar reads (Add-Opens, Launcher-Agent-Class): keep it so.
runway_main() {
  main=(-cp "$1" dev.runway.cli.Main)
}

# runway_start_archive JAR DIR TRAINING_ARG...: trains the start-up archive in DIR when there is none
# for this runtime and jar (or the runtime or the jar changed since), then adds the flags that use it
# to opts. Training runs the CLI's hidden __cds-training command (one release of the example
# migrations against a throw-away lab server) once. When training fails (some Java builds cannot
# write an AOT cache for every program), it says so once and runs without an archive until the
# runtime or the jar changes.
runway_start_archive() {
  local jar="$1" dir="$2"
  shift 2
  [ "${RUNWAY_CDS:-on}" = "off" ] && return 0
  local archive train use
  if [ "$java_major" -ge 25 ]; then
    archive="$dir/runway.aot"
    train=-XX:AOTCacheOutput=
    use=(-XX:AOTCache="$archive" -Xlog:aot=off -Xlog:cds=off)
  else
    archive="$dir/runway.jsa"
    train=-XX:ArchiveClassesAtExit=
    use=(-XX:SharedArchiveFile="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
  # An archive belongs to one runtime and one jar: retrain when either changes. The key file names the
  # runtime; the jar it was trained with is the one whose modification time the stamp file carries
  # (touch -r), compared with the shell's own tests rather than stat: no program started on every run.
  local key="$java_real $java_version" state="" stamp="$archive.stamp"
  { read -r state < "$archive.key"; } 2>/dev/null || true
  if [ ! -f "$stamp" ] || [ "$jar" -nt "$stamp" ] || [ "$jar" -ot "$stamp" ]; then
    state="" # another jar
  fi
  if [ "$state" = "$key failed" ]; then
    return 0
  fi
  if [ "$state" != "$key" ] || [ ! -s "$archive" ]; then
    mkdir -p "$dir" 2>/dev/null || return 0
    echo "runway: training the start-up archive (once per Java and Runway version; RUNWAY_CDS=off skips it)..." >&2
    local tmp="$archive.$$.tmp"
    # the JVM's crash report of a failed training goes nowhere: the run goes on without an archive
    local main
    runway_main "$jar"
    if "$java" "${opts[@]}" "$train$tmp" -Xlog:cds=off -XX:ErrorFile=/dev/null "${main[@]}" __cds-training "$@" \
        >/dev/null 2>&1 && [ -s "$tmp" ]; then
      mv -f "$tmp" "$archive" && touch -r "$jar" "$stamp" && printf '%s\n' "$key" > "$archive.key" && state="$key"
    else
      echo "runway: could not train the start-up archive with Java $java_version; running without it" >&2
      touch -r "$jar" "$stamp" 2>/dev/null && printf '%s failed\n' "$key" > "$archive.key" 2>/dev/null || true
    fi
    rm -f "$tmp" "$tmp.config"
  fi
  if [ -s "$archive" ] && [ "$state" = "$key" ]; then
    opts+=("${use[@]}")
  fi
}
