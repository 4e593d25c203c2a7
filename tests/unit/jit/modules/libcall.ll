; Negative test: the IR declares nothing, but the code generator lowers
; an x86_fp80 `frem` to a call to fmodl, which the kernel does not export
; (it exports fmod and fmodf). The error must still name 'fmodl' (it is found at link time, not by the IR check).
target triple = "x86_64-unknown-none-elf"

define i64 @remainder_of(i64 %a, i64 %b) {
entry:
  %x = sitofp i64 %a to x86_fp80
  %y = sitofp i64 %b to x86_fp80
  %r = frem x86_fp80 %x, %y
  %i = fptosi x86_fp80 %r to i64
  ret i64 %i
}
