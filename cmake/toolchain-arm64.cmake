# Cross-building for arm64 (Raspberry Pi 4, Jetson CPUs) against the Debian root that
# scripts/arm64/make-sysroot.sh makes: Debian's cross compilers, the root's headers and libraries,
# and qemu-aarch64-static to run what the build runs (GoogleTest's test discovery) and the tests.
# usage: cmake -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-arm64.cmake -DSTRIDE_SYSROOT=DIR ...
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES STRIDE_SYSROOT)  # compiler checks need it too
if(NOT STRIDE_SYSROOT)
  message(FATAL_ERROR "set STRIDE_SYSROOT to the arm64 root (scripts/arm64/make-sysroot.sh makes one)")
endif()
set(CMAKE_SYSROOT ${STRIDE_SYSROOT})
set(CMAKE_FIND_ROOT_PATH ${STRIDE_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# The CPU is chosen per run by QEMU_CPU (make arm64-test runs cortex-a72 and cortex-a57).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static;-L;${STRIDE_SYSROOT})
