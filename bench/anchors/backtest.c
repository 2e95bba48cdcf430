/*
 * Anchor for bench/backtest.bench.ts: the headline backtest of docs/backtest-accounting.md in
 * plain C (equal weights, netting on, taker fee + fixed slippage + funding, no universe, no
 * maxWeight / volatility target), one thread. Sums run in the order the TypeScript backtest
 * uses, so the equity curves agree to the last bit.
 *
 * Input (little-endian, written by the bench): int32 nDays, nSymbols, long, short, lag, hold,
 * tranches; float64 leverage, fee, slippage; float64 close[nDays·nSymbols] (NaN: no close),
 * funding[nDays·nSymbols] (NaN: 0), prediction[nDays·nSymbols] (NaN: no signal), day-major,
 * symbols in code-point order, signal dates = market dates.
 * Output: float64 equity from the first entry day to the last day, to the output file; the
 * milliseconds spent after reading the input, on stdout.
 *
 * Build: cc -O2 -ffp-contract=off -o backtest backtest.c -lm
 * Run:   ./backtest input.bin equity.bin
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int precedes(double p, int c, double q, int d) { return p < q || (p == q && c < d); }

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: backtest input.bin equity.bin\n");
    return 2;
  }
  FILE *in = fopen(argv[1], "rb");
  if (!in) return 2;
  int32_t h[7];
  double r[3];
  if (fread(h, 4, 7, in) != 7 || fread(r, 8, 3, in) != 3) return 2;
  const int nD = h[0], nS = h[1], nLongReq = h[2], nShortReq = h[3], lag = h[4], hold = h[5], nTr = h[6];
  const double leverage = r[0], feeRate = r[1], slipRate = r[2];
  const size_t cells = (size_t)nD * nS;
  double *actual = malloc(cells * 8), *rate = malloc(cells * 8), *pred = malloc(cells * 8);
  if (fread(actual, 8, cells, in) != cells || fread(rate, 8, cells, in) != cells || fread(pred, 8, cells, in) != cells) return 2;
  fclose(in);

  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);

  /* Carried closes and funding rates (missing: 0). */
  double *close = malloc(cells * 8);
  for (int s = 0; s < nS; s++) {
    double last = NAN;
    for (int t = 0; t < nD; t++) {
      size_t i = (size_t)t * nS + s;
      if (!isnan(actual[i])) last = actual[i];
      close[i] = last;
      if (isnan(rate[i])) rate[i] = 0;
    }
  }

  /* Baskets per signal day: the short leg ascending, then the long leg ascending, by (prediction, symbol). */
  int *bStart = calloc(nD + 1, sizeof(int));
  int *bSym = malloc(sizeof(int) * (size_t)nD * (nLongReq + nShortReq));
  signed char *bSide = malloc((size_t)nD * (nLongReq + nShortReq));
  double *bWeight = malloc(sizeof(double) * (size_t)nD * (nLongReq + nShortReq));
  int *bottom = malloc(sizeof(int) * nShortReq), *top = malloc(sizeof(int) * nLongReq);
  int nb_total = 0;
  for (int d = 0; d < nD; d++) {
    bStart[d] = nb_total;
    const double *p = pred + (size_t)d * nS;
    int m = 0;
    for (int s = 0; s < nS; s++) m += !isnan(p[s]);
    if (m < 2) continue;
    int half = m / 2;
    int nShort = m < nLongReq + nShortReq ? (nShortReq < half ? nShortReq : half) : nShortReq;
    int nLong = m < nLongReq + nShortReq ? (nLongReq < half ? nLongReq : half) : nLongReq;
    int nb = 0, nt = 0;
    for (int s = 0; s < nS; s++) {
      double v = p[s];
      if (isnan(v)) continue;
      if (nb < nShort || precedes(v, s, p[bottom[nb - 1]], bottom[nb - 1])) {
        int k = nb < nShort ? nb++ : nb - 1;
        while (k > 0 && precedes(v, s, p[bottom[k - 1]], bottom[k - 1])) {
          bottom[k] = bottom[k - 1];
          k--;
        }
        bottom[k] = s;
      }
      if (nt < nLong || precedes(p[top[nt - 1]], top[nt - 1], v, s)) {
        int k = nt < nLong ? nt++ : nt - 1;
        while (k > 0 && precedes(p[top[k - 1]], top[k - 1], v, s)) {
          top[k] = top[k - 1];
          k--;
        }
        top[k] = s;
      }
    }
    for (int k = 0; k < nShort; k++) {
      bSym[nb_total] = bottom[k];
      bSide[nb_total] = -1;
      bWeight[nb_total++] = 1.0 / nShort;
    }
    for (int k = nLong - 1; k >= 0; k--) {
      bSym[nb_total] = top[k];
      bSide[nb_total] = 1;
      bWeight[nb_total++] = 1.0 / nLong;
    }
  }
  bStart[nD] = nb_total;

  /* The book: positions per opened tranche; net quantity, holders, the day's net trades. */
  int *posStart = malloc(sizeof(int) * (nD + 1)), *posSym = malloc(sizeof(int) * (nb_total + 1));
  double *posQty = malloc(sizeof(double) * (nb_total + 1));
  int *exitingAt = malloc(sizeof(int) * nD), *entryOf = malloc(sizeof(int) * nD);
  for (int t = 0; t < nD; t++) exitingAt[t] = -1, entryOf[t] = -1;
  for (int d = 0; d < nD; d++) {
    int e = d + lag;
    if (e < nD && bStart[d + 1] > bStart[d]) entryOf[e] = d;
  }
  double *quantity = calloc(nS, 8), *delta = calloc(nS, 8);
  int *holders = calloc(nS, sizeof(int)), *touched = malloc(sizeof(int) * nS), *stamp = malloc(sizeof(int) * nS);
  for (int s = 0; s < nS; s++) stamp[s] = -1;
  int *legSym = malloc(sizeof(int) * (nLongReq + nShortReq));
  double *legW = malloc(sizeof(double) * (nLongReq + nShortReq));
  double *equityOut = malloc(sizeof(double) * nD);
  int opened = 0, nPos = 0, first = -1, nOut = 0, nTouched = 0;
  posStart[0] = 0;
  double equity = 1;
  const double legNotional = ((leverage / nTr) * 1) / 2;

  for (int t = 0; t < nD; t++) {
    const size_t row = (size_t)t * nS;
    double gross = 0, fund = 0;
    if (first >= 0) {
      const size_t prev = row - nS;
      for (int s = 0; s < nS; s++) {
        if (holders[s] == 0) continue;
        double q = quantity[s];
        if (q == 0) continue;
        double c = close[row + s];
        gross += q * (c - close[prev + s]);
        fund += -(q * c) * rate[row + s];
      }
    }
    /* Exit, then entry, at the close of t. */
    for (int k = 0; k < nTouched; k++) delta[touched[k]] = 0;
    nTouched = 0;
    int exited = exitingAt[t], entered = -1;
    if (exited >= 0) {
      for (int j = posStart[exited]; j < posStart[exited + 1]; j++) {
        int s = posSym[j];
        double q = posQty[j];
        if (stamp[s] != t) stamp[s] = t, touched[nTouched++] = s;
        delta[s] += -q;
        if (--holders[s] == 0) quantity[s] = 0;
        else quantity[s] -= q;
      }
    }
    int d = entryOf[t];
    if (d >= 0) {
      int at = nPos, ok = 1;
      for (int side = -1; side <= 1 && ok; side += 2) {
        int legStart = at, m = 0;
        double total = 0;
        for (int j = bStart[d]; j < bStart[d + 1]; j++) {
          if (bSide[j] != side) continue;
          int s = bSym[j];
          if (isnan(actual[row + s])) continue;
          legSym[m] = s;
          legW[m] = bWeight[j];
          total += bWeight[j];
          m++;
        }
        if (m == 0 || !(total > 0)) {
          ok = 0;
          break;
        }
        for (int i = 0; i < m; i++) {
          double amount = (legNotional * legW[i]) / total;
          if (amount <= 0) continue;
          posSym[at] = legSym[i];
          posQty[at] = (side * amount) / close[row + legSym[i]];
          at++;
        }
        if (at == legStart) ok = 0;
      }
      if (ok) {
        int k = opened++;
        posStart[k + 1] = at;
        if (t + hold < nD) exitingAt[t + hold] = k;
        for (int j = nPos; j < at; j++) {
          int s = posSym[j];
          double q = posQty[j];
          if (stamp[s] != t) stamp[s] = t, touched[nTouched++] = s;
          delta[s] += q;
          quantity[s] += q;
          holders[s]++;
        }
        nPos = at;
        entered = k;
      }
    }
    if (first < 0) {
      if (entered < 0) continue;
      first = t;
    }
    double fee = 0, slip = 0;
    for (int i = 0; i < nTouched; i++) {
      int s = touched[i];
      double dq = delta[s];
      if (dq == 0) continue;
      double n = fabs(dq) * close[row + s];
      fee += feeRate * fabs(n);
      slip += slipRate * fabs(n);
    }
    double net = gross - fee - slip + fund;
    equity += net;
    equityOut[nOut++] = equity;
  }

  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("%.3f\n", (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6);
  FILE *out = fopen(argv[2], "wb");
  if (!out) return 2;
  fwrite(equityOut, 8, nOut, out);
  fclose(out);
  return 0;
}
