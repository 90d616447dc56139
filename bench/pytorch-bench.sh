#!/usr/bin/env bash
# Times PyTorch (Debian's python3-torch) on the reference workload with Debian's OpenBLAS (OpenMP build). On a CPU with
# AVX-512 (flag avx512f) it forces OpenBLAS' AVX-512 kernels (OPENBLAS_CORETYPE=SkylakeX, the strongest PyTorch
# configuration on that machine kind) unless AVX512=0; on any other CPU OpenBLAS picks its own kernels (Haswell or
# Zen on AVX2 machines), since SkylakeX dies with SIGILL there. An OPENBLAS_CORETYPE already in the environment wins.
# The choice is openblas_coretype in openblas-coretype.sh; the peer prints which core type and which BLAS library ran,
# in its header and on every BENCH line (blas=... openblas_core=...).
# usage: bench/pytorch-bench.sh [CELLS ROUNDS STEPS WARMUP [MODE]]   (threads: $THREADS, default 2; MODE bench,
# sweep or serve, see pytorch_bench.py)
# Installs python3-torch and libopenblas0-openmp with apt when missing (needs root).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=openblas-coretype.sh
. "$here/openblas-coretype.sh"
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "# installing python3-torch (Debian) for the peer benchmark" >&2
  apt-get update -qq && apt-get install -y -qq python3-torch >/dev/null
fi
ob=/usr/lib/x86_64-linux-gnu/openblas-openmp
if [ ! -e "$ob/libblas.so.3" ]; then
  apt-get install -y -qq libopenblas0-openmp >/dev/null
fi
nt=${THREADS:-2}
export OMP_NUM_THREADS=$nt OPENBLAS_NUM_THREADS=$nt LD_LIBRARY_PATH=$ob
if [ -n "${OPENBLAS_CORETYPE:-}" ]; then
  echo "# OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE from the environment"
else
  core=$(openblas_coretype /proc/cpuinfo "${AVX512:-1}")
  if [ -n "$core" ]; then
    export OPENBLAS_CORETYPE=$core
    echo "# avx512f present: OPENBLAS_CORETYPE=$core (OpenBLAS' AVX-512 kernels)"
  else
    echo "# no avx512f (or AVX512=0): OPENBLAS_CORETYPE unset, OpenBLAS picks its kernels for this CPU"
  fi
fi
exec /usr/bin/python3 "$here/pytorch_bench.py" "${1:-lstm,gru,rnn}" "${2:-5}" "${3:-20}" "${4:-30}" "$nt" "${5:-bench}"
