# runtime/: the glibc ABI the kernel presents to compiled library code.
# The LLVM work (issue 3) grows this into the full layer described in
# docs/ARCHITECTURE.md; the foundation needs allocation, the canary,
# errno and the C++ ABI hooks.
set(FLUID_RUNTIME_SOURCES
    ${CMAKE_SOURCE_DIR}/runtime/Allocation.cpp
    ${CMAKE_SOURCE_DIR}/runtime/CxxAbi.cpp
    ${CMAKE_SOURCE_DIR}/runtime/Errno.cpp
    ${CMAKE_SOURCE_DIR}/runtime/StackProtector.cpp
)
# The runtime is what makes the canary work; it must not depend on it.
set_source_files_properties(${FLUID_RUNTIME_SOURCES} PROPERTIES COMPILE_OPTIONS "-fno-stack-protector")

# The rest of the glibc ABI, needed once LLVM, libstdc++ and libgcc are
# linked in (the kernel-llvm target in kernel/CMakeLists.txt).
set(FLUID_LLVM_RUNTIME_SOURCES
)
set_source_files_properties(${FLUID_LLVM_RUNTIME_SOURCES} PROPERTIES COMPILE_OPTIONS "-fno-stack-protector")
