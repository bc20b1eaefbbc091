//===- CastBuilders.cpp - Scalar bodies of quantize and dequantize --------===//
//
// Emits the exact per-element arithmetic of quantize and dequantize.
//
//===----------------------------------------------------------------------===//

#include "quant/Conversion/QntToLinalg/CastBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::qnt;

/// q = x is NaN ? zp : clamp(round(x / s) + zp, qmin, qmax), in storage type.
///
///   %d = arith.divf %x, %s : f32
///   %r = math.roundeven %d : f32
///   %a = arith.addf %r, %zp : f32 ; then maximumf/minimumf, select, fptosi
Value qnt::buildQuantize(OpBuilder &b, Location loc, Value x,
                         ElementParamsValues params, quant::QuantizedType type,
                         const CastTypes &types, RoundingMode mode) {
  Value xc = x;
  if (types.expressed != types.compute)
    xc = arith::ExtFOp::create(b, loc, types.compute, x);
  Value quotient = arith::DivFOp::create(b, loc, xc, params.scale);
  Value rounded = mode == RoundingMode::HalfAwayFromZero
                      ? math::RoundOp::create(b, loc, quotient).getResult()
                      : math::RoundEvenOp::create(b, loc, quotient).getResult();
  if (types.clamp != types.compute)
    rounded = arith::ExtFOp::create(b, loc, types.clamp, rounded);
  Value zeroPoint =
      arith::SIToFPOp::create(b, loc, types.clamp, params.zeroPoint);
  Value shifted = arith::AddFOp::create(b, loc, rounded, zeroPoint);
  auto bound = [&](int64_t value) -> Value {
    return arith::ConstantOp::create(
        b, loc, FloatAttr::get(types.clamp, static_cast<double>(value)));
  };
  Value clamped = arith::MaximumFOp::create(b, loc, shifted,
                                            bound(type.getStorageTypeMin()));
  clamped = arith::MinimumFOp::create(b, loc, clamped,
                                      bound(type.getStorageTypeMax()));
  // NaN maps to the zero point; selecting before fptosi keeps it defined.
  Value isNaN =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, xc, xc);
  clamped = arith::SelectOp::create(b, loc, isNaN, zeroPoint, clamped);
  Value integer = arith::FPToSIOp::create(b, loc, types.wide, clamped);
  if (types.wide == types.storage)
    return integer;
  return arith::TruncIOp::create(b, loc, types.storage, integer);
}

/// x = E((q - zp) * s): the difference in a wide integer, exact; the product
/// in the compute type, rounded to the expressed type.
Value qnt::buildDequantize(OpBuilder &b, Location loc, Value q,
                           ElementParamsValues params, const CastTypes &types) {
  Value wide = q;
  if (types.storage != types.wide)
    wide = types.isSigned
               ? arith::ExtSIOp::create(b, loc, types.wide, q).getResult()
               : arith::ExtUIOp::create(b, loc, types.wide, q).getResult();
  Value diff = arith::SubIOp::create(b, loc, wide, params.zeroPoint);
  Value value = arith::SIToFPOp::create(b, loc, types.compute, diff);
  Value product = arith::MulFOp::create(b, loc, value, params.scale);
  if (types.expressed == types.compute)
    return product;
  return arith::TruncFOp::create(b, loc, types.expressed, product);
}
