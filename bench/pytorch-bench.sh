#!/usr/bin/env bash
# Times PyTorch (Debian's python3-torch) on the reference workload with Debian's OpenBLAS (OpenMP build), its
# AVX-512 kernels selected (the strongest PyTorch configuration on this machine kind) unless AVX512=0 or the CPU has
# no AVX-512 (OpenBLAS' SkylakeX kernels die with SIGILL there; OpenBLAS then picks its own kernels).
# usage: bench/pytorch-bench.sh [CELLS ROUNDS STEPS WARMUP]   (threads: $THREADS, default 2)
# Installs python3-torch and libopenblas0-openmp with apt when missing (needs root).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
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
if [ "${AVX512:-1}" = 1 ] && grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX; fi
exec /usr/bin/python3 "$here/pytorch_bench.py" "${1:-lstm,gru,rnn}" "${2:-5}" "${3:-20}" "${4:-30}" "$nt"
