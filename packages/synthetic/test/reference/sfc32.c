/* Reference sfc32 (Chris Doty-Humphrey, PractRand) seeded with splitmix32, as nmrblox seeds it.
   Build: cc -O2 -o /tmp/sfc32 sfc32.c && /tmp/sfc32 */
#include <stdint.h>
#include <stdio.h>

static uint32_t sm;
static uint32_t splitmix32(void) {
  uint32_t z = (sm += 0x9e3779b9u);
  z = (z ^ (z >> 16)) * 0x85ebca6bu;
  z = (z ^ (z >> 13)) * 0xc2b2ae35u;
  return z ^ (z >> 16);
}

static uint32_t a, b, c, counter;
static uint32_t sfc32(void) {
  uint32_t tmp = a + b + counter++;
  a = b ^ (b >> 9);
  b = c + (c << 3);
  c = (c << 21) | (c >> 11);
  c = c + tmp;
  return tmp;
}

static void seed(uint32_t s) {
  sm = s;
  a = splitmix32(); b = splitmix32(); c = splitmix32(); counter = splitmix32();
  for (int i = 0; i < 12; i++) sfc32();
}

int main(void) {
  uint32_t seeds[3] = {0u, 42u, 4294967295u};
  for (int k = 0; k < 3; k++) {
    seed(seeds[k]);
    printf("seed %u:", seeds[k]);
    for (int i = 0; i < 6; i++) printf(" %u", sfc32());
    printf("\n");
  }
  return 0;
}
