; Negative test: parses, but the verifier rejects it (%a uses %b before
; %b is defined). Assembled with llvm-as -disable-verify.
target triple = "x86_64-unknown-none-elf"

define i64 @broken(i64 %x) {
entry:
  %a = add i64 %b, 1
  %b = add i64 %x, 1
  ret i64 %a
}
