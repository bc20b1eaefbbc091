//===- OpsTensor.cpp - ONNX shape and data movement ops -------------------===//
//
// Constant, Identity, Shape, Reshape, Flatten, Transpose, Squeeze,
// Unsqueeze, Concat, Slice, Gather, Split. Integer shape arithmetic on
// constants (Shape -> Gather -> Unsqueeze -> Concat -> Reshape, as PyTorch
// exports it) folds here, so that reshapes get static shapes.
//
//===----------------------------------------------------------------------===//

#include "OpBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"

using namespace mlir;
using namespace mlir::qnt::onnx_frontend;

namespace {

/// An i64 constant tensor of `shape` with `values`.
DenseElementsAttr i64Constant(MLIRContext *ctx, ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get(shape, IntegerType::get(ctx, 64));
  return DenseElementsAttr::get(type, values);
}

/// Integer constant input `i` as int64 values with its shape.
std::optional<std::pair<SmallVector<int64_t>, SmallVector<int64_t>>>
getIntConstant(GraphImporter &im, const onnx::NodeProto &node, int i) {
  if (!im.hasInput(node, i))
    return std::nullopt;
  auto attr = im.getConstant(node.input(i));
  if (!attr || !isa<IntegerType>(attr->getElementType()) ||
      attr->getElementType().isInteger(1))
    return std::nullopt;
  SmallVector<int64_t> values;
  for (APInt v : attr->getValues<APInt>())
    values.push_back(v.getSExtValue());
  return std::make_pair(values,
                        SmallVector<int64_t>(attr->getType().getShape()));
}

LogicalResult importConstant(GraphImporter &im, const onnx::NodeProto &node) {
  const onnx::AttributeProto *value = im.getAttr(node, "value");
  MLIRContext *ctx = im.getContext();
  if (value && value->has_t()) {
    FailureOr<ElementsAttr> attr =
        im.convertTensor(value->t(), im.getLoc(node));
    if (failed(attr))
      return failure();
    if (auto dense = dyn_cast<DenseElementsAttr>(*attr)) {
      im.setConstantOutput(node, 0, dense);
      return success();
    }
    im.setOutput(node, 0,
                 arith::ConstantOp::create(im.builder, im.getLoc(node),
                                           cast<TypedAttr>(*attr)));
    return success();
  }
  if (const onnx::AttributeProto *v = im.getAttr(node, "value_float")) {
    im.setConstantOutput(
        node, 0,
        DenseElementsAttr::get(RankedTensorType::get({}, Float32Type::get(ctx)),
                               v->f()));
    return success();
  }
  if (const onnx::AttributeProto *v = im.getAttr(node, "value_int")) {
    im.setConstantOutput(node, 0, i64Constant(ctx, {}, {v->i()}));
    return success();
  }
  if (const onnx::AttributeProto *v = im.getAttr(node, "value_ints")) {
    SmallVector<int64_t> ints(v->ints().begin(), v->ints().end());
    im.setConstantOutput(node, 0,
                         i64Constant(ctx, {(int64_t)ints.size()}, ints));
    return success();
  }
  if (const onnx::AttributeProto *v = im.getAttr(node, "value_floats")) {
    SmallVector<float> floats(v->floats().begin(), v->floats().end());
    im.setConstantOutput(
        node, 0,
        DenseElementsAttr::get(RankedTensorType::get({(int64_t)floats.size()},
                                                     Float32Type::get(ctx)),
                               ArrayRef<float>(floats)));
    return success();
  }
  return im.emitError(node) << "unsupported constant attribute";
}

LogicalResult importIdentity(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  if (auto constant = im.getConstant(node.input(0))) {
    im.setConstantOutput(node, 0, *constant);
    return success();
  }
  im.setOutput(node, 0, input);
  return success();
}

/// Dropout at inference is the identity; the mask output is all true.
LogicalResult importDropout(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  if (im.hasInput(node, 2)) {
    auto training = im.getConstant(node.input(2), 1);
    if (!training || (*training->getValues<APInt>().begin()) != 0)
      return im.emitError(node) << "only inference (training_mode = false) "
                                   "is supported";
  }
  im.setOutput(node, 0, input);
  if (node.output_size() > 1 && !node.output(1).empty()) {
    auto type = getTensorType(input);
    if (!type.hasStaticShape())
      return im.emitError(node) << "the mask output needs a static shape";
    im.setConstantOutput(
        node, 1,
        DenseElementsAttr::get(
            RankedTensorType::get(type.getShape(), im.builder.getI1Type()),
            true));
  }
  return success();
}

/// Size: the element count, when static.
LogicalResult importSize(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  auto type = getTensorType(input);
  if (!type.hasStaticShape())
    return im.emitError(node) << "Size of a dynamic shape is not supported";
  im.setConstantOutput(
      node, 0, i64Constant(im.getContext(), {}, {type.getNumElements()}));
  return success();
}

/// Shape: constant when the shape is static, else built from tensor.dim.
LogicalResult importShape(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  auto type = getTensorType(input);
  int64_t rank = type.getRank();
  int64_t start = im.getInt(node, "start", 0),
          end = im.getInt(node, "end", rank);
  start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
  end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
  SmallVector<int64_t> dims;
  for (int64_t i = start; i < end; ++i)
    dims.push_back(type.getDimSize(i));
  if (llvm::none_of(dims, ShapedType::isDynamic)) {
    im.setConstantOutput(
        node, 0, i64Constant(im.getContext(), {(int64_t)dims.size()}, dims));
    return success();
  }
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  SmallVector<Value> sizes;
  for (int64_t i = start; i < end; ++i)
    sizes.push_back(arith::IndexCastOp::create(
        b, loc, b.getI64Type(), tensor::DimOp::create(b, loc, input, i)));
  im.setOutput(node, 0, tensor::FromElementsOp::create(b, loc, sizes));
  return success();
}

/// The target shape of Reshape: 0 copies the input dimension (unless
/// allowzero), -1 is inferred.
FailureOr<SmallVector<int64_t>> resolveReshape(GraphImporter &im,
                                               const onnx::NodeProto &node,
                                               RankedTensorType input,
                                               ArrayRef<int64_t> target,
                                               bool allowZero) {
  SmallVector<int64_t> shape;
  int64_t inferred = -1, known = 1;
  for (auto [i, dim] : llvm::enumerate(target)) {
    int64_t size = dim;
    if (dim == 0 && !allowZero) {
      if (i >= static_cast<size_t>(input.getRank()))
        return im.emitError(node)
               << "shape entry 0 at " << i << " has no input dimension to copy";
      size = input.getDimSize(i);
    }
    if (size == -1) {
      if (inferred >= 0)
        return im.emitError(node) << "shape has more than one -1";
      inferred = i;
    } else if (ShapedType::isDynamic(size)) {
      known = -1;
    } else if (size < 0) {
      return im.emitError(node) << "invalid shape entry " << dim;
    } else if (known >= 0) {
      known *= size;
    }
    shape.push_back(size);
  }
  if (inferred >= 0) {
    if (input.hasStaticShape() && known > 0) {
      if (input.getNumElements() % known != 0)
        return im.emitError(node)
               << "cannot reshape " << input << " to the requested shape";
      shape[inferred] = input.getNumElements() / known;
    } else {
      shape[inferred] = ShapedType::kDynamic;
    }
  }
  if (llvm::count_if(shape, ShapedType::isDynamic) > 1)
    return im.emitError(node)
           << "reshape to more than one dynamic dimension is not supported";
  // A static target must hold a multiple of the input's static part.
  if (llvm::none_of(shape, ShapedType::isDynamic)) {
    int64_t target = 1, known = 1;
    for (int64_t dim : shape)
      target *= dim;
    for (int64_t dim : input.getShape())
      if (!ShapedType::isDynamic(dim))
        known *= dim;
    bool fits = input.hasStaticShape() ? known == target
                : known == 0           ? target == 0
                                       : target % known == 0;
    if (!fits)
      return im.emitError(node)
             << "cannot reshape " << input << " to "
             << RankedTensorType::get(shape, input.getElementType());
  }
  return shape;
}

/// Sets output 0 to input 0 reshaped to `shape`: folded when the input is
/// a constant (shape arithmetic), else a reshape op.
LogicalResult setReshapedOutput(GraphImporter &im, const onnx::NodeProto &node,
                                Value input, ArrayRef<int64_t> shape) {
  if (auto constant = im.getConstant(node.input(0))) {
    im.setConstantOutput(node, 0,
                         constant->reshape(RankedTensorType::get(
                             shape, constant->getElementType())));
    return success();
  }
  im.setOutput(node, 0,
               buildReshape(im.builder, im.getLoc(node), input, shape));
  return success();
}

LogicalResult importReshape(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  auto target = getIntConstant(im, node, 1);
  if (!target)
    return im.emitError(node) << "the target shape must be a constant (or "
                                 "fold to one)";
  auto shape = resolveReshape(im, node, getTensorType(input), target->first,
                              im.getInt(node, "allowzero", 0) != 0);
  if (failed(shape))
    return failure();
  return setReshapedOutput(im, node, input, *shape);
}

LogicalResult importFlatten(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  auto type = getTensorType(input);
  int64_t axis = im.getInt(node, "axis", 1);
  if (axis < 0)
    axis += type.getRank();
  if (axis < 0 || axis > type.getRank())
    return im.emitError(node) << "axis out of range";
  auto product = [&](int64_t begin, int64_t end) {
    int64_t p = 1;
    for (int64_t i = begin; i < end; ++i) {
      if (type.isDynamicDim(i))
        return ShapedType::kDynamic;
      p *= type.getDimSize(i);
    }
    return p;
  };
  SmallVector<int64_t> shape = {product(0, axis),
                                product(axis, type.getRank())};
  if (llvm::count_if(shape, ShapedType::isDynamic) > 1)
    return im.emitError(node) << "cannot flatten with dynamic sizes on both "
                                 "sides of the axis";
  im.setOutput(node, 0,
               buildReshape(im.builder, im.getLoc(node), input, shape));
  return success();
}

LogicalResult importTranspose(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  auto type = getTensorType(input);
  SmallVector<int64_t> perm;
  if (auto attr = im.getInts(node, "perm"))
    perm = *attr;
  else
    for (int64_t i = type.getRank() - 1; i >= 0; --i)
      perm.push_back(i);
  if (static_cast<int64_t>(perm.size()) != type.getRank())
    return im.emitError(node) << "perm has " << perm.size()
                              << " entries for rank " << type.getRank();
  SmallVector<int32_t> perms;
  for (int64_t p : perm) {
    if (p < 0 || p >= type.getRank())
      return im.emitError(node) << "invalid perm entry " << p;
    perms.push_back(p);
  }
  im.setOutput(node, 0,
               buildTranspose(im.builder, im.getLoc(node), input, perms));
  return success();
}

/// Axes from the attribute (opset < 13) or input 1.
std::optional<SmallVector<int64_t>> getAxes(GraphImporter &im,
                                            const onnx::NodeProto &node) {
  if (auto attr = im.getInts(node, "axes"))
    return attr;
  if (auto constant = getIntConstant(im, node, 1))
    return constant->first;
  return std::nullopt;
}

LogicalResult importSqueeze(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  auto type = getTensorType(input);
  auto axes = getAxes(im, node);
  if (!axes && im.hasInput(node, 1))
    return im.emitError(node) << "axes must be constant";
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    bool squeezed =
        axes ? llvm::any_of(*axes,
                            [&](int64_t a) {
                              return (a < 0 ? a + type.getRank() : a) == i;
                            })
             : type.getDimSize(i) == 1;
    if (squeezed && type.getDimSize(i) != 1)
      return im.emitError(node) << "cannot squeeze dimension " << i
                                << " of size " << type.getDimSize(i);
    if (!squeezed)
      shape.push_back(type.getDimSize(i));
  }
  return setReshapedOutput(im, node, input, shape);
}

LogicalResult importUnsqueeze(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  auto type = getTensorType(input);
  auto axes = getAxes(im, node);
  if (!axes)
    return im.emitError(node) << "axes must be constant";
  int64_t rank = type.getRank() + axes->size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t axis : *axes) {
    auto normalized = normalizeAxis(im, node, axis, rank);
    if (failed(normalized))
      return failure();
    inserted[*normalized] = true;
  }
  SmallVector<int64_t> shape;
  int64_t next = 0;
  for (int64_t i = 0; i < rank; ++i)
    shape.push_back(inserted[i] ? 1 : type.getDimSize(next++));
  return setReshapedOutput(im, node, input, shape);
}

LogicalResult importConcat(GraphImporter &im, const onnx::NodeProto &node) {
  auto allInputs = im.getAllInputs(node);
  if (failed(allInputs))
    return failure();
  SmallVector<Value> inputs = std::move(*allInputs);
  auto type = getTensorType(inputs.front());
  if (type.getRank() == 0)
    return im.emitError(node) << "cannot concatenate scalars";
  for (Value input : inputs)
    if (getTensorType(input).getRank() != type.getRank())
      return im.emitError(node) << "inputs have different ranks";
  auto axis =
      normalizeAxis(im, node, im.getInt(node, "axis", 0), type.getRank());
  if (failed(axis))
    return failure();
  // Integer constants (shape arithmetic) concatenate here.
  if (type.getRank() == 1 && isa<IntegerType>(type.getElementType())) {
    SmallVector<int64_t> values;
    bool allConstant = true;
    for (int i = 0; i < node.input_size() && allConstant; ++i) {
      auto constant = getIntConstant(im, node, i);
      allConstant = constant.has_value();
      if (allConstant)
        values.append(constant->first);
    }
    if (allConstant) {
      im.setConstantOutput(
          node, 0,
          i64Constant(im.getContext(), {(int64_t)values.size()}, values));
      return success();
    }
  }
  // Empty operands contribute nothing (and TOSA rejects zero-sized ones).
  SmallVector<Value> nonEmpty;
  for (Value input : inputs)
    if (getTensorType(input).getDimSize(*axis) != 0)
      nonEmpty.push_back(input);
  if (nonEmpty.empty()) {
    im.setOutput(node, 0, inputs.front());
    return success();
  }
  if (nonEmpty.size() == 1) {
    im.setOutput(node, 0, nonEmpty.front());
    return success();
  }
  inputs = nonEmpty;
  SmallVector<int64_t> shape(type.getShape());
  shape[*axis] = 0;
  for (Value input : inputs) {
    int64_t dim = getTensorType(input).getDimSize(*axis);
    if (ShapedType::isDynamic(dim) || ShapedType::isDynamic(shape[*axis]))
      shape[*axis] = ShapedType::kDynamic;
    else
      shape[*axis] += dim;
  }
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  im.setOutput(node, 0,
               tosa::ConcatOp::create(im.builder, im.getLoc(node), resultType,
                                      inputs, *axis));
  return success();
}

/// Slice with constant starts/ends/axes/steps (opset >= 10 inputs, or the
/// opset-1 attributes).
LogicalResult importSlice(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  auto type = getTensorType(input);
  int64_t rank = type.getRank();
  std::optional<SmallVector<int64_t>> starts, ends, axes, steps;
  if (im.getOpset() < 10) {
    starts = im.getInts(node, "starts");
    ends = im.getInts(node, "ends");
    axes = im.getInts(node, "axes");
  } else {
    auto read = [&](int i) -> std::optional<SmallVector<int64_t>> {
      auto c = getIntConstant(im, node, i);
      return c ? std::optional(c->first) : std::nullopt;
    };
    starts = read(1);
    ends = read(2);
    axes = read(3);
    steps = read(4);
    if ((im.hasInput(node, 3) && !axes) || (im.hasInput(node, 4) && !steps))
      return im.emitError(node) << "axes and steps must be constants";
  }
  if (!starts || !ends || starts->size() != ends->size())
    return im.emitError(node) << "starts and ends must be constants of one "
                                 "length";
  SmallVector<int64_t> offsets(rank, 0), sizes(type.getShape()),
      strides(rank, 1);
  for (size_t i = 0; i < starts->size(); ++i) {
    int64_t axis = axes ? (*axes)[i] : static_cast<int64_t>(i);
    auto normalized = normalizeAxis(im, node, axis, rank);
    if (failed(normalized))
      return failure();
    int64_t dim = type.getDimSize(*normalized);
    int64_t step = steps ? (*steps)[i] : 1;
    if (step == 0)
      return im.emitError(node) << "step 0";
    if (ShapedType::isDynamic(dim))
      return im.emitError(node) << "slicing a dynamic dimension is not "
                                   "supported";
    int64_t start = (*starts)[i], end = (*ends)[i];
    // Clamp as ONNX specifies (ends may be INT64_MAX / INT64_MIN).
    if (start < 0)
      start += dim;
    if (end < 0)
      end += dim;
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
    }
    int64_t count =
        step > 0 ? std::max<int64_t>(0, (end - start + step - 1) / step)
                 : std::max<int64_t>(0, (start - end - step - 1) / (-step));
    if (step < 0)
      return im.emitError(node) << "negative steps are not supported";
    offsets[*normalized] = start;
    sizes[*normalized] = count;
    strides[*normalized] = step;
  }
  Location loc = im.getLoc(node);
  if (auto constant = im.getConstant(node.input(0));
      constant && rank == 1 && isa<IntegerType>(constant->getElementType())) {
    SmallVector<int64_t> values;
    auto all = llvm::to_vector(constant->getValues<APInt>());
    for (int64_t i = 0; i < sizes[0]; ++i)
      values.push_back(all[offsets[0] + i * strides[0]].getSExtValue());
    im.setConstantOutput(node, 0,
                         i64Constant(im.getContext(), {sizes[0]}, values));
    return success();
  }
  auto resultType = RankedTensorType::get(sizes, type.getElementType());
  im.setOutput(node, 0,
               tensor::ExtractSliceOp::create(
                   im.builder, loc, resultType, input, ValueRange{},
                   ValueRange{}, ValueRange{}, offsets, sizes, strides));
  return success();
}

/// Gather with run-time indices (embedding lookups): a generic over the
/// result whose body extracts data[..., index, ...]. Negative indices count
/// from the end; indices outside the dimension are clamped to it, so that a
/// bad index never reads outside the tensor (ONNX leaves it undefined).
LogicalResult importDynamicGather(GraphImporter &im,
                                  const onnx::NodeProto &node, Value data,
                                  Value indices, int64_t axis) {
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  auto dataType = getTensorType(data), indexType = getTensorType(indices);
  if (!isa<IntegerType>(indexType.getElementType()) ||
      indexType.getElementType().isInteger(1))
    return im.emitError(node) << "indices must be int32 or int64";
  int64_t indexRank = indexType.getRank();
  // Result dims: data[:axis], indices dims, data[axis+1:].
  SmallVector<int64_t> shape(dataType.getShape().take_front(axis));
  llvm::append_range(shape, indexType.getShape());
  shape.append(dataType.getShape().begin() + axis + 1,
               dataType.getShape().end());
  int64_t rank = shape.size();
  SmallVector<Value> dynamic;
  for (int64_t i = 0; i < rank; ++i) {
    if (!ShapedType::isDynamic(shape[i]))
      continue;
    if (i < axis)
      dynamic.push_back(tensor::DimOp::create(b, loc, data, i));
    else if (i < axis + indexRank)
      dynamic.push_back(tensor::DimOp::create(b, loc, indices, i - axis));
    else
      dynamic.push_back(tensor::DimOp::create(b, loc, data, i - indexRank + 1));
  }
  Value init = tensor::EmptyOp::create(b, loc, shape, dataType.getElementType(),
                                       dynamic);
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineExpr> indexExprs;
  for (int64_t i = 0; i < indexRank; ++i)
    indexExprs.push_back(getAffineDimExpr(axis + i, ctx));
  SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, indexExprs, ctx),
                                 b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Value axisSize = tensor::DimOp::create(b, loc, data, axis);
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), indices, init, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value index =
            arith::IndexCastOp::create(nb, l, nb.getIndexType(), args[0]);
        Value zero = arith::ConstantIndexOp::create(nb, l, 0);
        Value one = arith::ConstantIndexOp::create(nb, l, 1);
        Value negative = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt,
                                               index, zero);
        index = arith::SelectOp::create(
            nb, l, negative, arith::AddIOp::create(nb, l, index, axisSize),
            index);
        index = arith::MaxSIOp::create(nb, l, index, zero);
        index = arith::MinSIOp::create(
            nb, l, index, arith::SubIOp::create(nb, l, axisSize, one));
        SmallVector<Value> coords;
        for (int64_t i = 0; i < axis; ++i)
          coords.push_back(linalg::IndexOp::create(nb, l, i));
        coords.push_back(index);
        for (int64_t i = axis + indexRank; i < rank; ++i)
          coords.push_back(linalg::IndexOp::create(nb, l, i));
        Value element = tensor::ExtractOp::create(nb, l, data, coords);
        linalg::YieldOp::create(nb, l, element);
      });
  im.setOutput(node, 0, generic.getResult(0));
  return success();
}

/// Gather along `axis` with constant indices (folded for constant data;
/// otherwise slices and a concat).
LogicalResult importGather(GraphImporter &im, const onnx::NodeProto &node) {
  Value data = im.getInput(node, 0), indicesValue = im.getInput(node, 1);
  if (!data || !indicesValue)
    return failure();
  auto type = getTensorType(data);
  auto axis =
      normalizeAxis(im, node, im.getInt(node, "axis", 0), type.getRank());
  if (failed(axis))
    return failure();
  auto indices = getIntConstant(im, node, 1);
  if (!indices)
    return importDynamicGather(im, node, data, indicesValue, *axis);
  int64_t dim = type.getDimSize(*axis);
  for (int64_t &index : indices->first) {
    if (index < 0 && !ShapedType::isDynamic(dim))
      index += dim;
    if (index < 0 || (!ShapedType::isDynamic(dim) && index >= dim))
      return im.emitError(node) << "index " << index << " out of range";
  }
  // Result shape: data[:axis] + indices.shape + data[axis+1:].
  SmallVector<int64_t> shape(type.getShape().take_front(*axis));
  shape.append(indices->second);
  shape.append(type.getShape().drop_front(*axis + 1).begin(),
               type.getShape().end());
  if (auto constant = im.getConstant(node.input(0));
      constant && type.getRank() == 1 &&
      isa<IntegerType>(constant->getElementType())) {
    auto all = llvm::to_vector(constant->getValues<APInt>());
    SmallVector<int64_t> values;
    for (int64_t index : indices->first)
      values.push_back(all[index].getSExtValue());
    im.setConstantOutput(node, 0, i64Constant(im.getContext(), shape, values));
    return success();
  }
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  SmallVector<Value> pieces;
  for (int64_t index : indices->first) {
    SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0)),
        sizes = tensor::getMixedSizes(b, loc, data),
        strides(type.getRank(), b.getIndexAttr(1));
    offsets[*axis] = b.getIndexAttr(index);
    sizes[*axis] = b.getIndexAttr(1);
    pieces.push_back(
        tensor::ExtractSliceOp::create(b, loc, data, offsets, sizes, strides));
  }
  Value joined = pieces.front();
  if (pieces.size() > 1) {
    SmallVector<int64_t> joinedShape(type.getShape());
    joinedShape[*axis] = pieces.size();
    joined = tosa::ConcatOp::create(
        b, loc, RankedTensorType::get(joinedShape, type.getElementType()),
        pieces, *axis);
  }
  im.setOutput(node, 0, buildReshape(b, loc, joined, shape));
  return success();
}

LogicalResult importSplit(GraphImporter &im, const onnx::NodeProto &node) {
  Value input = im.getInput(node, 0);
  if (!input)
    return failure();
  auto type = getTensorType(input);
  auto axis =
      normalizeAxis(im, node, im.getInt(node, "axis", 0), type.getRank());
  if (failed(axis))
    return failure();
  int64_t dim = type.getDimSize(*axis);
  if (ShapedType::isDynamic(dim))
    return im.emitError(node) << "cannot split a dynamic dimension";
  SmallVector<int64_t> splits;
  if (auto attr = im.getInts(node, "split"))
    splits = *attr;
  else if (auto constant = getIntConstant(im, node, 1))
    splits = constant->first;
  else if (im.hasInput(node, 1))
    return im.emitError(node) << "split sizes must be a constant";
  else {
    int64_t parts = node.output_size();
    if (parts == 0 || dim % parts != 0)
      return im.emitError(node)
             << "cannot split " << dim << " evenly into " << parts;
    splits.assign(parts, dim / parts);
  }
  if (static_cast<int64_t>(splits.size()) != node.output_size())
    return im.emitError(node) << splits.size() << " split sizes for "
                              << node.output_size() << " outputs";
  OpBuilder &b = im.builder;
  Location loc = im.getLoc(node);
  int64_t offset = 0;
  for (auto [i, size] : llvm::enumerate(splits)) {
    SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0)),
        sizes = tensor::getMixedSizes(b, loc, input),
        strides(type.getRank(), b.getIndexAttr(1));
    offsets[*axis] = b.getIndexAttr(offset);
    sizes[*axis] = b.getIndexAttr(size);
    im.setOutput(
        node, i,
        tensor::ExtractSliceOp::create(b, loc, input, offsets, sizes, strides));
    offset += size;
  }
  if (offset != dim)
    return im.emitError(node)
           << "split sizes sum to " << offset << ", the dimension is " << dim;
  return success();
}

} // namespace

void mlir::qnt::onnx_frontend::registerTensorOps(
    llvm::StringMap<OpHandler> &handlers) {
  handlers["Constant"] = importConstant;
  handlers["Identity"] = importIdentity;
  handlers["Dropout"] = importDropout;
  handlers["Size"] = importSize;
  handlers["Shape"] = importShape;
  handlers["Reshape"] = importReshape;
  handlers["Flatten"] = importFlatten;
  handlers["Transpose"] = importTranspose;
  handlers["Squeeze"] = importSqueeze;
  handlers["Unsqueeze"] = importUnsqueeze;
  handlers["Concat"] = importConcat;
  handlers["Slice"] = importSlice;
  handlers["Gather"] = importGather;
  handlers["Split"] = importSplit;
}
