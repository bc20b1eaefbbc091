// RUN: quant-opt %s --qnt-pack-sub-byte-storage --verify-diagnostics

// Sub-byte arguments need a static shape to be unpacked.
// expected-error@+1 {{sub-byte argument 0 of type 'memref<?xi4>' needs a static shape and an identity layout}}
func.func @dynamic(%m: memref<?xi4>, %i: index) -> i4 {
  %v = memref.load %m[%i] : memref<?xi4>
  return %v : i4
}
