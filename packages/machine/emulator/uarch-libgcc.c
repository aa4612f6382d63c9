/*
 * The integer helpers GCC calls on rv64i (no M extension) for the emulator's microarchitecture image (uarch/).
 *
 * Cartesi links uarch against an rv64i/lp64 soft-float libgcc from its own toolchain; Debian's riscv64 cross
 * compiler ships only an lp64d libgcc, which the linker refuses to mix with soft-float objects. uarch needs just
 * these six routines (printf's float support is compiled out), so they are written here with shifts, adds and
 * compares only: nothing in this file may itself compile to a multiply or a divide.
 *
 * Consequence, said wherever hashes are shown: the uarch image differs from a Cartesi release build, and so does
 * the pristine uarch hash that every machine root hash includes.
 */
typedef unsigned long long u64;
typedef long long i64;

int __clzdi2(u64 x) {
    int n = 0;
    if (x == 0) return 64;
    while (!(x & (1ULL << 63))) {
        x <<= 1;
        n++;
    }
    return n;
}

u64 __muldi3(u64 a, u64 b) {
    u64 r = 0;
    while (b) {
        if (b & 1) r += a;
        a <<= 1;
        b >>= 1;
    }
    return r;
}

/* Restoring binary long division; a divisor of 0 gives quotient all-ones and remainder a, as RISC-V's divu does. */
static u64 udivmod(u64 n, u64 d, u64 *rem) {
    u64 q = 0, r = 0;
    if (d == 0) {
        if (rem) *rem = n;
        return ~0ULL;
    }
    for (int i = 63; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1);
        if (r >= d) {
            r -= d;
            q |= 1ULL << i;
        }
    }
    if (rem) *rem = r;
    return q;
}

u64 __udivdi3(u64 a, u64 b) { return udivmod(a, b, 0); }

u64 __umoddi3(u64 a, u64 b) {
    u64 r;
    udivmod(a, b, &r);
    return r;
}

static u64 magnitude(i64 v) { return v < 0 ? (u64)0 - (u64)v : (u64)v; }

i64 __divdi3(i64 a, i64 b) {
    u64 q = udivmod(magnitude(a), magnitude(b), 0);
    return (i64)(((a < 0) != (b < 0)) ? (u64)0 - q : q);
}

i64 __moddi3(i64 a, i64 b) {
    u64 r;
    udivmod(magnitude(a), magnitude(b), &r);
    return (i64)(a < 0 ? (u64)0 - r : r);
}
