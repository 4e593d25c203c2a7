// Disks come up after the heap (drivers allocate) and before the JIT, so
// the module store can later read /modules from the boot volume.
#include "kernel/init/Init.h"
#include "kernel/storage/Storage.h"

namespace fluid {

void init_storage() { Storage::init(); }

} // namespace fluid
