/*
 * tt-seed-entropy: credits a fixed seed to the kernel's entropy pool, at boot, before anything asks for randomness.
 *
 * The Cartesi machine has no hardware random source, and its clock advances only with executed cycles, so the
 * kernel never gathers entropy on its own: getrandom() blocks forever and the first `node` never starts. A machine
 * must be deterministic anyway (every run of the same image gives the same root hash), so the seed is a constant.
 * Nothing in the machine may use this randomness for secrets; the backend's only randomness is its seeded sampler.
 */
#include <fcntl.h>
#include <linux/random.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(void) {
    static const char seed[] = "trust-and-teach: a fixed seed for a deterministic Cartesi machine (no secrets here)";
    struct {
        int entropy_count; /* bits credited */
        int buf_size;
        unsigned char buf[sizeof seed];
    } e;
    memcpy(e.buf, seed, sizeof seed);
    e.buf_size = sizeof seed;
    e.entropy_count = 512; /* the kernel's CRNG needs 256 bits to be ready */
    int fd = open("/dev/urandom", O_WRONLY);
    if (fd < 0 || ioctl(fd, RNDADDENTROPY, &e) != 0) {
        perror("tt-seed-entropy: RNDADDENTROPY on /dev/urandom (needs root)");
        return 1;
    }
    close(fd);
    return 0;
}
