/*
 * Memory for the engine. In WebAssembly there is no libc: a bump allocator grows the module's own memory
 * with memory.grow (the module imports nothing). Everything is taken while loading and never freed, because
 * an instance lives exactly as long as its model; the hot loop allocates nothing.
 * Natively the same calls go to the C library.
 */
#include "tt.h"

#define TT_ALIGN 16u

#ifdef __wasm__
extern unsigned char __heap_base;
static uintptr_t heap_top = 0;

TT_EXPORT(tt_alloc)
void *tt_alloc(uint32_t nbytes) {
  if (heap_top == 0) heap_top = ((uintptr_t)&__heap_base + TT_ALIGN - 1) & ~(uintptr_t)(TT_ALIGN - 1);
  uintptr_t start = heap_top;
  uint64_t end = (uint64_t)start + (((uint64_t)nbytes + TT_ALIGN - 1) & ~(uint64_t)(TT_ALIGN - 1));
  if (end > 0xFFFF0000ull) return 0;
  uint64_t have = (uint64_t)__builtin_wasm_memory_size(0) * 65536ull;
  if (end > have) {
    uint64_t pages = (end - have + 65535ull) / 65536ull;
    if (__builtin_wasm_memory_grow(0, (uintptr_t)pages) == (uintptr_t)-1) return 0;
  }
  heap_top = (uintptr_t)end;
  return (void *)start;
}

/* The compiler may turn loops into calls to these; with bulk memory they become single instructions. */
void *memset(void *dst, int c, size_t n) {
  __builtin_memset(dst, c, n);
  return dst;
}
void *memcpy(void *dst, const void *src, size_t n) {
  __builtin_memcpy(dst, src, n);
  return dst;
}
void *memmove(void *dst, const void *src, size_t n) {
  __builtin_memmove(dst, src, n);
  return dst;
}
#else
#include <stdlib.h>
#include <string.h>
void *tt_alloc(uint32_t nbytes) {
  void *p = 0;
  if (posix_memalign(&p, 64, nbytes ? nbytes : 1) != 0) return 0;
  memset(p, 0, nbytes);
  return p;
}
#endif
