// ExportTable::add_runtime_helpers: the functions LLVM-generated code calls
// although the module's source never names them. The addresses come from
// the link: libc (llvm-libc in the kernel, glibc on the host) for the mem*
// functions, libclang_rt.builtins-x86_64.a (or libgcc) for the rest.
#include "jit/ExportTable.h"

#include <cstring>

// compiler-rt builtins. Declared with a dummy type: we only take their
// addresses, the JIT-compiled caller knows the real signature.
extern "C" {
void __udivti3();
void __umodti3();
void __divti3();
void __modti3();
void __muloti4();
void __ashlti3();
void __ashrti3();
void __lshrti3();
void __floattisf();
void __floattidf();
void __floatuntisf();
void __floatuntidf();
void __fixsfti();
void __fixdfti();
void __fixunssfti();
void __fixunsdfti();
void __powisf2();
void __powidf2();
void __extendhfsf2();
void __truncsfhf2();
void __truncdfhf2();
void __truncsfbf2();
void __truncdfbf2();
int bcmp(const void*, const void*, size_t);
}

namespace fluid::jit {

ErrorOr<void> ExportTable::add_runtime_helpers()
{
    const NamedAddress entries[] = {
        // Struct copies, zero-initialisation and loop idioms.
        { "memcpy", reinterpret_cast<const void*>(&memcpy) },
        { "memset", reinterpret_cast<const void*>(&memset) },
        { "memmove", reinterpret_cast<const void*>(&memmove) },
        { "memcmp", reinterpret_cast<const void*>(&memcmp) },
        // memcmp(...) == 0 becomes bcmp on a GNU triple.
        { "bcmp", reinterpret_cast<const void*>(&bcmp) },
        // 128-bit integer arithmetic.
        { "__udivti3", reinterpret_cast<const void*>(&__udivti3) },
        { "__umodti3", reinterpret_cast<const void*>(&__umodti3) },
        { "__divti3", reinterpret_cast<const void*>(&__divti3) },
        { "__modti3", reinterpret_cast<const void*>(&__modti3) },
        { "__muloti4", reinterpret_cast<const void*>(&__muloti4) },
        { "__ashlti3", reinterpret_cast<const void*>(&__ashlti3) },
        { "__ashrti3", reinterpret_cast<const void*>(&__ashrti3) },
        { "__lshrti3", reinterpret_cast<const void*>(&__lshrti3) },
        // Conversions between floating point and 128-bit integers.
        { "__floattisf", reinterpret_cast<const void*>(&__floattisf) },
        { "__floattidf", reinterpret_cast<const void*>(&__floattidf) },
        { "__floatuntisf", reinterpret_cast<const void*>(&__floatuntisf) },
        { "__floatuntidf", reinterpret_cast<const void*>(&__floatuntidf) },
        { "__fixsfti", reinterpret_cast<const void*>(&__fixsfti) },
        { "__fixdfti", reinterpret_cast<const void*>(&__fixdfti) },
        { "__fixunssfti", reinterpret_cast<const void*>(&__fixunssfti) },
        { "__fixunsdfti", reinterpret_cast<const void*>(&__fixunsdfti) },
        // llvm.powi, and half/bfloat conversions (_Float16, __bf16 without
        // F16C/AVX512-BF16).
        { "__powisf2", reinterpret_cast<const void*>(&__powisf2) },
        { "__powidf2", reinterpret_cast<const void*>(&__powidf2) },
        { "__extendhfsf2", reinterpret_cast<const void*>(&__extendhfsf2) },
        { "__truncsfhf2", reinterpret_cast<const void*>(&__truncsfhf2) },
        { "__truncdfhf2", reinterpret_cast<const void*>(&__truncdfhf2) },
        { "__truncsfbf2", reinterpret_cast<const void*>(&__truncsfbf2) },
        { "__truncdfbf2", reinterpret_cast<const void*>(&__truncdfbf2) },
    };
    // An entry already in the table wins: the platform may supply its own
    // memcpy (or a counting one, in the tests).
    return add_missing(entries);
}

} // namespace fluid::jit
