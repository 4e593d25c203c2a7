# runtime/: the glibc ABI the kernel presents to compiled library code:
# Debian's static LLVM 19, libstdc++, libgcc and libgcc_eh link against it
# unchanged (the kernel-llvm target in kernel/CMakeLists.txt; see
# docs/ARCHITECTURE.md). One file per area. The kernel links with
# --gc-sections, so whatever its own code does not call drops out.
set(FLUID_RUNTIME_SOURCES
    ${CMAKE_SOURCE_DIR}/runtime/Allocation.cpp     # malloc, new/delete, mallinfo2
    ${CMAKE_SOURCE_DIR}/runtime/Compression.cpp    # zlib/zstd: "unsupported", real crc32
    ${CMAKE_SOURCE_DIR}/runtime/Ctype.cpp          # __ctype_b_loc and friends
    ${CMAKE_SOURCE_DIR}/runtime/CxxAbi.cpp         # __cxa_atexit, __cxa_pure_virtual, ...
    ${CMAKE_SOURCE_DIR}/runtime/DynamicLinker.cpp  # _dl_find_object, dl*, __tls_get_addr
    ${CMAKE_SOURCE_DIR}/runtime/EarlyArena.cpp     # allocations before the heap exists
    ${CMAKE_SOURCE_DIR}/runtime/Errno.cpp          # __errno_location
    ${CMAKE_SOURCE_DIR}/runtime/Files.cpp          # fds 0-2 on the console, no file system
    ${CMAKE_SOURCE_DIR}/runtime/Fortify.cpp        # __memcpy_chk, __snprintf_chk, ...
    ${CMAKE_SOURCE_DIR}/runtime/Locale.cpp         # the "C" locale, *_l functions
    ${CMAKE_SOURCE_DIR}/runtime/Math.cpp           # pow, atan2, ... (missing from llvm-libc 19)
    ${CMAKE_SOURCE_DIR}/runtime/Memory.cpp         # mmap/munmap/mprotect, sysconf
    ${CMAKE_SOURCE_DIR}/runtime/Process.cpp        # getenv, exit/abort/assert, syscall
    ${CMAKE_SOURCE_DIR}/runtime/Pthread.cpp        # mutex, rwlock, cond, once, keys
    ${CMAKE_SOURCE_DIR}/runtime/StackProtector.cpp # __stack_chk_fail
    ${CMAKE_SOURCE_DIR}/runtime/Stdio.cpp          # stdout/stderr FILEs, printf
    ${CMAKE_SOURCE_DIR}/runtime/Time.cpp           # clock_gettime, strftime
    ${CMAKE_SOURCE_DIR}/runtime/Unsupported.cpp    # fork, exec, signals, iconv: ENOSYS
    ${CMAKE_SOURCE_DIR}/runtime/Wchar.cpp          # wcs*, wmem*, mbrtowc
)
# -fno-stack-protector: the runtime is what makes the canary work; it must
# not depend on it. -D__NO_INLINE__: at -O2 glibc's headers carry inline
# bodies of putchar, btowc, pthread_equal, ... which would clash with our
# definitions of them.
set_source_files_properties(${FLUID_RUNTIME_SOURCES} PROPERTIES
    COMPILE_OPTIONS "-fno-stack-protector;-D__NO_INLINE__")
