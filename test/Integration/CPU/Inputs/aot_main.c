/* Runs @mm and @quantize of aot.mlir, compiled ahead of time by
 * quant-compile into an object file, on fixed inputs and prints every output
 * element, so that the lit test compares them with quant-run's. */
#include "aot.h"

#include <stdio.h>
#include <stdlib.h>

static quant_memref_2d view2d(void *data, int64_t rows, int64_t cols) {
  quant_memref_2d d = {data, data, 0, {rows, cols}, {cols, 1}};
  return d;
}

int main(void) {
  uint8_t a[2][4] = {{0, 128, 255, 100}, {3, 200, 17, 129}};
  int8_t w[4][3] = {{1, -2, 3}, {-128, 127, 0}, {5, 6, -7}, {-8, 9, 10}};
  int32_t b[3] = {-100, 0, 250};
  quant_memref_2d av = view2d(a, 2, 4), wv = view2d(w, 4, 3);
  quant_memref_1d bv = {b, b, 0, {3}, {1}};
  quant_memref_2d out;
  _mlir_ciface_mm(&out, &av, &wv, &bv);
  printf("mm:");
  for (int64_t i = 0; i < out.sizes[0] * out.sizes[1]; ++i)
    printf(" %d", ((int8_t *)out.aligned)[out.offset + i]);
  printf("\n");
  free(out.allocated);

  float x[6] = {0.5f, 1.5f, 2.5f, -0.5f, 1000.0f, -1000.0f};
  quant_memref_1d xv = {x, x, 0, {6}, {1}};
  quant_memref_1d q;
  _mlir_ciface_quantize(&q, &xv);
  printf("quantize:");
  for (int64_t i = 0; i < q.sizes[0]; ++i)
    printf(" %d", ((uint8_t *)q.aligned)[q.offset + i]);
  printf("\n");
  free(q.allocated);
  return 0;
}
