// QUANT_MAX_CPU_ISA caps the instruction sets the kernels use (portable,
// avx2, avx2_vnni, avx512, amx; any case). The bundled int8 CNN (QAT,
// --fuse-qdq) gives the bits of the uncapped run under every cap: its
// convolutions take the GEMM (the AVX2 or AVX-VNNI microkernel under those
// caps) where the direct AVX-512 ones are excluded. The fp32 CNN gives the
// same bits down to the avx512 cap; below it, its tiles multiply and add
// where AVX-512 fuses the two, so outputs may differ in their last bits.
// int8-kernels.mlir checks each int8 layer kind under the caps against NumPy.

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/img.npy', ((np.arange(37 * 784) * 7) %% 256 / 255).astype(np.float32).reshape(37, 1, 28, 28))"
// RUN: quant-compile %quant_src_root/models/fmnist_cnn.onnx --target=cpu -o %t/cnn.so
// RUN: quant-compile %quant_src_root/models/fmnist_cnn_qat.onnx --target=cpu --fuse-qdq -o %t/qat.so
// RUN: for m in cnn qat; do quant-run %t/$m.so --input=%t/img.npy --output=%t/$m.npz || exit 1; for isa in portable avx2 avx2_vnni AVX512 amx; do env QUANT_MAX_CPU_ISA=$isa quant-run %t/$m.so --input=%t/img.npy --output=%t/$m-$isa.npz || exit 1; done; done
// RUN: for isa in portable avx2 avx2_vnni AVX512 amx; do cmp %t/qat.npz %t/qat-$isa.npz || exit 1; done
// RUN: for isa in AVX512 amx; do cmp %t/cnn.npz %t/cnn-$isa.npz || exit 1; done
// RUN: %python -c "import numpy as np; o = lambda n: np.load('%t/' + n + '.npz')['output_0']; print('fp32 close', all(np.allclose(o('cnn-' + i), o('cnn'), rtol=1e-5, atol=1e-5) for i in ('portable', 'avx2', 'avx2_vnni')))" | FileCheck %s --check-prefix=FP32
// FP32: fp32 close True

// Calibration statistics (AVX-512 where allowed) are the same bytes under a
// cap, on batches long enough for the vector code.
// RUN: %python -c "import numpy as np; x = ((np.arange(200000 * 4) * 7919 %% 10007) / 1000 - 4).astype(np.float32).reshape(200000, 4); x[::7] = abs(x[::7]); np.savez('%t/obs.npz', x=x)"
// RUN: quant-calibrate %S/calibrate.mlir --data=%t/obs.npz --batch=8192 -o %t/stats.json
// RUN: env QUANT_MAX_CPU_ISA=avx2 quant-calibrate %S/calibrate.mlir --data=%t/obs.npz --batch=8192 -o %t/stats-avx2.json
// RUN: cmp %t/stats.json %t/stats-avx2.json

// quant-run --benchmark names the int8 GEMM path the kernels run: the cap
// decides it, down to the CPU's own (lit's cpu-* features, from
// /proc/cpuinfo). An empty value is no cap.
// RUN: env QUANT_MAX_CPU_ISA=portable quant-run %t/qat.so --input=%t/img.npy --benchmark=1 | FileCheck %s --check-prefix=PORTABLE
// PORTABLE: kernels: portable
// RUN: %if cpu-avx2 %{ env QUANT_MAX_CPU_ISA=avx2 quant-run %t/qat.so --input=%t/img.npy --benchmark=1 | FileCheck %s --check-prefix=AVX2 %}
// AVX2: kernels: avx2{{$}}
// RUN: %if cpu-avx-vnni %{ env QUANT_MAX_CPU_ISA=avx2_vnni quant-run %t/qat.so --input=%t/img.npy --benchmark=1 | FileCheck %s --check-prefix=AVXVNNI %}
// AVXVNNI: kernels: avx2_vnni
// RUN: %if cpu-avx512-vnni %{ env QUANT_MAX_CPU_ISA=avx512 quant-run %t/qat.so --input=%t/img.npy --benchmark=1 | FileCheck %s --check-prefix=AVX512 %}
// RUN: %if cpu-avx512-vnni %{ env QUANT_MAX_CPU_ISA= quant-run %t/qat.so --input=%t/img.npy --benchmark=1 | FileCheck %s --check-prefix=AVX512-OR-AMX %}
// AVX512: kernels: avx512_vnni
// AVX512-OR-AMX: kernels: {{avx512_vnni|amx}}

// A value that names no instruction set stops the tools before they run.
// RUN: env QUANT_MAX_CPU_ISA=avx3 not quant-run %t/qat.so --input=%t/img.npy --output=%t/bad.npz 2>&1 | FileCheck %s
// RUN: test ! -e %t/bad.npz
// RUN: env QUANT_MAX_CPU_ISA=avx3 not quant-calibrate %t/qat.so 2>&1 | FileCheck %s
// CHECK: error: QUANT_MAX_CPU_ISA='avx3' is not one of portable, avx2, avx2_vnni, avx512, amx
