// quant-compile rejects bad requests with a message and a non-zero exit,
// and leaves no output file behind.

// RUN: rm -rf %t && mkdir -p %t
// RUN: not quant-compile %s --target=nvptx -o %t/out.so 2>&1 | FileCheck %s --check-prefix=TARGET
// TARGET: quant-compile: error: target 'nvptx' is not supported (supported: cpu)
// RUN: not quant-compile %s -o %t/out.a 2>&1 | FileCheck %s --check-prefix=EXT
// EXT: quant-compile: error: output '{{.*}}out.a' must end in .o, .so or .mlir
// RUN: not quant-compile %t/missing.mlir -o %t/out.so 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: quant-compile: error: cannot open input file '{{.*}}missing.mlir'
// RUN: not quant-compile %s --function=nope -o %t/out.so 2>&1 | FileCheck %s --check-prefix=NOFUNC
// NOFUNC: quant-compile: error: no function @nope with a body in the module
// RUN: not quant-compile %s --function=scalar -o %t/out.so 2>&1 | FileCheck %s --check-prefix=SCALAR
// SCALAR: quant-compile: error: argument 0 of @scalar has type f32; only ranked tensors can be passed to or returned from a run
// RUN: not quant-compile %s --function=unranked -o %t/out.so 2>&1 | FileCheck %s --check-prefix=UNRANKED
// UNRANKED: quant-compile: error: argument 0 of @unranked has type tensor<*xf32>; only ranked tensors
// Without --function every public function is compiled: @scalar fails.
// RUN: not quant-compile %s --target=cpu -o %t/out.so 2>&1 | FileCheck %s --check-prefix=ANY
// ANY: quant-compile: error: argument 0 of @scalar
// RUN: not quant-compile %s --function=ok --cpu=bogus -o %t/out.so 2>&1 | FileCheck %s --check-prefix=CPU --implicit-check-not=recognized
// CPU: quant-compile: error: unknown CPU 'bogus' for x86_64{{.*}} (use native, or an LLVM CPU name such as x86-64-v4 or sapphirerapids)
// RUN: not ls %t/out.so %t/out.o %t/out.h %t/out.a 2>&1 | FileCheck %s --check-prefix=NOFILES
// NOFILES-NOT: {{^}}{{.*}}/out.{{so|o|h|a}}{{$}}

func.func @ok(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}

func.func @scalar(%x: f32) -> f32 {
  return %x : f32
}

func.func @unranked(%x: tensor<*xf32>) -> tensor<*xf32> {
  return %x : tensor<*xf32>
}
