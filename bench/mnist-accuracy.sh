#!/usr/bin/env bash
# Test accuracy of the tutorial's variants on all 10,000 MNIST test images, Recurra (CPU backend) and PyTorch
# (Debian's python3-torch) on the same data, budget and seeds. Prints one ACC line per run.
# usage: bench/mnist-accuracy.sh [SEEDS] [EXAMPLES] [CELLS]    e.g. bench/mnist-accuracy.sh 0,1,2 100000 basic-lstm,gru,rnn
set -euo pipefail
home=$(cd "$(dirname "$0")/.." && pwd)
seeds=${1:-0,1,2}; examples=${2:-100000}; cells=${3:-basic-lstm,gru,rnn}
data=${RECURRA_DATA:-$HOME/.cache/recurra/mnist}
"$home/scripts/fetch-mnist.sh" "$data" >&2
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  apt-get update -qq && apt-get install -y -qq python3-torch >/dev/null
fi
ob=/usr/lib/x86_64-linux-gnu/openblas-openmp
[ -e "$ob/libblas.so.3" ] || apt-get install -y -qq libopenblas0-openmp >/dev/null
for seed in ${seeds//,/ }; do
  for cell in ${cells//,/ }; do
    acc=$("$home/recurra" mnist --cell "$cell" --seed "$seed" --examples "$examples" --data "$data" --no-progress \
      2>/dev/null | sed -n 's/^Testing Accuracy: \([0-9.]*\).*/\1/p')
    echo "ACC impl=recurra-cpu cell=$cell seed=$seed examples=$examples test_acc=$acc"
  done
  OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 LD_LIBRARY_PATH=$ob \
    /usr/bin/python3 "$home/bench/pytorch_mnist.py" "$data" "$cells" "$examples" "$seed"
done
