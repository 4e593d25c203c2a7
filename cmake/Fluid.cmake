# Build helpers shared by every directory.
#
# One CMake project builds two worlds with the same compiler (clang-19):
#   * the kernel: x86-64, non-PIE, linked with lld at 1 MiB by boot/linker.ld.
#     It compiles against the glibc/libstdc++ *headers* on purpose: the
#     runtime/ layer provides the glibc ABI, so Debian's static LLVM links
#     into the kernel unchanged (see docs/ARCHITECTURE.md).
#   * the host: GoogleTest unit tests, fluid-host and tools, built normally
#     with AddressSanitizer and UBSan.
# Portable code (kernel/lib, kernel/mm, parsers, jit/, llm/) is compiled
# once for each world by fluid_portable_library().

set(FLUID_ARCH x86_64)
set(LLVM19_ROOT /usr/lib/llvm-19)
set(FLUID_LLVMLIBC ${LLVM19_ROOT}/lib/libllvmlibc.a)
set(FLUID_BUILTINS ${LLVM19_ROOT}/lib/clang/19/lib/linux/libclang_rt.builtins-x86_64.a)

add_library(fluid_kernel_flags INTERFACE)
target_compile_options(fluid_kernel_flags INTERFACE
    --target=x86_64-linux-gnu
    -fno-pic -fno-pie
    # Our own code keeps off the red zone; the LLVM archives do not, which
    # is why every vector runs on an IST stack (kernel/arch/x86_64/Idt.cpp).
    -mno-red-zone
    -fno-omit-frame-pointer
    -fstack-protector-strong
    -ffunction-sections -fdata-sections
    -O2 -g
    -Wall -Wextra -Werror=return-type -Wno-unused-parameter
    $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions -fno-rtti -fno-threadsafe-statics -fsized-deallocation>
)
target_compile_definitions(fluid_kernel_flags INTERFACE FLUID_KERNEL=1)
target_include_directories(fluid_kernel_flags INTERFACE
    ${CMAKE_SOURCE_DIR}
    ${CMAKE_SOURCE_DIR}/kernel/arch/${FLUID_ARCH}/include
)

add_library(fluid_host_flags INTERFACE)
target_compile_options(fluid_host_flags INTERFACE
    -O1 -g -fno-omit-frame-pointer
    -Wall -Wextra -Werror=return-type -Wno-unused-parameter
    $<$<BOOL:${FLUID_SANITIZE}>:-fsanitize=address,undefined -fno-sanitize-recover=undefined>
)
target_link_options(fluid_host_flags INTERFACE
    $<$<BOOL:${FLUID_SANITIZE}>:-fsanitize=address,undefined>
)
target_include_directories(fluid_host_flags INTERFACE
    ${CMAKE_SOURCE_DIR}
    ${CMAKE_SOURCE_DIR}/host/include
)

# fluid_portable_library(NAME SOURCES a.cpp b.cpp [DEPS other])
# creates NAME_kernel (object library, kernel flags) and NAME_host (static
# library, host flags). DEPS names other portable libraries, without suffix.
function(fluid_portable_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
    add_library(${name}_kernel OBJECT ${ARG_SOURCES})
    target_link_libraries(${name}_kernel PUBLIC fluid_kernel_flags)
    add_library(${name}_host STATIC ${ARG_SOURCES})
    target_link_libraries(${name}_host PUBLIC fluid_host_flags)
    foreach(dep IN LISTS ARG_DEPS)
        target_link_libraries(${name}_host PUBLIC ${dep}_host)
    endforeach()
    set_property(GLOBAL APPEND PROPERTY FLUID_KERNEL_OBJECT_LIBS ${name}_kernel)
endfunction()
