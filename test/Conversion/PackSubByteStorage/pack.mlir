// RUN: quant-opt %s --split-input-file --qnt-pack-sub-byte-storage | FileCheck %s

// Constants pack two i4 values a byte, the first in the low nibble:
// [2, -4, 6] -> 0x2 | 0xC << 4 = 0xC2 (-62), then 0x6.
// CHECK: memref.global "private" constant @c : memref<2xi8> = dense<[-62, 6]>
// CHECK-LABEL: func.func @constant
// CHECK-SAME: () -> memref<2xi8>
// CHECK: memref.get_global @c : memref<2xi8>
memref.global "private" constant @c : memref<3xi4> = dense<[2, -4, 6]>
func.func @constant() -> memref<3xi4> {
  %g = memref.get_global @c : memref<3xi4>
  return %g : memref<3xi4>
}

// -----

// Arguments become flat byte buffers, unpacked into a local buffer on
// entry: element i is bits (i mod 2) * 4 of byte i / 2.
// CHECK-LABEL: func.func @argument
// CHECK-SAME: (%[[ARG:.*]]: memref<3xi8>, %{{.*}}: index) -> i4
// CHECK: %[[LOCAL:.*]] = memref.alloc() : memref<3xi8>
// CHECK: scf.for
// CHECK: memref.load %[[ARG]]
// CHECK: arith.shrui
// CHECK: arith.trunci %{{.*}} : i8 to i4
// CHECK: memref.atomic_rmw andi
// CHECK: memref.atomic_rmw ori
// CHECK: memref.load %[[LOCAL]]
// CHECK: memref.dealloc %[[LOCAL]]
func.func @argument(%m: memref<2x3xi4>, %i: index) -> i4 {
  %c0 = arith.constant 0 : index
  %v = memref.load %m[%c0, %i] : memref<2x3xi4>
  return %v : i4
}

// -----

// Results and allocations of u2 pack four values a byte.
// CHECK-LABEL: func.func @result
// CHECK-SAME: -> memref<2xi8>
// CHECK: memref.alloc() : memref<2xi8>
func.func @result(%v: i2) -> memref<6xi2> {
  %c0 = arith.constant 0 : index
  %m = memref.alloc() : memref<6xi2>
  memref.store %v, %m[%c0] : memref<6xi2>
  return %m : memref<6xi2>
}

// -----

// Booleans stay one byte per value.
// CHECK-LABEL: func.func @booleans
// CHECK-SAME: (%{{.*}}: memref<6xi1>, %{{.*}}: index) -> i1
// CHECK: memref.load %{{.*}} : memref<6xi1>
func.func @booleans(%m: memref<6xi1>, %i: index) -> i1 {
  %v = memref.load %m[%i] : memref<6xi1>
  return %v : i1
}
