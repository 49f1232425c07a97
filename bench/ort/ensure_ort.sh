# Sourced by the benchmarks that run ONNX Runtime: checks for Node.js and installs onnxruntime-node
# into bench/ort/node_modules on first use (from the npm registry).
command -v node > /dev/null || { echo "Node.js is needed for ONNX Runtime (apt-get install nodejs npm)" >&2; exit 2; }
if [ ! -d bench/ort/node_modules/onnxruntime-node ]; then
  # --ignore-scripts: the install script only downloads GPU libraries; the CPU library is in the package.
  npm --prefix bench/ort ci --ignore-scripts --no-audit --no-fund
fi
