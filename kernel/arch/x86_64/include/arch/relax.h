// Spin-wait hint for busy loops [Intel SDM 2B, PAUSE].
#pragma once

namespace fluid::arch {

inline void relax() { __builtin_ia32_pause(); }

} // namespace fluid::arch
