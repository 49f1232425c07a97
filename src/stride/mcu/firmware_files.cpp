#include "stride/mcu/firmware_files.h"

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stride/core/atomic_file.h"
#include "stride/core/error.h"

namespace stride::mcu {
namespace {

// The same for every board: runs the model and prints its OUTPUT and STACK lines.
constexpr std::string_view kMainC =
    R"c(/* Runs the model once on its test input and prints its output, then the stack it used:
 *   OUTPUT <count> <v0> <v1> ...   (uint8 values when STRIDE_MODEL_OUTPUT_UNSIGNED, f32 ones (%.9g)
 *                                  when STRIDE_MODEL_OUTPUT_FLOAT, else int8)
 *   STACK <bytes>                  (STACK n/a on the host)
 * On the board the stack below main's frame is painted before the run and the bytes the run
 * reached are counted right after it: the model's stack, with main's frames, not printf's.
 * Exits with 1 when stride_model_run fails (startup.c stops the firmware on a stack overflow).
 * Portable C99: the same file builds for the host, for Cortex-M (with startup.c, which defines
 * STRIDE_BARE_METAL's stack functions) and for any other C99 toolchain. */
#include <stdint.h>
#include <stdio.h>

#include "stride_model.h"
#include "stride_test_input.h"

#ifdef STRIDE_BARE_METAL
void stride_stack_paint(void);
unsigned long stride_stack_used(void); /* stops the firmware when the run overflowed the stack */
#endif

#if defined(STRIDE_MODEL_OUTPUT_FLOAT) && STRIDE_MODEL_OUTPUT_FLOAT
static float stride_output[STRIDE_MODEL_OUTPUT_COUNT];
#else
static int8_t stride_output[STRIDE_MODEL_OUTPUT_COUNT];
#endif

int main(void) {
#ifdef STRIDE_BARE_METAL
  stride_stack_paint();
#endif
  const int status = stride_model_run(stride_test_input, stride_output);
#ifdef STRIDE_BARE_METAL
  const unsigned long stack = stride_stack_used();
#endif
  if (status != 0) {
    printf("FAILED stride_model_run returned %d\n", status);
    return 1;
  }
  printf("OUTPUT %ld", (long)STRIDE_MODEL_OUTPUT_COUNT);
  for (long i = 0; i < (long)STRIDE_MODEL_OUTPUT_COUNT; ++i) {
#if defined(STRIDE_MODEL_OUTPUT_FLOAT) && STRIDE_MODEL_OUTPUT_FLOAT
    printf(" %.9g", (double)stride_output[i]);
#elif STRIDE_MODEL_OUTPUT_UNSIGNED
    printf(" %u", (unsigned)(uint8_t)stride_output[i]);
#else
    printf(" %d", (int)stride_output[i]);
#endif
  }
  printf("\n");
#ifdef STRIDE_BARE_METAL
  printf("STACK %lu\n", stack);
#else
  printf("STACK n/a\n");
#endif
  return 0;
}
)c";

// Cortex-M only: the vector table, the reset handler (.data copied, .bss cleared, the FPU enabled,
// semihosting opened, exit(main())), the stack's painting and measurement, and the heap's bounds.
constexpr std::string_view kStartupC =
    R"c(/* Start-up for Cortex-M under semihosting: the vector table, the reset handler, the stack's
 * high-water mark, and malloc's memory between the stack's reserve and the end of RAM. Cortex-M only;
 * the host build leaves it out. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Laid out by board.ld. */
extern uint32_t stride_data_load, stride_data_start, stride_data_end;
extern uint32_t stride_bss_start, stride_bss_end;
extern uint32_t stride_stack_limit, stride_stack_top;
extern char end, stride_heap_limit; /* the heap's bounds */

extern void initialise_monitor_handles(void);
extern int main(void);

void stride_reset_handler(void);
void stride_fault_handler(void);
void stride_stack_paint(void);
unsigned long stride_stack_used(void);
void* _sbrk(ptrdiff_t increment);
void _init(void);
void _fini(void);

/* A word no program is likely to leave on its stack (not one byte repeated, so that the
 * painting loop stays a loop of stores instead of a call to memset). */
#define STRIDE_STACK_PAINT 0x5A17C0DEu

/* Semihosting calls (SYS_WRITE0, SYS_EXIT): what the fault handler can still do. */
static void stride_semihost(uint32_t operation, const void* argument) {
  register uint32_t r0 __asm("r0") = operation;
  register const void* r1 __asm("r1") = argument;
  __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
}

/* Any fault or unexpected exception: say so and stop the emulator with a failure, instead of
 * spinning until the run's timeout. */
void stride_fault_handler(void) {
  stride_semihost(0x04u, "FAULT: the firmware took an exception (a bad access, or a stack overflow)\n");
  stride_semihost(0x18u, (const void*)0x20023u); /* ADP_Stopped_RunTimeErrorUnknown */
  for (;;) {
  }
}

__attribute__((section(".vectors"), used)) static void* const stride_vectors[16] = {
    &stride_stack_top,            /* initial stack pointer */
    (void*)stride_reset_handler,  /* reset */
    (void*)stride_fault_handler,  /* NMI */
    (void*)stride_fault_handler,  /* HardFault */
    (void*)stride_fault_handler,  /* MemManage */
    (void*)stride_fault_handler,  /* BusFault */
    (void*)stride_fault_handler,  /* UsageFault */
    (void*)stride_fault_handler,  /* SecureFault (Armv8-M), else reserved */
    0, 0, 0,                      /* reserved */
    (void*)stride_fault_handler,  /* SVCall */
    (void*)stride_fault_handler,  /* DebugMonitor */
    0,                            /* reserved */
    (void*)stride_fault_handler,  /* PendSV */
    (void*)stride_fault_handler,  /* SysTick */
};

void stride_reset_handler(void) {
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
  /* Full access to coprocessors 10 and 11 (the FPU, and MVE on Armv8.1-M): CPACR bits 20-23. */
  *(volatile uint32_t*)0xE000ED88u |= 0xFu << 20;
  __asm volatile("dsb\n\tisb" ::: "memory");
#endif
#if defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8_1M_MAIN__)
  /* Armv8-M checks the stack pointer against a limit: an overflow faults instead of corrupting RAM. */
  __asm volatile("msr msplim, %0" ::"r"(&stride_stack_limit));
#endif
  const uint32_t* from = &stride_data_load;
  for (uint32_t* to = &stride_data_start; to < &stride_data_end;) *to++ = *from++;
  for (uint32_t* to = &stride_bss_start; to < &stride_bss_end;) *to++ = 0;
  initialise_monitor_handles();
  exit(main());
}

/* Paints the stack from below the current stack pointer down to the reserve's limit. */
void stride_stack_paint(void) {
  uintptr_t sp;
  __asm volatile("mov %0, sp" : "=r"(sp));
  for (volatile uint32_t* word = &stride_stack_limit; (uintptr_t)word < sp; ++word) *word = STRIDE_STACK_PAINT;
}

/* The stack's high-water mark since stride_stack_paint: the bytes from the top of the stack down
 * to the lowest word no longer painted. When the whole reserve was used the stack has overflowed
 * into the static data (the C library's among them, so printf can no longer be trusted): says so
 * through semihosting alone and stops the emulator with a failure. */
unsigned long stride_stack_used(void) {
  const volatile uint32_t* word = &stride_stack_limit;
  if (*word != STRIDE_STACK_PAINT) {
    stride_semihost(0x04u, "FAILED: the run used the whole stack reserve (stride_stack_size in board.ld): a stack "
                           "overflow\n");
    stride_semihost(0x18u, (const void*)0x20023u); /* ADP_Stopped_RunTimeErrorUnknown */
    for (;;) {
    }
  }
  while (word < &stride_stack_top && *word == STRIDE_STACK_PAINT) ++word;
  return (unsigned long)((uintptr_t)&stride_stack_top - (uintptr_t)word);
}

/* malloc's memory (printf's buffers): from above the stack's reserve to the end of RAM. */
void* _sbrk(ptrdiff_t increment) {
  static char* heap_end = &end;
  if (increment > &stride_heap_limit - heap_end || increment < &end - heap_end) {
    errno = ENOMEM;
    return (void*)-1;
  }
  char* previous = heap_end;
  heap_end += increment;
  return previous;
}

/* The C library's exit() runs _fini (crti.o's, which -nostartfiles leaves out): nothing to do here. */
void _init(void) {}
void _fini(void) {}
)c";

// The board's flash and RAM, at the addresses the QEMU machines have them: .data and .bss, then the
// stack's fixed reserve, then the heap (at least kHeapMinimumBytes, up to the end of RAM). A model
// whose static data leaves no room for both fails to link ("region `RAM' overflowed"), and
// --print-memory-usage shows what the firmware needs rather than the whole of RAM.
constexpr std::string_view kBoardLd = R"ld(/* @NAME@: @DESCRIPTION@.
 * The board's own flash and RAM (no larger than the emulated machine's): what does not fit the
 * board fails to link. */
ENTRY(stride_reset_handler)

MEMORY
{
  FLASH (rx)  : ORIGIN = 0x00000000, LENGTH = @FLASH@
  RAM   (rwx) : ORIGIN = 0x20000000, LENGTH = @RAM@
}

stride_stack_size = @STACK@;   /* the stack's fixed reserve */
stride_heap_size  = @HEAP@;   /* the least heap left for malloc (the C library's stdio buffers) */

SECTIONS
{
  .vectors : { KEEP(*(.vectors)) } > FLASH
  .text : {
    *(.text .text.*)
    *(.rodata .rodata.*)
    KEEP(*(.init)) KEEP(*(.fini))
    . = ALIGN(4);
  } > FLASH
  .ARM.extab : { *(.ARM.extab* .gnu.linkonce.armextab.*) } > FLASH
  .ARM.exidx : { *(.ARM.exidx* .gnu.linkonce.armexidx.*) } > FLASH
  .init_array : {
    PROVIDE_HIDDEN(__init_array_start = .);
    KEEP(*(SORT(.init_array.*))) KEEP(*(.init_array))
    PROVIDE_HIDDEN(__init_array_end = .);
  } > FLASH
  .fini_array : {
    PROVIDE_HIDDEN(__fini_array_start = .);
    KEEP(*(SORT(.fini_array.*))) KEEP(*(.fini_array))
    PROVIDE_HIDDEN(__fini_array_end = .);
  } > FLASH
  .data : {
    . = ALIGN(4);
    stride_data_start = .;
    *(.data .data.*)
    . = ALIGN(4);
    stride_data_end = .;
  } > RAM AT > FLASH
  stride_data_load = LOADADDR(.data);
  .bss (NOLOAD) : {
    . = ALIGN(4);
    stride_bss_start = .;
    __bss_start__ = .;
    *(.bss .bss.*) *(COMMON)
    . = ALIGN(4);
    stride_bss_end = .;
    __bss_end__ = .;
  } > RAM
  /* The stack right after the static data, so that --print-memory-usage shows what the firmware
   * needs; then the heap, from its least size up to the end of RAM. */
  .stack (NOLOAD) : {
    . = ALIGN(8);
    stride_stack_limit = .;
    . += stride_stack_size;
    stride_stack_top = .;
  } > RAM
  .heap (NOLOAD) : {
    end = .;
    . += stride_heap_size;
  } > RAM
  stride_heap_limit = ORIGIN(RAM) + LENGTH(RAM);
}
)ld";

std::string substitute(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [key, value] : values) {
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
      text.replace(at, key.size(), value);
  }
  return text;
}

bool is_cortex_m(const Board& board) { return board.core.rfind("cortex-m", 0) == 0; }

// The board's variables and the host build, common to every board.
std::string makefile_head(const Board& board) {
  const bool cross = is_cortex_m(board);
  std::string text = fmt::format("# Firmware harness for {}: {}.\n", board.name, board.description);
  if (cross) {
    text +=
        "#   make elf (or all)  cross-build model.elf for the board\n"
        "#   make run           run model.elf under QEMU: prints OUTPUT <count> <values...> and STACK <bytes>\n"
        "#   make size          text, data and bss of model.elf\n";
  } else {
    text += "#   make elf, run, size  say why they cannot be done here\n";
  }
  text +=
      "#   make host          build model-host with the host's C compiler and run it (STACK n/a)\n"
      "#   make clean\n";
  text +=
      cross
          ? "# CC_ARM, SIZE_ARM, QEMU, CC_HOST, TIMEOUT (seconds of emulation) and SPECS can be set on the\n"
            "# command line; SPECS=\"--specs=nano.specs --specs=rdimon.specs\" links newlib-nano (a smaller printf).\n"
          : "# CC_HOST can be set on the command line.\n";
  text += fmt::format("BOARD = {}\nCPU = {}\n", board.name, board.core);
  if (cross) {
    text += fmt::format(
        "FLOAT_FLAGS = {}\n"
        "QEMU_MACHINE = {}\n"
        "CC_ARM ?= arm-none-eabi-gcc\n"
        "SIZE_ARM ?= arm-none-eabi-size\n"
        "QEMU ?= qemu-system-arm\n"
        "TIMEOUT ?= 600\n"
        "SPECS ?= --specs=rdimon.specs\n",
        board.float_flags, board.qemu_machine);
  }
  text +=
      "CC_HOST ?= cc\n"
      "\n"
      "MODEL_SOURCES = main.c stride_model.c\n"
      "MODEL_HEADERS = stride_model.h stride_test_input.h\n"
      "BATCH_SOURCES = stride_host_batch.c stride_model.c\n"
      "# No fused multiply-add: the board computes each f32 step as the host and the CPU engine round it.\n"
      "CFLAGS_HOST = -O2 -std=c99 -ffp-contract=off -Wall -Wextra -Werror\n";
  if (cross) {
    text +=
        "CFLAGS_ARM = -mcpu=$(CPU) -mthumb $(FLOAT_FLAGS) -O2 -std=c99 -ffp-contract=off -Wall -Wextra -Werror \\\n"
        "  -ffunction-sections -fdata-sections -DSTRIDE_BARE_METAL=1\n"
        "LDFLAGS_ARM = $(SPECS) -nostartfiles -T board.ld -Wl,-Map=model.map -Wl,--print-memory-usage \\\n"
        "  -Wl,--gc-sections\n";
  }
  text +=
      "\n"
      "# A failed link leaves no model.elf behind for a later `make run` to take as built.\n"
      ".DELETE_ON_ERROR:\n"
      ".PHONY: all elf run host host-batch batch size clean\n"
      "all: elf\n"
      "\n"
      "host: model-host\n"
      "\t./model-host\n"
      "\n"
      "model-host: $(MODEL_SOURCES) $(MODEL_HEADERS) Makefile\n"
      "\t$(CC_HOST) $(CFLAGS_HOST) $(MODEL_SOURCES) -lm -o $@\n"
      "\n"
      "# Every input of stride_inputs.bin through the model, the outputs to stride_outputs.bin.\n"
      "host-batch: batch-host\n"
      "\t./batch-host\n"
      "\n"
      "batch-host: $(BATCH_SOURCES) stride_model.h Makefile\n"
      "\t$(CC_HOST) $(CFLAGS_HOST) $(BATCH_SOURCES) -lm -o $@\n"
      "\n";
  return text;
}

std::string makefile(const Board& board) {
  std::string text = makefile_head(board);
  if (is_cortex_m(board)) {
    text +=
        "elf: model.elf\n"
        "\n"
        "model.elf: $(MODEL_SOURCES) startup.c board.ld $(MODEL_HEADERS) Makefile\n"
        "\t$(CC_ARM) $(CFLAGS_ARM) $(MODEL_SOURCES) startup.c $(LDFLAGS_ARM) -lm -o $@\n"
        "\n"
        "size: model.elf\n"
        "\t$(SIZE_ARM) model.elf\n"
        "\n"
        "batch.elf: $(BATCH_SOURCES) startup.c board.ld stride_model.h Makefile\n"
        "\t$(CC_ARM) $(CFLAGS_ARM) $(BATCH_SOURCES) startup.c $(LDFLAGS_ARM:model.map=batch.map) -lm -o $@\n"
        "\n";
    if (board.qemu_machine.empty()) {
      text += fmt::format("run batch:\n\t@echo \"{}: cannot run under QEMU here: {}\" >&2; exit 1\n\n", board.name,
                          board.why_no_qemu);
    } else {
      text +=
          "run: model.elf\n"
          "\ttimeout $(TIMEOUT) $(QEMU) -M $(QEMU_MACHINE) -nographic -semihosting-config enable=on,target=native "
          "-kernel model.elf\n"
          "\n"
          "# The emulated board reads and writes the two files through semihosting.\n"
          "batch: batch.elf\n"
          "\ttimeout $(TIMEOUT) $(QEMU) -M $(QEMU_MACHINE) -nographic -semihosting-config enable=on,target=native "
          "-kernel batch.elf\n"
          "\n";
    }
  } else {
    // No cross compiler here for this core: the board's targets say why; `make host` still runs.
    text += fmt::format("elf size:\n\t@echo \"{}: no cross build here: {}\" >&2; exit 1\n\n", board.name,
                        board.why_no_qemu);
    text += fmt::format("run batch:\n\t@echo \"{}: cannot run under QEMU here: {}\" >&2; exit 1\n\n", board.name,
                        board.why_no_qemu);
  }
  text +=
      "clean:\n"
      "\trm -f model.elf model.map model-host batch.elf batch.map batch-host stride_outputs.bin\n";
  return text;
}

std::string board_ld(const Board& board) {
  return substitute(std::string(kBoardLd), {{"@NAME@", board.name},
                                            {"@DESCRIPTION@", board.description},
                                            {"@FLASH@", std::to_string(board.flash_bytes)},
                                            {"@RAM@", std::to_string(board.ram_bytes)},
                                            {"@STACK@", std::to_string(kStackReserveBytes)},
                                            {"@HEAP@", std::to_string(kHeapMinimumBytes)}});
}

}  // namespace

void write_firmware(const Board& board, const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) fail("cannot create the firmware folder {}: {}", dir.string(), error.message());
  write_file_atomically(dir / "main.c", kMainC);
  if (is_cortex_m(board)) {
    write_file_atomically(dir / "startup.c", kStartupC);
    write_file_atomically(dir / "board.ld", board_ld(board));
  }
  write_file_atomically(dir / "Makefile", makefile(board));
}

}  // namespace stride::mcu
