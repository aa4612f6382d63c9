/*
 * Elementary functions written here so that every build (wasm SIMD, wasm scalar, native gcc) computes
 * the same bits: libm implementations differ between platforms, and the wasm builds have no libm at all.
 * Only IEEE basic operations (+ - * /, conversions) are used, and the build forbids contraction into FMA,
 * so each line below rounds identically everywhere.
 */
#include "tt.h"

typedef union { double d; uint64_t u; } f64bits;

const TTExpfConsts tt_expf_consts = {
    .log2e = 1.44269502f,
    .ln2_hi = 0.693145751953125f, /* 0x3f317200: 15 significant bits */
    .ln2_lo = 1.42860677e-06f,
    .overflow = 88.7228394f,
    .underflow = -103.972084f,
    .half = 0.5f,
    .c7 = 1.0f / 5040.0f,
    .c6 = 1.0f / 720.0f,
    .c5 = 1.0f / 120.0f,
    .c4 = 1.0f / 24.0f,
    .c3 = 1.0f / 6.0f,
    .one = 1.0f,
};

/* exp(x) in float: see tt_expf_with in tt.h. */
float tt_expf(float x) { return tt_expf_with(tt_expf_consts, x); }

static double pow2(int k) { /* 2^k for -1022 <= k <= 1023 */
  f64bits b;
  b.u = (uint64_t)(k + 1023) << 52;
  return b.d;
}

/* exp(x) in double, same scheme with a degree-13 series; used only while building the RoPE tables. */
double tt_exp(double x) {
  const double LOG2E = 1.4426950408889634;
  const double LN2_HI = 6.93147180369123816490e-01; /* fdlibm's split of ln 2 */
  const double LN2_LO = 1.90821492927058770002e-10;
  if (x != x) return x + x;
  if (x > 709.0) x = 709.0;
  if (x < -708.0) return 0.0;
  double t = x * LOG2E;
  int k = (int)(t + (t >= 0.0 ? 0.5 : -0.5));
  double kd = (double)k;
  double r = (x - kd * LN2_HI) - kd * LN2_LO;
  double p = 1.0 / 6227020800.0; /* 1/13! */
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  return p * pow2(k);
}

/* sin and cos of |r| <= pi/4 by Taylor series (degree 17 / 18: truncation error < 1e-16). */
static double sin_kernel(double r) {
  double z = r * r;
  double p = 1.0 / 355687428096000.0; /* 1/17! */
  p = p * z - 1.0 / 1307674368000.0;
  p = p * z + 1.0 / 6227020800.0;
  p = p * z - 1.0 / 39916800.0;
  p = p * z + 1.0 / 362880.0;
  p = p * z - 1.0 / 5040.0;
  p = p * z + 1.0 / 120.0;
  p = p * z - 1.0 / 6.0;
  return r + r * z * p;
}

static double cos_kernel(double r) {
  double z = r * r;
  double p = -1.0 / 6402373705728000.0; /* -1/18! */
  p = p * z + 1.0 / 20922789888000.0;
  p = p * z - 1.0 / 87178291200.0;
  p = p * z + 1.0 / 479001600.0;
  p = p * z - 1.0 / 3628800.0;
  p = p * z + 1.0 / 40320.0;
  p = p * z - 1.0 / 720.0;
  p = p * z + 1.0 / 24.0;
  return (1.0 - 0.5 * z) + z * z * p;
}

/*
 * Reduce x >= 0 to r = x - k*pi/2 with |r| <= pi/4 (Cody-Waite, pi/2 split in three as in fdlibm, the first two
 * parts with 33 significant bits so k*part is exact for k < 2^20). Accurate for the RoPE angles we need
 * (pos * freq <= seq_len, far below 2^20).
 */
static double reduce_half_pi(double x, int *quadrant) {
  const double TWO_OVER_PI = 6.36619772367581382433e-01;
  const double PIO2_1 = 1.57079632673412561417e+00;
  const double PIO2_2 = 6.07710050630396597660e-11;
  const double PIO2_2T = 2.02226624879595063154e-21;
  int k = (int)(x * TWO_OVER_PI + 0.5);
  double kd = (double)k;
  *quadrant = k & 3;
  return ((x - kd * PIO2_1) - kd * PIO2_2) - kd * PIO2_2T;
}

double tt_sin(double x) {
  if (x < 0.0) return -tt_sin(-x);
  int q;
  double r = reduce_half_pi(x, &q);
  switch (q) {
    case 0: return sin_kernel(r);
    case 1: return cos_kernel(r);
    case 2: return -sin_kernel(r);
    default: return -cos_kernel(r);
  }
}

double tt_cos(double x) {
  if (x < 0.0) x = -x;
  int q;
  double r = reduce_half_pi(x, &q);
  switch (q) {
    case 0: return cos_kernel(r);
    case 1: return -sin_kernel(r);
    case 2: return -cos_kernel(r);
    default: return sin_kernel(r);
  }
}

/*
 * Natural logarithm in double (used by training: log-sum-exp of the logits, the DPO loss). x = 2^k * m with
 * m in [sqrt(1/2), sqrt(2)), then log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.1716, by its odd series to
 * s^23 (truncation error < 1e-18 relative); ln 2 split in two as in tt_exp so k * LN2_HI is exact.
 */
double tt_log(double x) {
  const double LN2_HI = 6.93147180369123816490e-01;
  const double LN2_LO = 1.90821492927058770002e-10;
  const double SQRT2 = 1.41421356237309504880;
  f64bits b;
  if (x != x) return x + x;       /* NaN stays NaN */
  if (x < 0.0) return (x - x) / (x - x); /* NaN */
  if (x == 0.0) { b.u = 0xfff0000000000000ull; return b.d; } /* -inf */
  b.d = x;
  if ((b.u >> 52) == 0x7ff) return x; /* +inf */
  int k = 0;
  if ((b.u >> 52) == 0) { /* subnormal: scale into the normal range first */
    b.d = x * 18014398509481984.0; /* 2^54 */
    k = -54;
  }
  k += (int)(b.u >> 52) - 1023;
  b.u = (b.u & 0x000fffffffffffffull) | 0x3ff0000000000000ull; /* m in [1, 2) */
  double m = b.d;
  if (m > SQRT2) {
    m = m * 0.5;
    k++;
  }
  double f = m - 1.0; /* exact: m is within a factor 2 of 1 */
  double s = f / (2.0 + f);
  double z = s * s;
  double p = 1.0 / 23.0;
  p = p * z + 1.0 / 21.0;
  p = p * z + 1.0 / 19.0;
  p = p * z + 1.0 / 17.0;
  p = p * z + 1.0 / 15.0;
  p = p * z + 1.0 / 13.0;
  p = p * z + 1.0 / 11.0;
  p = p * z + 1.0 / 9.0;
  p = p * z + 1.0 / 7.0;
  p = p * z + 1.0 / 5.0;
  p = p * z + 1.0 / 3.0;
  double logm = 2.0 * s + 2.0 * s * (z * p);
  double kd = (double)k;
  return kd * LN2_HI + (logm + kd * LN2_LO);
}
