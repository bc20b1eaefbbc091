//===- RuntimeSymbols.h - Run-time functions the conversions call -*- C++
//-*-===//
//
// Functions of the OpenMP runtime and of quant's observer runtime that
// several conversions call or recognize, with their declarations, and the
// work estimate the kernel call sites leave for qnt-parallel-min-work.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_LIB_CONVERSION_RUNTIMESYMBOLS_H
#define QUANT_LIB_CONVERSION_RUNTIMESYMBOLS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::qnt {

/// The observer runtime's entry (qnt-lower-observers-to-calls).
inline constexpr StringLiteral kObserveFunction = "quant_observe_f32";

/// The OpenMP runtime's thread count for the next parallel region.
inline constexpr StringLiteral kThreadCountFunction = "omp_get_max_threads";

/// On an scf.parallel: the estimated operations (qnt-parallel-min-work's
/// unit) per point of its iteration space, an f64; an iteration covers
/// step_0 x step_1 x ... points. Set where the body's work is not in the IR
/// (a kernel library call).
inline constexpr StringLiteral kPointWorkAttr = "qnt.point_work";

/// Whether `module` leaves the name omp_get_max_threads free or declares it
/// as the runtime's `() -> i32`.
inline bool canUseThreadCount(ModuleOp module) {
  Operation *existing = module.lookupSymbol(kThreadCountFunction);
  if (!existing)
    return true;
  auto fn = dyn_cast<func::FuncOp>(existing);
  return fn &&
         fn.getFunctionType() ==
             FunctionType::get(module.getContext(), {},
                               {IntegerType::get(module.getContext(), 32)});
}

/// omp_get_max_threads, declared in `module` unless it is there; only call
/// where canUseThreadCount(module).
inline func::FuncOp getThreadCountFunction(OpBuilder &b, ModuleOp module) {
  if (auto fn = module.lookupSymbol<func::FuncOp>(kThreadCountFunction))
    return fn;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  auto fn = func::FuncOp::create(b, module.getLoc(), kThreadCountFunction,
                                 b.getFunctionType({}, {b.getI32Type()}));
  fn.setPrivate();
  return fn;
}

} // namespace mlir::qnt

#endif // QUANT_LIB_CONVERSION_RUNTIMESYMBOLS_H
