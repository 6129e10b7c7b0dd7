#!/usr/bin/env bash
# Executes every notebooks/*.ipynb headlessly, in order, into target/notebooks/executed/, and checks that each
# cell's outputs are the committed ones (execution counts, metadata and timings aside). Exits non-zero if any cell
# raises or any output differs. Run by `mvn -B -Pnotebooks verify` (add -DskipTests for the notebooks alone).
#
#   bash notebooks/run.sh                 # all notebooks
#   bash notebooks/run.sh notebooks/01-first-layer.ipynb ...   # only these
#   bash notebooks/run.sh --update [NOTEBOOK...]   # write the executed notebooks back over the committed ones
#
# Sets up, under target/notebooks/ (each step is skipped when already done):
#   kernel/   rapaio-jupyter-kernel (a JShell-based Java kernel, from Maven Central); it needs Java 21 or newer,
#             found as $CONVLAB_KERNEL_JAVA_HOME, else the newest /usr/lib/jvm/temurin-* (21+), else $JAVA_HOME (21+)
#   jupyter/  a JUPYTER_PATH holding the kernelspec `convlab-java` (the kernel's JVM flags are set there)
#   venv/     Python with nbclient, nbformat and jupyter_client
# The project jar (target/convlab.jar + target/lib/) is built when it is missing (or, run by hand, stale); under
# `mvn -Pnotebooks verify`, which has just packaged it, this script never calls Maven to build.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$root/target/notebooks"
rjk_version=3.0.1
kernel_name=convlab-java
mkdir -p "$work"

say() { echo "notebooks: $*" >&2; }

# 1. The project jar and its dependencies. Under `mvn -Pnotebooks verify` (which sets CONVLAB_NOTEBOOKS_IN_MAVEN)
#    the package phase has just made them: never call Maven back then. By hand, also rebuild a jar older than the
#    sources.
if [ ! -f target/convlab.jar ] || [ ! -d target/lib ]; then
  say "building target/convlab.jar (mvn -q -B -Dstyle.color=never -DskipTests package)"
  mvn -q -B -Dstyle.color=never -DskipTests package
elif [ -z "${CONVLAB_NOTEBOOKS_IN_MAVEN:-}" ] \
    && [ -n "$(find src/main pom.xml -newer target/convlab.jar -print -quit 2>/dev/null)" ]; then
  say "target/convlab.jar is older than the sources; rebuilding (mvn -q -B -Dstyle.color=never -DskipTests package)"
  mvn -q -B -Dstyle.color=never -DskipTests package
fi

# 2. A Java 21+ for the kernel (the project itself targets Java 17; the kernel needs 21).
java_major() { # prints the major version of the JDK in $1, or nothing
  local home="$1" v=""
  [ -x "$home/bin/java" ] || return 0
  if [ -f "$home/release" ]; then
    v="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")"
  fi
  if [ -z "$v" ]; then
    v="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
  fi
  echo "$v"
}
kernel_java_home=""
candidates=()
[ -n "${CONVLAB_KERNEL_JAVA_HOME:-}" ] && candidates+=("$CONVLAB_KERNEL_JAVA_HOME")
best_major=0
for d in /usr/lib/jvm/temurin-*; do
  [ -d "$d" ] || continue
  m="$(java_major "$d")"
  if [ -n "$m" ] && [ "$m" -ge 21 ] && [ "$m" -gt "$best_major" ]; then best_major="$m"; best="$d"; fi
done
[ "$best_major" -gt 0 ] && candidates+=("$best")
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
for d in "${candidates[@]}"; do
  m="$(java_major "$d")"
  if [ -n "$m" ] && [ "$m" -ge 21 ]; then kernel_java_home="$d"; break; fi
done
if [ -z "$kernel_java_home" ]; then
  say "ERROR: the notebook kernel (rapaio-jupyter-kernel) needs a JDK 21 or newer, but none was found."
  say "       Looked at \$CONVLAB_KERNEL_JAVA_HOME, /usr/lib/jvm/temurin-* and \$JAVA_HOME."
  say "       Install a JDK 21+ (this project's machines have Temurin under /usr/lib/jvm) or set CONVLAB_KERNEL_JAVA_HOME;"
  say "       (the notebooks run only with: mvn -B -Pnotebooks verify; plain mvn -B verify leaves them out)"
  exit 1
fi

# 3. The kernel jar, from Maven Central.
kernel_jar="$work/kernel/rapaio-jupyter-kernel-$rjk_version.jar"
if [ ! -f "$kernel_jar" ]; then
  say "fetching io.github.padreati:rapaio-jupyter-kernel:$rjk_version"
  mvn -q -B -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
    -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$rjk_version" -DoutputDirectory="$work/kernel"
fi

# 4. The kernelspec, rewritten every run (cheap) so it always points at this checkout and this JDK.
#    JVM flags: on linux-x86_64 ND4J must pick its oneDNN native build (the one the pom ships there) before it loads;
#    no display; no warnings about native access or sun.misc.Unsafe (javacpp) cluttering the cell outputs.
spec_dir="$work/jupyter/kernels/$kernel_name"
mkdir -p "$spec_dir" "$work/mima_cache"
cat > "$spec_dir/kernel.json" <<EOF
{
  "argv": [
    "$kernel_java_home/bin/java",
    "-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2",
    "-Djava.awt.headless=true",
    "--enable-native-access=ALL-UNNAMED",
    "--sun-misc-unsafe-memory-access=allow",
    "-Xss4m",
    "-XX:+UseSerialGC",
    "-jar",
    "$kernel_jar",
    "{connection_file}"
  ],
  "display_name": "Java (convlab, rjk $rjk_version)",
  "language": "java",
  "interrupt_mode": "message",
  "env": {
    "RJK_CLASSPATH": "",
    "RJK_COMPILER_OPTIONS": "",
    "RJK_INIT_SCRIPT": "",
    "RJK_TIMEOUT_MILLIS": "-1",
    "RJK_MIMA_CACHE": "$work/mima_cache"
  }
}
EOF
# --sun-misc-unsafe-memory-access exists from Java 23 on; older JVMs refuse unknown options.
if [ "$(java_major "$kernel_java_home")" -lt 23 ]; then
  sed -i '/--sun-misc-unsafe-memory-access/d' "$spec_dir/kernel.json"
fi
# The oneDNN/AVX2 build is linux-x86_64's (the pom's native-* profiles); elsewhere ND4J loads the plain one.
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  sed -i.bak '/platform.extension=-onednn-avx2/d' "$spec_dir/kernel.json"
fi

# 5. Python with nbclient. --retries 0: pip's configured indexes are tried once each, so an unreachable
#    index (e.g. on a machine that only reaches a local mirror) costs nothing instead of minutes of retries.
venv="$work/venv"
if ! "$venv/bin/python" -c 'import nbclient, nbformat, jupyter_client' >/dev/null 2>&1; then
  say "creating $venv (nbclient, nbformat, jupyter_client)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  if ! "$venv/bin/pip" install -q --retries 0 --disable-pip-version-check nbclient nbformat jupyter_client \
      > "$work/pip.log" 2>&1; then
    cat "$work/pip.log" >&2
    say "ERROR: could not install nbclient, nbformat and jupyter_client into $venv (log above: $work/pip.log)"
    exit 1
  fi
fi

# 6. Run them.
update=()
if [ "${1:-}" = "--update" ]; then
  update=(--update)
  shift
fi
if [ "$#" -gt 0 ]; then
  notebooks=("$@")
else
  notebooks=(notebooks/*.ipynb)
fi
export JUPYTER_PATH="$work/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export JUPYTER_RUNTIME_DIR="$work/runtime"
export JUPYTER_PLATFORM_DIRS=1
say "kernel on $kernel_java_home (Java $(java_major "$kernel_java_home"))"
exec "$venv/bin/python" notebooks/execute.py "${update[@]}" "$kernel_name" "${notebooks[@]}"
