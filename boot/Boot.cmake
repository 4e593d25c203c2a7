# Boot code (assembly) linked into the kernel image; see boot/entry.S.
set(FLUID_BOOT_SOURCES
    ${CMAKE_SOURCE_DIR}/boot/multiboot2_header.S
    ${CMAKE_SOURCE_DIR}/boot/entry.S
)
set_source_files_properties(${FLUID_BOOT_SOURCES} PROPERTIES COMPILE_OPTIONS "--target=x86_64-linux-gnu")
