; Negative test: the IR declares nothing, but the code generator lowers
; `frem` to a call to fmod, which the kernel does not export. The error
; must still name 'fmod' (it is found at link time, not by the IR check).
target triple = "x86_64-unknown-none-elf"

define i64 @remainder_of(i64 %a, i64 %b) {
entry:
  %x = sitofp i64 %a to double
  %y = sitofp i64 %b to double
  %r = frem double %x, %y
  %i = fptosi double %r to i64
  ret i64 %i
}
