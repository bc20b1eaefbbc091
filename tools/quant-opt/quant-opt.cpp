//===- quant-opt.cpp - quant pass driver ----------------------------------===//
//
// mlir-opt with the qnt dialect and passes, plus the upstream dialects and
// passes that quantized models meet on their way to CPU and GPU code.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Index/IR/IndexDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "quant/InitAll.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::qnt::registerQuantDialects(registry);
  registry.insert<
      mlir::affine::AffineDialect, mlir::amx::AMXDialect,
      mlir::arith::ArithDialect, mlir::bufferization::BufferizationDialect,
      mlir::cf::ControlFlowDialect, mlir::func::FuncDialect,
      mlir::gpu::GPUDialect, mlir::index::IndexDialect, mlir::LLVM::LLVMDialect,
      mlir::linalg::LinalgDialect, mlir::math::MathDialect,
      mlir::memref::MemRefDialect, mlir::NVVM::NVVMDialect,
      mlir::nvgpu::NVGPUDialect, mlir::quant::QuantDialect,
      mlir::scf::SCFDialect, mlir::tensor::TensorDialect,
      mlir::tosa::TosaDialect, mlir::transform::TransformDialect,
      mlir::vector::VectorDialect, mlir::x86vector::X86VectorDialect>();
  // Interfaces (bufferization, inlining, LLVM translation) of the dialects
  // above live in extensions.
  mlir::registerAllExtensions(registry);
  mlir::registerAllPasses();
  mlir::qnt::registerQuantPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "quant optimizer driver\n", registry));
}
