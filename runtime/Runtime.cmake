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
