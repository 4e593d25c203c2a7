// ExportTable::add_math: the C math functions modules may call (declared in
// modules/include/fluid/module.h). The addresses come from the link: glibc's
// libm on the host; in the kernel llvm-libc (which is built for AVX2/FMA
// CPUs) plus runtime/Math.cpp for what llvm-libc 19 lacks.
#include "jit/ExportTable.h"

#include <cmath>

namespace fluid::jit {

ErrorOr<void> ExportTable::add_math()
{
    using D = double (*)(double);
    using F = float (*)(float);
    using DD = double (*)(double, double);
    using FF = float (*)(float, float);
    const NamedAddress entries[] = {
        { "sqrt", reinterpret_cast<const void*>(static_cast<D>(::sqrt)) },
        { "sqrtf", reinterpret_cast<const void*>(static_cast<F>(::sqrtf)) },
        { "exp", reinterpret_cast<const void*>(static_cast<D>(::exp)) },
        { "expf", reinterpret_cast<const void*>(static_cast<F>(::expf)) },
        { "exp2f", reinterpret_cast<const void*>(static_cast<F>(::exp2f)) },
        { "log", reinterpret_cast<const void*>(static_cast<D>(::log)) },
        { "logf", reinterpret_cast<const void*>(static_cast<F>(::logf)) },
        { "log2", reinterpret_cast<const void*>(static_cast<D>(::log2)) },
        { "log2f", reinterpret_cast<const void*>(static_cast<F>(::log2f)) },
        { "pow", reinterpret_cast<const void*>(static_cast<DD>(::pow)) },
        { "powf", reinterpret_cast<const void*>(static_cast<FF>(::powf)) },
        { "sin", reinterpret_cast<const void*>(static_cast<D>(::sin)) },
        { "sinf", reinterpret_cast<const void*>(static_cast<F>(::sinf)) },
        { "cos", reinterpret_cast<const void*>(static_cast<D>(::cos)) },
        { "cosf", reinterpret_cast<const void*>(static_cast<F>(::cosf)) },
        { "tanh", reinterpret_cast<const void*>(static_cast<D>(::tanh)) },
        { "tanhf", reinterpret_cast<const void*>(static_cast<F>(::tanhf)) },
        { "atan2f", reinterpret_cast<const void*>(static_cast<FF>(::atan2f)) },
        { "erff", reinterpret_cast<const void*>(static_cast<F>(::erff)) },
        { "fabs", reinterpret_cast<const void*>(static_cast<D>(::fabs)) },
        { "fabsf", reinterpret_cast<const void*>(static_cast<F>(::fabsf)) },
        { "floor", reinterpret_cast<const void*>(static_cast<D>(::floor)) },
        { "floorf", reinterpret_cast<const void*>(static_cast<F>(::floorf)) },
        { "ceil", reinterpret_cast<const void*>(static_cast<D>(::ceil)) },
        { "ceilf", reinterpret_cast<const void*>(static_cast<F>(::ceilf)) },
        { "round", reinterpret_cast<const void*>(static_cast<D>(::round)) },
        { "roundf", reinterpret_cast<const void*>(static_cast<F>(::roundf)) },
        { "fmod", reinterpret_cast<const void*>(static_cast<DD>(::fmod)) },
        { "fmodf", reinterpret_cast<const void*>(static_cast<FF>(::fmodf)) },
        { "fmaxf", reinterpret_cast<const void*>(static_cast<FF>(::fmaxf)) },
        { "fminf", reinterpret_cast<const void*>(static_cast<FF>(::fminf)) },
    };
    return add_missing(entries);
}

} // namespace fluid::jit
