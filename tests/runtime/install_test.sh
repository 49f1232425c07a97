#!/usr/bin/env bash
# The runtime as an application developer gets it: `cmake --install` into a prefix, then C programs
# built with pkg-config alone (the example and zoo_match.c) and a CMake project using
# find_package(stride-runtime). Every zoo model is loaded from a buffer and run on ref, onednn,
# xnnpack and auto, and must match `stride run` (ref) on the same random inputs; the example's class
# must be the arg-max of `stride run`'s scores.
# usage: install_test.sh BUILD_DIR SOURCE_DIR STRIDE_BINARY
set -euo pipefail
build=$1 src=$2 stride=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

cmake --install "$build" --prefix "$prefix" --component runtime >/dev/null
pc=$(dirname "$(find "$prefix" -name stride-runtime.pc)")
export PKG_CONFIG_PATH=$pc
lib=$(pkg-config --variable=libdir stride-runtime)
test -e "$lib/libstride_runtime.so" || { echo "no libstride_runtime.so in $lib"; exit 1; }
soname=$(objdump -p "$lib/libstride_runtime.so" | awk '/SONAME/ {print $2}')
[[ $soname == libstride_runtime.so.* ]] || { echo "unexpected soname '$soname'"; exit 1; }

flags=(-std=c99 -Wall -Wextra -Werror -O1)
# shellcheck disable=SC2046  # pkg-config's words are separate arguments
cc "${flags[@]}" "$src/examples/classify.c" $(pkg-config --cflags --libs stride-runtime) -o "$work/classify"
# shellcheck disable=SC2046
cc "${flags[@]}" "$src/tests/runtime/zoo_match.c" $(pkg-config --cflags --libs stride-runtime) -lm -o "$work/zoo_match"
export LD_LIBRARY_PATH=$lib

for model in cnn2d cnn3d cnn3dto2d gaitset; do
  options=()
  [[ $model == gaitset ]] || options=(--classes 17)  # a softmax head for the example to classify with
  "$stride" zoo build "$model" "${options[@]}" -o "$work/$model.onnx" >/dev/null
  "$stride" run "$work/$model.onnx" --random --seed 3 --backend ref -o "$work/$model" >/dev/null
  for backend in ref onednn xnnpack auto; do
    "$work/zoo_match" "$work/$model.onnx" "$backend" "$work/$model"
  done
done

# The example classifies cnn2d's random sample as `stride run` did: the arg-max of its probabilities.
expected=$(/usr/bin/python3 -c 'import sys, numpy; print(int(numpy.load(sys.argv[1]).argmax()))' \
  "$work/cnn2d/probabilities.npy")
answer=$("$work/classify" "$work/cnn2d.onnx" "$work/cnn2d/flow.npy")
echo "example: $answer (stride run: class $expected)"
[[ $answer == "class $expected "* ]] || { echo "FAIL: the example's class differs from stride run's"; exit 1; }
if "$work/classify" "$work/cnn2d.onnx" "$work/cnn2d.onnx" 2>"$work/err"; then
  echo "FAIL: the example accepted a model file as a sample"; exit 1
fi
grep -q "is not a float32 .npy file" "$work/err"

# A CMake project finds the installed package and links stride::runtime.
mkdir -p "$work/consumer"
cat >"$work/consumer/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(consumer C)
find_package(stride-runtime 0.1 REQUIRED)
add_executable(classify $src/examples/classify.c)
target_link_libraries(classify PRIVATE stride::runtime)
CMAKE
cmake -S "$work/consumer" -B "$work/consumer/build" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/consumer/build" >/dev/null
# The class, not the engine: `auto` times onednn and xnnpack afresh in each process and may take either.
[[ $("$work/consumer/build/classify" "$work/cnn2d.onnx" "$work/cnn2d/flow.npy") == "class $expected "* ]]
echo "installed runtime: pkg-config and CMake consumers built and matched"
