// The module API as a platform exported it to the JIT, read back from the
// export table, so that the AOT baseline (bench_aot_bind) allocates and
// prints through exactly the functions the JIT-compiled modules call.
#pragma once

#include "jit/ExportTable.h"
#include "jit/ModuleApi.h"

namespace fluid::bench {

jit::ModuleApi module_api_from_exports(const jit::ExportTable&);

} // namespace fluid::bench
