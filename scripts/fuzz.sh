#!/usr/bin/env bash
# Fuzzes the readers of outside data with Jazzer (its fuzzing mode, JAZZER_FUZZ=1), one target at a time, each for
# the maxDuration its @FuzzTest names (10 minutes).
#   scripts/fuzz.sh                 every target, one after another (about 70 minutes)
#   scripts/fuzz.sh csv importBytes the named targets only
# Targets: idxBytes idxFile modelFile specText csv charText (api, ReaderFuzzTest) and importBytes (onnx,
# OnnxImportFuzzTest). An input that breaks the fuzz contract (an undocumented exception, a refusal without a message,
# an allocation out of proportion to the input, a hang) stops that target, is written into the target's corpus folder
# under src/test/resources/.../<Class>Inputs/<target>/ and is then replayed by every normal build: commit it with the
# fix. Inputs that only reached new code go to <module>/.cifuzz-corpus/ (not committed) and seed the next run.
# Environment: RECURRA_FUZZ_MAVEN_ARGS extra arguments for every mvn call (for example -o); RECURRA_FUZZ_SKIP_BUILD=1
# skips the install step (when another run of this script has just done it).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
read -r -a mvnargs <<< "${RECURRA_FUZZ_MAVEN_ARGS:-}"
declare -A module=([idxBytes]=api [idxFile]=api [modelFile]=api [specText]=api [csv]=api [charText]=api
  [importBytes]=onnx)
declare -A class=([api]=io.github.recurra.api.fuzz.ReaderFuzzTest [onnx]=io.github.recurra.onnx.OnnxImportFuzzTest)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(idxBytes idxFile modelFile specText csv charText importBytes)
for t in "${targets[@]}"; do
  [ -n "${module[$t]:-}" ] || { echo "fuzz: no target '$t'; the targets are ${!module[*]}" >&2; exit 2; }
done

cd "$root"
if [ "${RECURRA_FUZZ_SKIP_BUILD:-}" != 1 ]; then
  mvn -q -B "${mvnargs[@]}" -pl api,onnx -am install -DskipTests || { echo "fuzz: the build failed" >&2; exit 1; }
fi
failed=()
for t in "${targets[@]}"; do
  m=${module[$t]}
  echo "fuzz: $t (${class[$m]}) for its maxDuration, from $(date -u +%H:%M:%S) UTC"
  if (cd "$root/$m" && JAZZER_FUZZ=1 mvn -q -B "${mvnargs[@]}" surefire:test -Dtest="${class[$m]}#$t" \
      -Dsurefire.failIfNoSpecifiedTests=false); then
    echo "fuzz: $t: no finding"
  else
    echo "fuzz: $t: FINDING (see the output above and the new file in its corpus folder)"
    failed+=("$t")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} target(s), no finding"
