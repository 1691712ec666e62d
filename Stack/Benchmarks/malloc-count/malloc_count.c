/* Counts heap allocations of a whole process, for `make bench`'s allocations-per-span figure.
 * Build: cc -O2 -shared -fPIC -o libmalloc_count.so malloc_count.c -ldl
 * Use:   LD_PRELOAD=./libmalloc_count.so program   (prints "malloc_count: N" to stderr at exit)
 * Allocations made while dlsym resolves the real functions come from a small static buffer. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static atomic_ulong allocations;
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);
static int (*real_posix_memalign)(void **, size_t, size_t);
static void *(*real_aligned_alloc)(size_t, size_t);

static _Alignas(16) char bootstrap[1 << 16];
static size_t bootstrap_used;
static int resolving;

static void *bootstrap_alloc(size_t size) {
    size = (size + 15) & ~(size_t)15;
    if (bootstrap_used + size > sizeof bootstrap) return NULL;
    void *pointer = bootstrap + bootstrap_used;
    bootstrap_used += size;
    return pointer;
}

static int from_bootstrap(void *pointer) {
    return (char *)pointer >= bootstrap && (char *)pointer < bootstrap + sizeof bootstrap;
}

static void resolve(void) {
    if (real_malloc || resolving) return;
    resolving = 1;
    real_calloc = dlsym(RTLD_NEXT, "calloc");
    real_realloc = dlsym(RTLD_NEXT, "realloc");
    real_free = dlsym(RTLD_NEXT, "free");
    real_posix_memalign = dlsym(RTLD_NEXT, "posix_memalign");
    real_aligned_alloc = dlsym(RTLD_NEXT, "aligned_alloc");
    real_malloc = dlsym(RTLD_NEXT, "malloc");
    resolving = 0;
}

static void counted(void) { atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed); }

void *malloc(size_t size) {
    resolve();
    if (!real_malloc) return bootstrap_alloc(size);
    counted();
    return real_malloc(size);
}

void *calloc(size_t count, size_t size) {
    resolve();
    if (!real_calloc || resolving) {
        void *pointer = bootstrap_alloc(count * size);
        if (pointer) memset(pointer, 0, count * size);
        return pointer;
    }
    counted();
    return real_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    resolve();
    counted();
    if (from_bootstrap(pointer)) {
        void *moved = real_malloc(size);
        if (moved) memcpy(moved, pointer, size);
        return moved;
    }
    return real_realloc(pointer, size);
}

void free(void *pointer) {
    if (!pointer || from_bootstrap(pointer)) return;
    resolve();
    real_free(pointer);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    resolve();
    counted();
    return real_posix_memalign(result, alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    resolve();
    counted();
    return real_aligned_alloc(alignment, size);
}

__attribute__((destructor)) static void report(void) {
    fprintf(stderr, "malloc_count: %lu\n", (unsigned long)atomic_load(&allocations));
}
