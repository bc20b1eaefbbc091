//===- Npy.cpp - NumPy .npy/.npz reading and writing ------------*- C++ -*-===//
//
// Implements the `.npy` header parser and writer and a minimal ZIP reader
// and writer for `.npz` archives. The reader trusts nothing in the file: every
// length and offset is checked against the bytes actually present before it
// is used, sizes are computed with overflow checks, and nothing is allocated
// from a size the file claims until that size is backed by data (deflated
// entries are bounded by deflate's maximum compression ratio). Deflated
// entries are inflated with zlib directly, because ZIP stores raw deflate
// streams and llvm::compression::zlib only accepts zlib-wrapped ones.
//
//===----------------------------------------------------------------------===//

#include "quant/Runtime/Npy.h"

#include "NpyDetail.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CRC.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/EndianStream.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SwapByteOrder.h"
#include "llvm/Support/raw_ostream.h"

#include <zlib.h>

#include <algorithm>
#include <iterator>
#include <optional>

using namespace mlir::qnt::runtime;
using llvm::Error;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

namespace mlir::qnt::runtime::detail {

constexpr StringRef kNpyMagic("\x93NUMPY", 6);
/// numpy itself refuses headers over 10000 bytes by default; a length beyond
/// this limit is a corrupt length field, not a real header.
constexpr uint64_t kMaxHeaderLen = 1 << 20;
/// numpy 2 supports 64 dimensions; more is a corrupt or hostile header.
constexpr size_t kMaxRank = 64;
/// numpy.save pads the header so that the data is aligned to this.
constexpr size_t kNpyAlign = 64;

Error makeError(const Twine &msg) { return llvm::createStringError(msg); }

uint16_t read16(StringRef s, size_t off) {
  return llvm::support::endian::read16le(s.data() + off);
}
uint32_t read32(StringRef s, size_t off) {
  return llvm::support::endian::read32le(s.data() + off);
}
uint64_t read64(StringRef s, size_t off) {
  return llvm::support::endian::read64le(s.data() + off);
}

/// CRC-32 of `data` continuing from `crc`. llvm::crc32 passes empty data on
/// to zlib, which returns 0 for a null pointer instead of `crc`.
uint32_t updateCrc(uint32_t crc, llvm::ArrayRef<uint8_t> data) {
  return data.empty() ? crc : llvm::crc32(crc, data);
}

/// Python's repr of a shape tuple: "()", "(3,)", "(2, 3)".
std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string s = "(";
  for (auto [i, dim] : llvm::enumerate(shape))
    s += (i ? ", " : "") + std::to_string(dim);
  return s + (shape.size() == 1 ? ",)" : ")");
}

/// The product of `shape`, or std::nullopt on a negative dimension or
/// overflow. A zero dimension makes the product 0 whatever the others are.
std::optional<int64_t> getShapeProduct(llvm::ArrayRef<int64_t> shape) {
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
    return std::nullopt;
  if (llvm::is_contained(shape, 0))
    return 0;
  int64_t product = 1;
  for (int64_t dim : shape)
    if (llvm::MulOverflow(product, dim, product))
      return std::nullopt;
  return product;
}

/// Per-DType facts, indexed by the enumerator's value.
struct DTypeInfo {
  StringRef name;
  size_t size;
  /// The descr numpy writes on a little-endian machine.
  StringRef descr;
};
constexpr DTypeInfo kDTypeInfos[] = {
    {"float16", 2, "<f2"}, {"float32", 4, "<f4"}, {"float64", 8, "<f8"},
    {"int8", 1, "|i1"},    {"uint8", 1, "|u1"},   {"int16", 2, "<i2"},
    {"int32", 4, "<i4"},   {"int64", 8, "<i8"},   {"bool", 1, "|b1"}};
constexpr DTypeInfo kInvalidDType = {"invalid", 0, "invalid"};

const DTypeInfo &getDTypeInfo(DType dtype) {
  auto index = static_cast<size_t>(dtype);
  return index < std::size(kDTypeInfos) ? kDTypeInfos[index] : kInvalidDType;
}

/// The data size of a `shape` array of `dtype` in bytes, or std::nullopt if
/// the shape is invalid or the size overflows.
std::optional<int64_t> getByteSize(llvm::ArrayRef<int64_t> shape, DType dtype) {
  std::optional<int64_t> count = getShapeProduct(shape);
  int64_t bytes;
  if (!count || llvm::MulOverflow(
                    *count, static_cast<int64_t>(getDTypeSize(dtype)), bytes))
    return std::nullopt;
  return bytes;
}

//===----------------------------------------------------------------------===//
// .npy header parsing
//===----------------------------------------------------------------------===//

/// The fields of a header dictionary, each set once it has been seen.
struct NpyHeader {
  std::optional<std::string> descr;
  std::optional<bool> fortranOrder;
  std::optional<llvm::SmallVector<int64_t>> shape;
};

/// Parses the Python literal numpy writes as header, e.g.
///   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
/// Only the subset of Python that can appear there is accepted: a dict of
/// string keys, string / True / False / tuple-of-int values, optional trailing
/// commas, and Python 2's `L` suffix on integers (old files).
class HeaderParser {
public:
  explicit HeaderParser(StringRef text) : text(text) {}

  Error parse(NpyHeader &header) {
    skipSpace();
    if (!consume('{'))
      return fail("expected '{'");
    while (true) {
      skipSpace();
      if (consume('}'))
        break;
      Expected<std::string> key = parseString("a quoted key or '}'");
      if (!key)
        return key.takeError();
      skipSpace();
      if (!consume(':'))
        return fail("expected ':' after key '" + *key + "'");
      skipSpace();
      if (Error err = parseValue(*key, header))
        return err;
      skipSpace();
      if (consume(','))
        continue;
      if (consume('}'))
        break;
      return fail("expected ',' or '}' after the value of '" + *key + "'");
    }
    skipSpace();
    if (pos != text.size())
      return fail("unexpected text after the header dictionary");
    for (auto [present, key] :
         {std::pair(header.descr.has_value(), "descr"),
          std::pair(header.fortranOrder.has_value(), "fortran_order"),
          std::pair(header.shape.has_value(), "shape")})
      if (!present)
        return makeError(Twine("header has no '") + key + "' key");
    return Error::success();
  }

private:
  Error fail(const Twine &msg) {
    return makeError(msg + " at header offset " + Twine(pos));
  }
  void skipSpace() {
    while (pos < text.size() && StringRef(" \t\r\n").contains(text[pos]))
      ++pos;
  }
  bool consume(char c) {
    if (pos >= text.size() || text[pos] != c)
      return false;
    ++pos;
    return true;
  }
  bool consumeWord(StringRef word) {
    StringRef rest = text.substr(pos);
    if (!rest.starts_with(word) ||
        (rest.size() > word.size() && llvm::isAlnum(rest[word.size()])))
      return false;
    pos += word.size();
    return true;
  }

  Error parseValue(StringRef key, NpyHeader &header) {
    if (key != "descr" && key != "fortran_order" && key != "shape")
      return fail("unexpected key '" + key +
                  "' (a .npy header has exactly 'descr', 'fortran_order' "
                  "and 'shape')");
    if ((key == "descr" && header.descr) ||
        (key == "fortran_order" && header.fortranOrder) ||
        (key == "shape" && header.shape))
      return fail("duplicate key '" + key + "'");
    if (key == "fortran_order") {
      if (consumeWord("True"))
        header.fortranOrder = true;
      else if (consumeWord("False"))
        header.fortranOrder = false;
      else
        return fail("expected True or False for 'fortran_order'");
      return Error::success();
    }
    if (key == "shape") {
      Expected<llvm::SmallVector<int64_t>> shape = parseShape();
      if (!shape)
        return shape.takeError();
      header.shape = std::move(*shape);
      return Error::success();
    }
    if (pos < text.size() && text[pos] == '[')
      return fail("structured (record) dtypes are not supported");
    Expected<std::string> descr = parseString("a quoted dtype descr");
    if (!descr)
      return descr.takeError();
    header.descr = std::move(*descr);
    return Error::success();
  }

  Expected<std::string> parseString(const Twine &what) {
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
      return fail("expected " + what);
    char quote = text[pos];
    size_t end =
        text.find_first_of(StringRef("\\\n\0", 3).str() + quote, pos + 1);
    if (end == StringRef::npos || text[end] != quote)
      return fail("unterminated or escaped string");
    std::string value = text.slice(pos + 1, end).str();
    pos = end + 1;
    return value;
  }

  /// A tuple of non-negative integers; `(3)` is accepted as `(3,)`.
  Expected<llvm::SmallVector<int64_t>> parseShape() {
    if (!consume('('))
      return fail("expected a tuple for 'shape'");
    llvm::SmallVector<int64_t> shape;
    while (true) {
      skipSpace();
      if (consume(')'))
        return shape;
      size_t start = pos;
      consume('-');
      while (pos < text.size() && llvm::isDigit(text[pos]))
        ++pos;
      StringRef digits = text.slice(start, pos);
      int64_t dim;
      if (digits.empty() || digits == "-")
        return fail("expected an integer in 'shape'");
      if (digits.getAsInteger(10, dim))
        return fail("dimension " + digits + " is too large");
      if (dim < 0)
        return fail("negative dimension " + digits + " in 'shape'");
      if (shape.size() == kMaxRank)
        return fail("more than " + Twine(kMaxRank) + " dimensions");
      shape.push_back(dim);
      if (!consume('L'))
        consume('l');
      skipSpace();
      if (consume(','))
        continue;
      if (consume(')'))
        return shape;
      return fail("expected ',' or ')' in 'shape'");
    }
  }

  StringRef text;
  size_t pos = 0;
};

/// What a descr string means: the element type and whether the stored bytes
/// are big-endian and must be swapped.
struct DescrInfo {
  DType dtype;
  bool byteSwap;
};

/// Decodes `descr` (e.g. "<f4", "|b1", ">i8"). `=`, `|` and no mark mean the
/// byte order of this machine, as in numpy.
Expected<DescrInfo> parseDescr(StringRef descr) {
  StringRef code = descr;
  bool bigEndian = llvm::sys::IsBigEndianHost;
  if (!code.empty() && StringRef("<>=|").contains(code.front())) {
    if (code.front() == '<')
      bigEndian = false;
    else if (code.front() == '>')
      bigEndian = true;
    code = code.drop_front();
  }
  std::optional<DType> dtype;
  for (auto [i, info] : llvm::enumerate(kDTypeInfos))
    if (code == info.descr.drop_front())
      dtype = static_cast<DType>(i);
  if (code == "?")
    dtype = DType::Bool;
  if (!dtype)
    return makeError("unsupported dtype '" + descr +
                     "' (supported: float16/32/64, int8/16/32/64, uint8, "
                     "bool)");
  return DescrInfo{*dtype, bigEndian && getDTypeSize(*dtype) > 1};
}

/// Checks that `array` can be written: a known dtype, a valid shape and
/// exactly shape x itemsize bytes of data. `what` names the array.
Error verifyArray(const NpyArray &array, const Twine &what) {
  if (getDTypeSize(array.dtype) == 0)
    return makeError(what + ": invalid dtype value " +
                     Twine(static_cast<int>(array.dtype)));
  std::optional<int64_t> bytes = getByteSize(array.shape, array.dtype);
  if (!bytes)
    return makeError(what + ": invalid shape " + formatShape(array.shape));
  if (static_cast<uint64_t>(*bytes) != array.data.size())
    return makeError(what + ": shape " + formatShape(array.shape) + " of " +
                     getDTypeName(array.dtype) + " needs " + Twine(*bytes) +
                     " bytes of data, but the array has " +
                     Twine(array.data.size()));
  return Error::success();
}

/// The `.npy` header of `array` (magic string to final newline), exactly as
/// numpy.lib.format.write_array produces it.
std::string makeNpyHeader(const NpyArray &array) {
  std::string dict =
      "{'descr': '" + getDTypeInfo(array.dtype).descr.str() +
      "', 'fortran_order': False, 'shape': " + formatShape(array.shape) + ", }";
  // numpy leaves room to grow the first axis in place (GROWTH_AXIS_MAX_DIGITS).
  if (!array.shape.empty())
    dict.append(
        21 - std::min<size_t>(21, std::to_string(array.shape[0]).size()), ' ');
  // Header length counts the padding and the final '\n'; numpy pads with
  // 1 to 64 spaces (never 0) so that magic + length + header is aligned.
  bool needsV2 = false;
  size_t prefixLen = kNpyMagic.size() + 2 + 2;
  size_t padLen = kNpyAlign - (prefixLen + dict.size() + 1) % kNpyAlign;
  if (dict.size() + 1 + padLen > 0xFFFF) {
    needsV2 = true;
    prefixLen = kNpyMagic.size() + 2 + 4;
    padLen = kNpyAlign - (prefixLen + dict.size() + 1) % kNpyAlign;
  }
  uint32_t headerLen = dict.size() + padLen + 1;

  std::string out;
  llvm::raw_string_ostream os(out);
  llvm::support::endian::Writer writer(os, llvm::endianness::little);
  os << kNpyMagic << char(needsV2 ? 2 : 1) << char(0);
  if (needsV2)
    writer.write<uint32_t>(headerLen);
  else
    writer.write<uint16_t>(headerLen);
  os << dict;
  os.indent(padLen) << '\n';
  return out;
}

} // namespace mlir::qnt::runtime::detail

using namespace mlir::qnt::runtime::detail;

//===----------------------------------------------------------------------===//
// DType and NpyArray
//===----------------------------------------------------------------------===//

StringRef mlir::qnt::runtime::getDTypeName(DType dtype) {
  return getDTypeInfo(dtype).name;
}

size_t mlir::qnt::runtime::getDTypeSize(DType dtype) {
  return getDTypeInfo(dtype).size;
}

int64_t NpyArray::getNumElements() const {
  return getShapeProduct(shape).value_or(-1);
}

//===----------------------------------------------------------------------===//
// .npy reading and writing
//===----------------------------------------------------------------------===//

Expected<NpyArray> mlir::qnt::runtime::parseNpy(StringRef bytes,
                                                StringRef nameForErrors) {
  auto fail = [&](const Twine &msg) {
    return makeError(nameForErrors + ": " + msg);
  };
  if (!bytes.starts_with(kNpyMagic))
    return fail("not a .npy file (it does not start with \"\\x93NUMPY\")");
  if (bytes.size() < 8)
    return fail("header cut off: the file ends inside the version field");
  unsigned major = static_cast<uint8_t>(bytes[6]);
  unsigned minor = static_cast<uint8_t>(bytes[7]);
  if (minor != 0 || major < 1 || major > 3)
    return fail("unsupported .npy format version " + Twine(major) + "." +
                Twine(minor) + " (supported: 1.0, 2.0, 3.0)");
  size_t prefixLen = major == 1 ? 10 : 12;
  if (bytes.size() < prefixLen)
    return fail("header cut off: the file ends inside the header length");
  uint64_t headerLen = major == 1 ? read16(bytes, 8) : read32(bytes, 8);
  if (headerLen > kMaxHeaderLen)
    return fail("header length " + Twine(headerLen) + " exceeds the " +
                Twine(kMaxHeaderLen) + "-byte limit; the file is corrupt");
  if (headerLen > bytes.size() - prefixLen)
    return fail("header cut off: the header is " + Twine(headerLen) +
                " bytes but only " + Twine(bytes.size() - prefixLen) +
                " bytes follow the header length");

  NpyHeader header;
  if (Error err =
          HeaderParser(bytes.substr(prefixLen, headerLen)).parse(header))
    return fail("malformed .npy header: " + llvm::toString(std::move(err)));
  Expected<DescrInfo> descr = parseDescr(*header.descr);
  if (!descr)
    return fail(llvm::toString(descr.takeError()));
  if (*header.fortranOrder)
    return fail("the array is stored in Fortran order (fortran_order: True), "
                "which is not supported; save a C-contiguous array instead, "
                "e.g. np.save(path, np.ascontiguousarray(a))");

  const llvm::SmallVector<int64_t> &shape = *header.shape;
  std::optional<int64_t> expected = getByteSize(shape, descr->dtype);
  if (!expected)
    return fail("shape " + formatShape(shape) + " is too large");
  StringRef payload = bytes.drop_front(prefixLen + headerLen);
  if (static_cast<uint64_t>(*expected) != payload.size())
    return fail(Twine(static_cast<uint64_t>(*expected) > payload.size()
                          ? "truncated data"
                          : "unexpected bytes after the data") +
                ": shape " + formatShape(shape) + " of " +
                getDTypeName(descr->dtype) + " needs " + Twine(*expected) +
                " bytes, the file has " + Twine(payload.size()));

  NpyArray array;
  array.name = nameForErrors.str();
  array.dtype = descr->dtype;
  array.shape = shape;
  array.data.assign(payload.bytes_begin(), payload.bytes_end());
  size_t itemSize = getDTypeSize(descr->dtype);
  uint8_t *data = array.data.data();
  if (descr->byteSwap)
    for (size_t i = 0; i < array.data.size(); i += itemSize)
      std::reverse(data + i, data + i + itemSize);
  return array;
}

/// Reads the whole file at `path` (memory-mapped where possible).
Expected<std::unique_ptr<llvm::MemoryBuffer>>
mlir::qnt::runtime::detail::readFile(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!buffer)
    return makeError("cannot read '" + path +
                     "': " + buffer.getError().message());
  return std::move(*buffer);
}

Expected<NpyArray> mlir::qnt::runtime::readNpy(StringRef path) {
  Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer = readFile(path);
  if (!buffer)
    return buffer.takeError();
  Expected<NpyArray> array = parseNpy((*buffer)->getBuffer(), path);
  if (array)
    array->name = llvm::sys::path::stem(path).str();
  return array;
}

std::string mlir::qnt::runtime::serializeNpy(const NpyArray &array) {
  std::string out = makeNpyHeader(array);
  out.append(array.data.begin(), array.data.end());
  return out;
}

/// Writes `path` through a temporary file in the same directory that is
/// renamed over `path` once `write` has succeeded, so readers never see a
/// partial file and a failure leaves none behind.
Error mlir::qnt::runtime::detail::writeAtomically(
    StringRef path, llvm::function_ref<void(llvm::raw_ostream &)> write) {
  if (path.empty())
    return makeError("cannot write a file with an empty path");
  Expected<llvm::sys::fs::TempFile> temp =
      llvm::sys::fs::TempFile::create(path + ".tmp-%%%%%%%%");
  if (!temp)
    return makeError("cannot write '" + path +
                     "': cannot create a temporary file: " +
                     llvm::toString(temp.takeError()));
  std::error_code ec;
  {
    llvm::raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    write(os);
    os.flush();
    ec = os.error();
    // An unhandled stream error is a fatal error when the stream dies.
    os.clear_error();
  }
  if (ec) {
    llvm::consumeError(temp->discard());
    return makeError("cannot write '" + path + "': " + ec.message());
  }
  if (Error err = temp->keep(path))
    return makeError("cannot write '" + path +
                     "': " + llvm::toString(std::move(err)));
  return Error::success();
}

Error mlir::qnt::runtime::writeNpy(StringRef path, const NpyArray &array) {
  if (Error err = verifyArray(array, "cannot write '" + path + "'"))
    return err;
  std::string header = makeNpyHeader(array);
  return writeAtomically(path, [&](llvm::raw_ostream &os) {
    os << header;
    os.write(reinterpret_cast<const char *>(array.data.data()),
             array.data.size());
  });
}
