/*
 * CORR + MMC anchor for bench/scores.bench.ts: the same definitions as numerai-tools'
 * numerai_corr and correlation_contribution (tie-kept ranks, AS241 inverse normal CDF, pow 1.5,
 * Pearson; MMC's orthogonalized prediction against the 4x-scaled centred target), in plain C
 * with qsort, one thread. Reading the input is not timed.
 *
 * Input (little-endian): int32 eras, rows, predictions; then doubles target[eras*rows],
 * meta[eras*rows], and each prediction's [eras*rows].
 * Usage: scores <file> percall|shared <runs>
 *   percall: each metric ranks its own inputs, as numerai-tools' functions do (the prediction
 *            twice per era, the meta model once per prediction);
 *   shared:  each prediction and the meta model ranked once per era.
 * Prints: best wall-clock milliseconds over the runs, the number of sorts in one run, and the
 * sums of the CORR and MMC values (to compare with nmrblox).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const double A[8] = {3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
                            45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727};
static const double B[8] = {1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077,
                            21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561};
static const double C[8] = {1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
                            1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4};
static const double D[8] = {1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455,
                            0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9};
static const double E[8] = {6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
                            0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7};
static const double F[8] = {1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
                            7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15};

static double poly(const double *c, double r) {
  double s = c[7];
  for (int i = 6; i >= 0; i--) s = s * r + c[i];
  return s;
}

/* Wichura's AS241 (PPND16). */
static double ndtri(double p) {
  double q = p - 0.5;
  if (fabs(q) <= 0.425) {
    double r = 0.180625 - q * q;
    return q * poly(A, r) / poly(B, r);
  }
  double r = q < 0 ? p : 1 - p;
  if (r == 0) return q < 0 ? -INFINITY : INFINITY;
  r = sqrt(-log(r));
  double v = r <= 5 ? poly(C, r - 1.6) / poly(D, r - 1.6) : poly(E, r - 5) / poly(F, r - 5);
  return q < 0 ? -v : v;
}

static const double *sort_values;
static long sorts;

static int by_value(const void *a, const void *b) {
  int i = *(const int *)a, j = *(const int *)b;
  double x = sort_values[i], y = sort_values[j];
  if (x < y) return -1;
  if (x > y) return 1;
  return i - j;
}

/* out = gaussianize(tie-kept rank(x)): qsort of row numbers, ties share their mean rank. */
static void gauss_rank(const double *x, int n, int *order, double *out) {
  for (int i = 0; i < n; i++) order[i] = i;
  sort_values = x;
  qsort(order, n, sizeof(int), by_value);
  sorts++;
  int s = 0;
  while (s < n) {
    int e = s + 1;
    while (e < n && x[order[e]] == x[order[s]]) e++;
    double z = ndtri(((s + 1 + e) / 2.0 - 0.5) / n);
    for (int i = s; i < e; i++) out[order[i]] = z;
    s = e;
  }
}

static double pow15(double v) { return v > 0 ? v * sqrt(v) : v < 0 ? v * sqrt(-v) : v; }

static double pearson(const double *x, const double *y, int n) {
  double sx = 0, sy = 0;
  for (int i = 0; i < n; i++) {
    sx += x[i];
    sy += y[i];
  }
  double mx = sx / n, my = sy / n, sxx = 0, syy = 0, sxy = 0;
  for (int i = 0; i < n; i++) {
    double dx = x[i] - mx, dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  return sxy / sqrt(sxx) / sqrt(syy);
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: scores <file> percall|shared <runs>\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f) return 1;
  int32_t head[3];
  if (fread(head, 4, 3, f) != 3) return 1;
  int eras = head[0], rows = head[1], preds = head[2];
  size_t n = (size_t)eras * rows;
  double *target = malloc(n * 8), *meta = malloc(n * 8), *pred = malloc(n * preds * 8);
  if (fread(target, 8, n, f) != n || fread(meta, 8, n, f) != n || fread(pred, 8, n * preds, f) != n * preds) return 1;
  fclose(f);
  int shared = strcmp(argv[2], "shared") == 0;
  int runs = atoi(argv[3]);
  int *order = malloc(rows * sizeof(int));
  double *gp = malloc(rows * 8), *gm = malloc(rows * 8), *p15 = malloc(rows * 8), *t15 = malloc(rows * 8), *t4 = malloc(rows * 8);
  double best = INFINITY, corr_sum = 0, mmc_sum = 0;
  long sorts_per_run = 0;
  for (int run = 0; run < runs; run++) {
    double t0 = now_ms();
    sorts = 0;
    corr_sum = 0;
    mmc_sum = 0;
    for (int e = 0; e < eras; e++) {
      const double *t = target + (size_t)e * rows, *m = meta + (size_t)e * rows;
      /* CORR target: centred, pow 1.5. MMC target: scaled by 4 (targets in [0, 1]), centred. */
      double s = 0;
      for (int i = 0; i < rows; i++) s += t[i];
      double mean = s / rows, s4 = 0;
      for (int i = 0; i < rows; i++) {
        t15[i] = pow15(t[i] - mean);
        t4[i] = t[i] * 4;
        s4 += t4[i];
      }
      for (int i = 0; i < rows; i++) t4[i] -= s4 / rows;
      if (shared) gauss_rank(m, rows, order, gm);
      for (int k = 0; k < preds; k++) {
        const double *p = pred + (size_t)k * n + (size_t)e * rows;
        gauss_rank(p, rows, order, gp);
        for (int i = 0; i < rows; i++) p15[i] = pow15(gp[i]);
        corr_sum += pearson(p15, t15, rows);
        if (!shared) {
          gauss_rank(p, rows, order, gp); /* correlation_contribution ranks its inputs again */
          gauss_rank(m, rows, order, gm);
        }
        double pm = 0, mm = 0;
        for (int i = 0; i < rows; i++) {
          pm += gp[i] * gm[i];
          mm += gm[i] * gm[i];
        }
        double beta = pm / mm, c = 0;
        for (int i = 0; i < rows; i++) c += t4[i] * (gp[i] - gm[i] * beta);
        mmc_sum += c / rows;
      }
    }
    double ms = now_ms() - t0;
    if (ms < best) best = ms;
    sorts_per_run = sorts;
  }
  printf("%.3f %ld %.17g %.17g\n", best, sorts_per_run, corr_sum, mmc_sum);
  return 0;
}
