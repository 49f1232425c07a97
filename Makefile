# The README's two commands: `make run` (Stride's main job on built-in data) and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: deps build run test asan-test clean

deps:
	bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

run: build
	bash scripts/main-job.sh $(BUILD)/src/stride

# The engine's suite runs again as on CPUs without AVX-512 (and without AVX): oneDNN picks other
# kernels there, and the tests assert that none of them is a reference one.
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(BUILD) && ONEDNN_MAX_CPU_ISA=AVX2 ctest --output-on-failure -j $(JOBS) -L 'test_onednn|test_quant'
	cd $(BUILD) && ONEDNN_MAX_CPU_ISA=SSE41 ctest --output-on-failure -j $(JOBS) -L 'test_onednn|test_quant'

# Unit tests under AddressSanitizer + UndefinedBehaviorSanitizer (LibTorch-linked tests left out:
# the prebuilt LibTorch is not instrumented and trips ASan's container-overflow checks).
asan-test: deps
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRIDE_SANITIZE=ON -DSTRIDE_WITH_TORCH=OFF
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD) build-asan
