#include "kernel/bench/ModuleApiFromExports.h"

namespace fluid::bench {

template<typename Function>
static void assign(Function*& slot, const jit::ExportTable& exports, const char* name)
{
    slot = reinterpret_cast<Function*>(exports.find(name));
}

jit::ModuleApi module_api_from_exports(const jit::ExportTable& exports)
{
    jit::ModuleApi api;
    assign(api.print, exports, "fluid_print");
    assign(api.print_i64, exports, "fluid_print_i64");
    assign(api.now_ns, exports, "fluid_now_ns");
    assign(api.alloc, exports, "fluid_alloc");
    assign(api.free, exports, "fluid_free");
    return api;
}

} // namespace fluid::bench
