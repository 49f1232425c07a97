# The README's two commands: `make run` (Stride's main job on built-in data) and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
# ccache (CMakeLists.txt) keys on paths relative to the clone, so every clone shares one cache.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

.PHONY: deps deps-slurm deps-mcu build run test slurm-test mcu-test vtest asan-test fuzz arm64 arm64-test arm64-smoke clean

deps:
	bash scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

run: build
	bash scripts/main-job.sh $(BUILD)/src/stride

# The engine's suite runs again as on CPUs without AVX-512 (and without AVX): oneDNN picks other
# kernels there, and the tests assert that none of them is a reference one; the exported C is checked
# against the engine there too (without VNNI the engine's int8 weights are 7-bit: docs/mcu.md).
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(BUILD) && ONEDNN_MAX_CPU_ISA=AVX2 ctest --output-on-failure -j $(JOBS) -L 'test_onednn|test_quant|test_mcu'
	cd $(BUILD) && ONEDNN_MAX_CPU_ISA=SSE41 ctest --output-on-failure -j $(JOBS) -L 'test_onednn|test_quant|test_mcu'

# The study through a real Slurm (scripts/slurm/slurm-test.sh): a single-node Slurm started on this
# machine under a temporary folder, the quick study run locally (--jobs 1, --jobs 2) and as Slurm
# jobs, the results compared. Slurm is installed only for this (make deps-slurm), never for `make test`,
# whose study tests need no Slurm (they check the job scripts). STRIDE_SLURM_TEST_MODELS=cnn2d: a third of it.
deps-slurm:
	bash scripts/install-deps.sh --slurm

slurm-test: build deps-slurm
	STRIDE_SLURM_TEST_MODELS=$(STRIDE_SLURM_TEST_MODELS) bash scripts/slurm/slurm-test.sh $(BUILD)/src/stride

# The firmware harness of `stride export-c` (docs/mcu.md) cross-built with arm-none-eabi-gcc and run
# under qemu-system-arm on each emulated Cortex-M board: only the test_mcu suites that need the cross
# tools (a build configured without them has none of those tests). The cross tools are installed only for this.
deps-mcu:
	bash scripts/install-deps.sh --mcu

mcu-test: deps deps-mcu
	STRIDE_REQUIRE_MCU_TOOLS=1 cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS) --target test_mcu
	$(BUILD)/tests/test_mcu --gtest_filter='*FirmwareEmulated*'

# `stride video track` on OpenCV's sample vtest.avi, fetched from Debian's opencv-doc and checked by
# its hash (scripts/vtest.sh, docs/video.md): determinism, track lengths, the annotated video.
vtest: build
	bash scripts/vtest.sh $(BUILD)/src/stride out/vtest

# Unit tests under AddressSanitizer + UndefinedBehaviorSanitizer (LibTorch-linked tests left out:
# the prebuilt LibTorch is not instrumented and trips ASan's container-overflow checks; the Python
# module too: an instrumented extension cannot load into Debian's uninstrumented python3).
asan-test: deps
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRIDE_SANITIZE=ON -DSTRIDE_WITH_TORCH=OFF \
	  -DSTRIDE_WITH_PYTHON=OFF
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

# libFuzzer targets (fuzz/, docs/fuzzing.md): a clang build of the readers' libraries under ASan +
# UBSan, seed corpora made by the release build's `stride` (any build writes the same files, and the
# instrumented CLI would double the build), then each target for FUZZ_SECONDS, one after the other.
# Fails on any crash, leak, timeout or out-of-memory input.
FUZZ_SECONDS ?= 60
FUZZ_BUILD ?= build-fuzz
FUZZ_TARGETS := fuzz_onnx_import fuzz_npy fuzz_tensor_pb fuzz_frame_loader
fuzz: build
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRIDE_FUZZ=ON \
	  -DSTRIDE_WITH_TORCH=OFF -DSTRIDE_BUILD_TESTS=OFF $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(FUZZ_TARGETS)
	bash fuzz/make_corpus.sh $(BUILD)/src/stride $(FUZZ_BUILD)/corpus
	bash fuzz/run_fuzzers.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# arm64 (Raspberry Pi 4, Jetson CPUs), proven here under emulation (docs/runtime.md): the runtime, its
# modules' tests and the `stride` tool's dataset-free commands (zoo, info, run, bench) cross-built into
# build-arm64/ against an arm64 Debian root made without emulation (build-arm64/sysroot), then run
# under qemu as a Cortex-A72 (Pi 4) and a Cortex-A57 (Jetson Nano): the tests, and every zoo model's
# outputs against the x86 tool's. Correctness only: emulated timings mean nothing.
ARM64_BUILD ?= build-arm64
arm64:
	bash scripts/arm64/install-cross-tools.sh
	bash scripts/arm64/make-sysroot.sh $(ARM64_BUILD)/sysroot
	cmake -S . -B $(ARM64_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-arm64.cmake \
	  -DSTRIDE_SYSROOT=$(CURDIR)/$(ARM64_BUILD)/sysroot -DSTRIDE_RUNTIME_ONLY=ON
	cmake --build $(ARM64_BUILD) -j $(JOBS) $(if $(ARM64_TARGETS),--target $(ARM64_TARGETS))

arm64-test: arm64 build
	cd $(ARM64_BUILD) && QEMU_CPU=cortex-a72 ctest --output-on-failure -j $(JOBS)
	cd $(ARM64_BUILD) && QEMU_CPU=cortex-a57 ctest --output-on-failure -j $(JOBS)
	QEMU_CPU=cortex-a72 bash scripts/arm64/zoo-outputs.sh $(BUILD)/src/stride $(ARM64_BUILD)
	QEMU_CPU=cortex-a57 bash scripts/arm64/zoo-outputs.sh $(BUILD)/src/stride $(ARM64_BUILD)

# CI's share of the above (the whole of it takes over 20 minutes of emulation): the board tool and the
# backend choice's tests cross-built, `auto` checked under qemu as a Pi 4, and cnn2d's arm64 outputs
# against the x86 ones.
arm64-smoke: build
	$(MAKE) arm64 ARM64_TARGETS="stride test_select"
	cd $(ARM64_BUILD)/tests && QEMU_CPU=cortex-a72 qemu-aarch64-static -L ../sysroot ./test_select
	QEMU_CPU=cortex-a72 bash scripts/arm64/zoo-outputs.sh $(BUILD)/src/stride $(ARM64_BUILD) cnn2d

clean:
	rm -rf $(BUILD) build-asan $(FUZZ_BUILD) $(ARM64_BUILD)
