/*
 * tt-halt <code>: halts the Cartesi machine with an exit code the host sees (the Lua CLI exits with it).
 *
 * Cartesi's own `xhalt` asks its kernel driver; our kernel has none, so this writes the HTIF halt command into the
 * `tohost` register itself, through /dev/mem (kernel CONFIG_DEVMEM=y). HTIF: device 0 (halt), command 0, data =
 * code << 1 | 1. The register is at 0x40008000 and takes 64-bit stores only.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define HTIF_BASE 0x40008000UL

int main(int argc, char **argv) {
    unsigned long code = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
    sync();
    int fd = open("/dev/mem", O_RDWR | O_SYNC);
    if (fd < 0) {
        perror("tt-halt: /dev/mem (needs root and CONFIG_DEVMEM)");
        return 1;
    }
    volatile uint64_t *htif = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, HTIF_BASE);
    if (htif == MAP_FAILED) {
        perror("tt-halt: mmap of the HTIF registers");
        return 1;
    }
    htif[0] = ((uint64_t)(code & 0x7fffffff) << 1) | 1; /* tohost: device 0, command 0 */
    for (;;) pause(); /* the machine stops at the store; never returns */
}
