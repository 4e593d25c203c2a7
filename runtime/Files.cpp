// File descriptors. There is no file system yet (issue 4 brings FAT16), so
// only the three standard descriptors exist, as a character device: the
// console. 0 reads serial input without waiting, 1 and 2 write to every
// console. LLVM's raw_fd_ostream asks fstat (must succeed, S_IFCHR) and
// lseek (ESPIPE: not seekable) on fd 2 during static initialisation.
// Everything that names a path fails with ENOENT (or EROFS for changes),
// so LLVM sees an empty file system rather than a broken one. Without
// these definitions, llvm-libc's raw system-call versions would be linked.
#include "kernel/drivers/Console.h"
#include "runtime/Runtime.h"

#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

namespace {

bool is_standard(int fd) { return fd >= 0 && fd <= 2; }

int fail(int error)
{
    errno = error;
    return -1;
}

void fill_console_stat(struct stat* out, int fd)
{
    *out = {};
    out->st_dev = 5;                      // any stable number
    out->st_ino = ino_t(fd) + 1;
    out->st_mode = S_IFCHR | 0620;        // like a tty
    out->st_nlink = 1;
    out->st_rdev = (4u << 8) | 64u;       // ttyS0's device number
    out->st_blksize = 1024;
}

} // namespace

extern "C" {

int open(const char*, int, ...) { return fail(ENOENT); }
int open64(const char*, int, ...) { return fail(ENOENT); }
int openat(int, const char*, int, ...) { return fail(ENOENT); }
int creat(const char*, mode_t) { return fail(EROFS); }

int close(int fd) { return is_standard(fd) ? 0 : fail(EBADF); }

ssize_t write(int fd, const void* data, size_t size)
{
    if (fd != 1 && fd != 2)
        return fail(EBADF);
    fluid::console().write(static_cast<const char*>(data), size);
    return ssize_t(size);
}

// Serial input without blocking: whatever bytes are waiting, at least one
// unless none is (then EAGAIN, as for a non-blocking tty).
ssize_t read(int fd, void* buffer, size_t size)
{
    if (fd != 0)
        return fail(fd == 1 || fd == 2 ? EINVAL : EBADF);
    auto* out = static_cast<char*>(buffer);
    size_t count = 0;
    while (count < size) {
        int byte = fluid::console().read_byte();
        if (byte < 0)
            break;
        out[count++] = char(byte);
    }
    return count || size == 0 ? ssize_t(count) : fail(EAGAIN);
}

ssize_t pread(int fd, void*, size_t, off_t) { return fail(is_standard(fd) ? ESPIPE : EBADF); }
ssize_t pread64(int fd, void* b, size_t n, off_t o) { return pread(fd, b, n, o); }
ssize_t pwrite(int fd, const void*, size_t, off_t) { return fail(is_standard(fd) ? ESPIPE : EBADF); }

off_t lseek(int fd, off_t, int) { return fail(is_standard(fd) ? ESPIPE : EBADF); }
off_t lseek64(int fd, off_t offset, int whence) { return lseek(fd, offset, whence); }

int fstat(int fd, struct stat* out)
{
    if (!is_standard(fd))
        return fail(EBADF);
    fill_console_stat(out, fd);
    return 0;
}
int fstat64(int fd, struct stat64* out) { return fstat(fd, reinterpret_cast<struct stat*>(out)); }

int stat(const char*, struct stat*) { return fail(ENOENT); }
int stat64(const char*, struct stat64*) { return fail(ENOENT); }
int lstat(const char*, struct stat*) { return fail(ENOENT); }
int lstat64(const char*, struct stat64*) { return fail(ENOENT); }
int fstatat(int, const char*, struct stat*, int) { return fail(ENOENT); }
int statfs(const char*, struct statfs*) { return fail(ENOENT); }
int fstatfs(int, struct statfs*) { return fail(ENOSYS); }
int access(const char*, int) { return fail(ENOENT); }
int faccessat(int, const char*, int, int) { return fail(ENOENT); }

int isatty(int fd)
{
    if (is_standard(fd))
        return 1;
    errno = EBADF;
    return 0;
}

int fcntl(int fd, int command, ...)
{
    if (!is_standard(fd))
        return fail(EBADF);
    switch (command) {
    case F_GETFD:
    case F_SETFD:
    case F_SETFL:
        return 0;
    case F_GETFL:
        return fd == 0 ? O_RDONLY : O_WRONLY;
    default:
        return fail(EINVAL);
    }
}
int fcntl64(int fd, int command, ...) { return fcntl(fd, command); }

int dup(int) { return fail(EMFILE); }
int dup2(int, int) { return fail(EMFILE); }
int fsync(int fd) { return is_standard(fd) ? 0 : fail(EBADF); }
int ftruncate(int, off_t) { return fail(EINVAL); }

// Read-only, empty name space.
ssize_t readlink(const char*, char*, size_t) { return fail(ENOENT); }
char* getcwd(char*, size_t)
{
    errno = ENOENT; // "the current directory has been unlinked"
    return nullptr;
}
char* realpath(const char*, char*)
{
    errno = ENOENT;
    return nullptr;
}
int chdir(const char*) { return fail(ENOENT); }
int unlink(const char*) { return fail(ENOENT); }
int remove(const char*) { return fail(ENOENT); }
int rename(const char*, const char*) { return fail(ENOENT); }
int mkdir(const char*, mode_t) { return fail(EROFS); }
int rmdir(const char*) { return fail(ENOENT); }
int mknod(const char*, mode_t, dev_t) { return fail(EROFS); }
int chmod(const char*, mode_t) { return fail(ENOENT); }
int fchmod(int, mode_t) { return fail(EPERM); }
int truncate(const char*, off_t) { return fail(ENOENT); }
int symlink(const char*, const char*) { return fail(EROFS); }
int link(const char*, const char*) { return fail(EROFS); }
mode_t umask(mode_t) { return 022; }

DIR* opendir(const char*)
{
    errno = ENOENT;
    return nullptr;
}
dirent* readdir(DIR*)
{
    errno = EBADF;
    return nullptr;
}
dirent64* readdir64(DIR*)
{
    errno = EBADF;
    return nullptr;
}
int closedir(DIR*) { return fail(EBADF); }

} // extern "C"
