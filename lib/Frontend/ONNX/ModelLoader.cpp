//===- ModelLoader.cpp - Safe loading of ONNX model files -----------------===//
//
// The only translation unit compiled with exceptions: libonnx reports errors
// by throwing, and every call into it is wrapped here so that no exception
// reaches LLVM or MLIR frames.
//
//===----------------------------------------------------------------------===//

#include "quant/Frontend/ONNX/ModelLoader.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <google/protobuf/io/coded_stream.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <exception>

#include <sys/wait.h>
#include <unistd.h>

using namespace mlir::qnt::onnx_frontend;

LoadedModel::LoadedModel() : model(std::make_unique<onnx::ModelProto>()) {}
LoadedModel::~LoadedModel() = default;
LoadedModel::LoadedModel(LoadedModel &&) = default;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(message.str());
}

size_t mlir::qnt::onnx_frontend::getElementSize(int32_t dataType) {
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT32:
    return 4;
  case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT64:
    return 8;
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16:
    return 2;
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::BOOL:
    return 1;
  default:
    return 0;
  }
}

/// The element count of `tensor`'s dims, or an error on negative dims or
/// overflow.
static llvm::Expected<uint64_t> getElementCount(const onnx::TensorProto &t) {
  uint64_t count = 1;
  for (int64_t dim : t.dims()) {
    if (dim < 0)
      return makeError("tensor '" + t.name() + "' has a negative dimension");
    // Bound the count so that count * element size (<= 8) cannot overflow.
    if (dim != 0 && count > (uint64_t(1) << 59) / static_cast<uint64_t>(dim))
      return makeError("tensor '" + t.name() + "' is too large");
    count *= static_cast<uint64_t>(dim);
  }
  return count;
}

/// Resolves the external data of `tensor`: the file must be a regular file
/// (not a symlink) inside `directory`, given by a relative path without
/// `..`, and must hold offset + length bytes, length being the size the
/// shape requires.
static llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
mapExternalData(const onnx::TensorProto &tensor, llvm::StringRef directory) {
  std::string location;
  uint64_t offset = 0, length = 0;
  bool hasLength = false;
  for (const auto &entry : tensor.external_data()) {
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset" || entry.key() == "length") {
      uint64_t value = 0;
      if (llvm::StringRef(entry.value()).getAsInteger(10, value))
        return makeError("tensor '" + tensor.name() + "': external data " +
                         entry.key() + " '" + entry.value() +
                         "' is not a number");
      (entry.key() == "offset" ? offset : length) = value;
      hasLength |= entry.key() == "length";
    }
  }
  std::string what =
      "tensor '" + tensor.name() + "': external data '" + location + "'";
  if (location.empty())
    return makeError("tensor '" + tensor.name() +
                     "': external data without a location");
  if (llvm::sys::path::is_absolute(location))
    return makeError(what + " is an absolute path; only paths inside the "
                            "model's directory are allowed");
  for (auto it = llvm::sys::path::begin(location),
            end = llvm::sys::path::end(location);
       it != end; ++it)
    if (*it == "..")
      return makeError(what + " leaves the model's directory ('..')");
  llvm::SmallString<256> path(directory);
  llvm::sys::path::append(path, location);
  // Every component must be a real directory or file, not a symlink.
  llvm::SmallString<256> prefix(directory);
  for (auto it = llvm::sys::path::begin(location),
            end = llvm::sys::path::end(location);
       it != end; ++it) {
    llvm::sys::path::append(prefix, *it);
    llvm::sys::fs::file_status status;
    if (std::error_code ec =
            llvm::sys::fs::status(prefix, status, /*Follow=*/false))
      return makeError(what + " cannot be read: " + ec.message());
    if (status.type() == llvm::sys::fs::file_type::symlink_file)
      return makeError(what + " is or passes through a symbolic link");
  }
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status, false))
    return makeError(what + " cannot be read: " + ec.message());
  if (status.type() != llvm::sys::fs::file_type::regular_file)
    return makeError(what + " is not a regular file");

  auto count = getElementCount(tensor);
  if (!count)
    return count.takeError();
  size_t elementSize = getElementSize(tensor.data_type());
  if (elementSize == 0)
    return makeError("tensor '" + tensor.name() +
                     "' has an unsupported data type " +
                     std::to_string(tensor.data_type()));
  uint64_t expected = *count * elementSize;
  if (!hasLength)
    length = expected;
  if (length != expected)
    return makeError(what + " declares " + std::to_string(length) +
                     " bytes but the shape needs " + std::to_string(expected));
  uint64_t fileSize = status.getSize();
  if (offset > fileSize || length > fileSize - offset)
    return makeError(what + " needs bytes [" + std::to_string(offset) + ", " +
                     std::to_string(offset + length) + ") but the file has " +
                     std::to_string(fileSize));
  auto buffer = llvm::MemoryBuffer::getFileSlice(path, length, offset,
                                                 /*IsVolatile=*/false);
  if (!buffer)
    return makeError(what +
                     " cannot be mapped: " + buffer.getError().message());
  return std::move(*buffer);
}

/// Runs ONNX shape inference on `model` in a child process. libonnx throws
/// on inconsistent models (caught in the child) and crashes on some malformed
/// ones (rank mismatches reach unchecked indexing); a crash in the child is
/// reported as an error instead of taking the importer down. The child sends
/// back the inferred model, serialized.
static llvm::Error inferShapesIsolated(onnx::ModelProto &model,
                                       llvm::StringRef path) {
  int fds[2];
  if (pipe(fds) != 0)
    return makeError("cannot create a pipe for shape inference");
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return makeError("cannot fork for shape inference");
  }
  if (pid == 0) {
    close(fds[0]);
    std::string out;
    int status = 0;
    try {
      onnx::ShapeInferenceOptions options(/*check_type=*/false,
                                          /*strict_mode=*/0,
                                          /*data_prop=*/true);
      onnx::shape_inference::InferShapes(
          model, onnx::OpSchemaRegistry::Instance(), options);
      out = model.SerializeAsString();
    } catch (const std::exception &e) {
      out = e.what();
      status = 2;
    } catch (...) {
      status = 2;
    }
    for (size_t done = 0; done < out.size();) {
      ssize_t n = write(fds[1], out.data() + done, out.size() - done);
      if (n <= 0)
        _exit(3);
      done += n;
    }
    _exit(status);
  }
  close(fds[1]);
  std::string in;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = read(fds[0], buffer, sizeof(buffer));
    if (n <= 0)
      break;
    in.append(buffer, n);
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status))
    return makeError("'" + path + "': ONNX shape inference crashed (signal " +
                     std::to_string(WTERMSIG(status)) +
                     "); the model is malformed");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return makeError("'" + path + "': ONNX shape inference failed" +
                     (in.empty() ? std::string() : ": " + in));
  onnx::ModelProto inferred;
  google::protobuf::io::CodedInputStream stream(
      reinterpret_cast<const uint8_t *>(in.data()),
      static_cast<int>(in.size()));
  stream.SetTotalBytesLimit(INT32_MAX);
  if (!inferred.ParseFromCodedStream(&stream))
    return makeError("'" + path + "': cannot read the inferred model back");
  model.Swap(&inferred);
  return llvm::Error::success();
}

llvm::Expected<LoadedModel>
mlir::qnt::onnx_frontend::loadModel(llvm::StringRef path, uint64_t maxBytes) {
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status))
    return makeError("cannot read '" + path + "': " + ec.message());
  if (status.type() != llvm::sys::fs::file_type::regular_file)
    return makeError("'" + path + "' is not a regular file");
  uint64_t size = status.getSize();
  if (size > maxBytes)
    return makeError("'" + path + "' has " + std::to_string(size) +
                     " bytes; models above 2 GiB must keep weights as "
                     "external data");
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError("cannot read '" + path +
                     "': " + buffer.getError().message());

  LoadedModel loaded;
  google::protobuf::io::CodedInputStream stream(
      reinterpret_cast<const uint8_t *>((*buffer)->getBufferStart()),
      static_cast<int>((*buffer)->getBufferSize()));
  stream.SetTotalBytesLimit(static_cast<int>(maxBytes));
  if (!loaded.model->ParseFromCodedStream(&stream) ||
      !stream.ConsumedEntireMessage())
    return makeError("'" + path +
                     "' is not a valid ONNX model (protobuf parse failed)");
  if (!loaded.model->has_graph())
    return makeError("'" + path + "' has no graph");

  llvm::SmallString<256> directory(path);
  llvm::sys::path::remove_filename(directory);
  if (directory.empty())
    directory = ".";
  for (const onnx::TensorProto &tensor : loaded.model->graph().initializer()) {
    if (tensor.data_location() != onnx::TensorProto::EXTERNAL)
      continue;
    auto data = mapExternalData(tensor, directory);
    if (!data)
      return data.takeError();
    loaded.externalData[tensor.name()] = std::move(*data);
  }

  // Shape inference fills value_info for intermediate values.
  if (llvm::Error error = inferShapesIsolated(*loaded.model, path))
    return std::move(error);
  return loaded;
}

/// Appends `count` values of repeated field `values`, converted to T.
template <typename T, typename Repeated>
static void appendConverted(std::vector<char> &bytes, const Repeated &values) {
  for (auto value : values) {
    T converted = static_cast<T>(value);
    const char *p = reinterpret_cast<const char *>(&converted);
    bytes.insert(bytes.end(), p, p + sizeof(T));
  }
}

llvm::Expected<std::vector<char>>
mlir::qnt::onnx_frontend::getTensorBytes(const LoadedModel &model,
                                         const onnx::TensorProto &t) {
  auto count = getElementCount(t);
  if (!count)
    return count.takeError();
  size_t elementSize = getElementSize(t.data_type());
  if (elementSize == 0)
    return makeError("tensor '" + t.name() + "' has unsupported data type " +
                     std::to_string(t.data_type()));
  uint64_t expected = *count * elementSize;
  std::vector<char> bytes;
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    auto it = model.externalData.find(t.name());
    if (it == model.externalData.end())
      return makeError("tensor '" + t.name() + "': external data not loaded");
    const llvm::MemoryBuffer &buffer = *it->second;
    bytes.assign(buffer.getBufferStart(), buffer.getBufferEnd());
  } else if (t.has_raw_data()) {
    bytes.assign(t.raw_data().begin(), t.raw_data().end());
  } else {
    switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
      appendConverted<float>(bytes, t.float_data());
      break;
    case onnx::TensorProto::DOUBLE:
      appendConverted<double>(bytes, t.double_data());
      break;
    case onnx::TensorProto::INT64:
      appendConverted<int64_t>(bytes, t.int64_data());
      break;
    case onnx::TensorProto::UINT64:
      appendConverted<uint64_t>(bytes, t.uint64_data());
      break;
    case onnx::TensorProto::UINT32:
      appendConverted<uint32_t>(bytes, t.uint64_data());
      break;
    case onnx::TensorProto::INT32:
      appendConverted<int32_t>(bytes, t.int32_data());
      break;
    // Narrow types are stored one per int32 entry.
    case onnx::TensorProto::INT16:
      appendConverted<int16_t>(bytes, t.int32_data());
      break;
    case onnx::TensorProto::UINT16:
    case onnx::TensorProto::FLOAT16:
    case onnx::TensorProto::BFLOAT16:
      appendConverted<uint16_t>(bytes, t.int32_data());
      break;
    case onnx::TensorProto::INT8:
      appendConverted<int8_t>(bytes, t.int32_data());
      break;
    case onnx::TensorProto::UINT8:
    case onnx::TensorProto::BOOL:
      appendConverted<uint8_t>(bytes, t.int32_data());
      break;
    default:
      break;
    }
  }
  if (bytes.size() != expected)
    return makeError("tensor '" + t.name() + "' holds " +
                     std::to_string(bytes.size()) +
                     " bytes but its shape "
                     "needs " +
                     std::to_string(expected));
  return bytes;
}
