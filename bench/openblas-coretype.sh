# Sourced by pytorch-bench.sh (and by examples' OpenBlasCoreTypeTest): which OpenBLAS core type to force.
#
# openblas_coretype [CPUINFO] [AVX512]
#   prints SkylakeX (OpenBLAS' AVX-512 kernels, the fastest PyTorch configuration on AVX-512 machines) when the
#   "flags" lines of CPUINFO (default /proc/cpuinfo) list avx512f and AVX512 (default 1) is 1; prints nothing
#   otherwise, which leaves OpenBLAS to pick its kernels for the CPU (Haswell or Zen ones on AVX2 machines): forcing
#   SkylakeX there kills the process with SIGILL (exit status 132).
openblas_coretype() {
  local cpuinfo=${1:-/proc/cpuinfo} avx512=${2:-1}
  # one grep, no pipe: under pipefail, grep -q leaving a pipe early could fail the test on a large cpuinfo
  if [ "$avx512" = 1 ] && grep -qE '^flags[[:space:]]*:(.*[[:space:]])?avx512f([[:space:]]|$)' "$cpuinfo" 2>/dev/null; then
    echo SkylakeX
  fi
}
