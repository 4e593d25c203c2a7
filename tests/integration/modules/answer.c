/*
 * A module that is not part of the image build: the integration tests add
 * it to a copy of the image with `mkimage.sh --update --add` (what
 * `./fluid image --add` does) and expect the next boot to load and run it.
 */
#include <fluid/module.h>

int64_t answer(int64_t offset)
{
    return 42 + offset;
}
