# Warnings for Stride's own targets (not for third-party headers, which are included as SYSTEM).
function(stride_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-missing-field-initializers)
endfunction()
