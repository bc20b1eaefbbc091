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

namespace {

constexpr StringRef kNpyMagic("\x93NUMPY", 6);
/// numpy itself refuses headers over 10000 bytes by default; a length beyond
/// this limit is a corrupt length field, not a real header.
constexpr uint64_t kMaxHeaderLen = 1 << 20;
/// numpy 2 supports 64 dimensions; more is a corrupt or hostile header.
constexpr size_t kMaxRank = 64;
/// numpy.save pads the header so that the data is aligned to this.
constexpr size_t kNpyAlign = 64;
/// Deflate cannot compress by more than 1032:1; a larger claimed ratio is a
/// lie (or a zip bomb) and is rejected before allocating.
constexpr uint64_t kMaxDeflateRatio = 1032;

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

} // namespace

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
static Expected<std::unique_ptr<llvm::MemoryBuffer>> readFile(StringRef path) {
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
static Error
writeAtomically(StringRef path,
                llvm::function_ref<void(llvm::raw_ostream &)> write) {
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

//===----------------------------------------------------------------------===//
// .npz (ZIP) reading
//===----------------------------------------------------------------------===//

namespace {

constexpr uint32_t kLocalSig = 0x04034b50;
constexpr uint32_t kCentralSig = 0x02014b50;
constexpr uint32_t kEndSig = 0x06054b50;
constexpr uint32_t kZip64EndSig = 0x06064b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr size_t kLocalLen = 30, kCentralLen = 46, kEndLen = 22;
constexpr size_t kZip64EndLen = 56, kZip64LocatorLen = 20;
constexpr uint16_t kZip64ExtraId = 0x0001;

/// One central directory record.
struct ZipEntry {
  std::string name;
  uint16_t flags, method;
  uint32_t crc;
  uint64_t compressedSize, size, localOffset;
};

/// Reads the central directory of `zip`. Errors are prefixed by the caller.
Expected<std::vector<ZipEntry>> readCentralDirectory(StringRef zip) {
  if (zip.size() < kEndLen)
    return makeError("not a ZIP archive (too short)");
  // The end record sits before a comment of at most 65535 bytes.
  size_t endPos = StringRef::npos;
  size_t lowest =
      zip.size() > kEndLen + 0xFFFF ? zip.size() - kEndLen - 0xFFFF : 0;
  for (size_t p = zip.size() - kEndLen + 1; p-- > lowest;)
    if (read32(zip, p) == kEndSig &&
        p + kEndLen + read16(zip, p + 20) <= zip.size()) {
      endPos = p;
      break;
    }
  if (endPos == StringRef::npos)
    return makeError("not a ZIP archive (no end of central directory record; "
                     "the file may be truncated)");
  uint64_t disk = read16(zip, endPos + 4), cdDisk = read16(zip, endPos + 6);
  uint64_t diskEntries = read16(zip, endPos + 8);
  uint64_t numEntries = read16(zip, endPos + 10);
  uint64_t cdSize = read32(zip, endPos + 12);
  uint64_t cdOffset = read32(zip, endPos + 16);
  size_t cdLimit = endPos; // The central directory must end before this.

  // A ZIP64 locator right before the end record points at the ZIP64 end
  // record, whose 64-bit fields replace the saturated 16/32-bit ones.
  if (endPos >= kZip64LocatorLen &&
      read32(zip, endPos - kZip64LocatorLen) == kZip64LocatorSig) {
    size_t locPos = endPos - kZip64LocatorLen;
    uint64_t z64Pos = read64(zip, locPos + 8);
    if (z64Pos > locPos || locPos - z64Pos < kZip64EndLen ||
        read32(zip, z64Pos) != kZip64EndSig)
      return makeError("corrupt ZIP64 end of central directory locator");
    disk = read32(zip, z64Pos + 16);
    cdDisk = read32(zip, z64Pos + 20);
    diskEntries = read64(zip, z64Pos + 24);
    numEntries = read64(zip, z64Pos + 32);
    cdSize = read64(zip, z64Pos + 40);
    cdOffset = read64(zip, z64Pos + 48);
    cdLimit = z64Pos;
  } else if (numEntries == 0xFFFF || cdSize == 0xFFFFFFFF ||
             cdOffset == 0xFFFFFFFF) {
    return makeError("ZIP64 end of central directory record is missing");
  }
  if (disk != 0 || cdDisk != 0 || diskEntries != numEntries)
    return makeError("multi-disk ZIP archives are not supported");
  if (cdOffset > cdLimit || cdSize > cdLimit - cdOffset)
    return makeError("central directory lies outside the file (the file may "
                     "be truncated)");
  if (numEntries > cdSize / kCentralLen)
    return makeError("central directory is too small for " + Twine(numEntries) +
                     " entries");

  StringRef cd = zip.substr(cdOffset, cdSize);
  std::vector<ZipEntry> entries;
  entries.reserve(numEntries);
  size_t pos = 0;
  for (uint64_t i = 0; i < numEntries; ++i) {
    if (cd.size() - pos < kCentralLen || read32(cd, pos) != kCentralSig)
      return makeError("corrupt central directory record " + Twine(i));
    size_t nameLen = read16(cd, pos + 28), extraLen = read16(cd, pos + 30);
    size_t commentLen = read16(cd, pos + 32);
    if (cd.size() - pos - kCentralLen < nameLen + extraLen + commentLen)
      return makeError("corrupt central directory record " + Twine(i));
    ZipEntry entry;
    entry.flags = read16(cd, pos + 8);
    entry.method = read16(cd, pos + 10);
    entry.crc = read32(cd, pos + 16);
    entry.compressedSize = read32(cd, pos + 20);
    entry.size = read32(cd, pos + 24);
    entry.localOffset = read32(cd, pos + 42);
    uint32_t diskStart = read16(cd, pos + 34);
    entry.name = cd.substr(pos + kCentralLen, nameLen).str();

    // Saturated fields are in the ZIP64 extra field, in this order.
    StringRef extra = cd.substr(pos + kCentralLen + nameLen, extraLen);
    while (extra.size() >= 4) {
      uint16_t id = read16(extra, 0), len = read16(extra, 2);
      if (len > extra.size() - 4)
        return makeError("entry '" + entry.name + "': corrupt extra field");
      if (id == kZip64ExtraId) {
        StringRef field = extra.substr(4, len);
        for (uint64_t *value :
             {&entry.size, &entry.compressedSize, &entry.localOffset}) {
          if (*value != 0xFFFFFFFF)
            continue;
          if (field.size() < 8)
            return makeError("entry '" + entry.name +
                             "': ZIP64 extra field is too short");
          *value = read64(field, 0);
          field = field.drop_front(8);
        }
        if (diskStart == 0xFFFF && field.size() >= 4)
          diskStart = read32(field, 0);
      }
      extra = extra.drop_front(4 + len);
    }
    if (entry.size == 0xFFFFFFFF || entry.compressedSize == 0xFFFFFFFF ||
        entry.localOffset == 0xFFFFFFFF)
      return makeError("entry '" + entry.name +
                       "': ZIP64 extra field is missing");
    if (diskStart != 0)
      return makeError("multi-disk ZIP archives are not supported");
    entries.push_back(std::move(entry));
    pos += kCentralLen + nameLen + extraLen + commentLen;
  }
  return entries;
}

/// Inflates the raw deflate stream `in`, which must expand to exactly
/// `size` bytes, into `out`.
Error inflateRaw(StringRef in, uint64_t size, std::string &out) {
  if (size / kMaxDeflateRatio > in.size())
    return makeError("declared size " + Twine(size) + " is impossible for " +
                     Twine(in.size()) + " bytes of deflate data");
  out.resize(size);
  z_stream zs = {};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK)
    return makeError("cannot initialize zlib");
  // avail_in / avail_out are 32-bit: feed large buffers in pieces.
  constexpr uint64_t kChunk = uint64_t(1) << 30;
  char dummy = 0;
  zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
  zs.next_out = reinterpret_cast<Bytef *>(size ? out.data() : &dummy);
  uint64_t inLeft = in.size(), outLeft = size;
  int ret = Z_OK;
  while (true) {
    if (zs.avail_in == 0 && inLeft) {
      zs.avail_in = std::min(inLeft, kChunk);
      inLeft -= zs.avail_in;
    }
    if (zs.avail_out == 0 && outLeft) {
      zs.avail_out = std::min(outLeft, kChunk);
      outLeft -= zs.avail_out;
    }
    ret = inflate(&zs, Z_NO_FLUSH);
    bool canRefill =
        (zs.avail_in == 0 && inLeft) || (zs.avail_out == 0 && outLeft);
    if (ret != Z_OK && !(ret == Z_BUF_ERROR && canRefill))
      break;
  }
  bool outFull = zs.avail_out == 0 && outLeft == 0;
  uint64_t produced = zs.total_out;
  std::string zlibMsg = zs.msg ? zs.msg : "";
  inflateEnd(&zs);
  if (ret == Z_STREAM_END && produced == size)
    return Error::success();
  if (ret == Z_STREAM_END)
    return makeError("deflate data expands to " + Twine(produced) +
                     " bytes, but the archive says " + Twine(size));
  if (ret == Z_BUF_ERROR && outFull)
    return makeError("deflate data expands to more than the " + Twine(size) +
                     " bytes the archive says");
  if (ret == Z_BUF_ERROR)
    return makeError("deflate data is truncated");
  return makeError("corrupt deflate data" +
                   (zlibMsg.empty() ? "" : " (" + zlibMsg + ")"));
}

/// The uncompressed, CRC-checked contents of `entry`; `storage` keeps
/// inflated data alive. Errors are prefixed by the caller.
Expected<StringRef> extractEntry(StringRef zip, const ZipEntry &entry,
                                 std::string &storage) {
  if (entry.flags & 0x1)
    return makeError("encrypted entries are not supported");
  if (entry.method != 0 && entry.method != 8)
    return makeError("compression method " + Twine(entry.method) +
                     " is not supported (only stored and deflate)");
  uint64_t lh = entry.localOffset;
  if (lh > zip.size() || zip.size() - lh < kLocalLen ||
      read32(zip, lh) != kLocalSig)
    return makeError("corrupt local header");
  uint64_t dataPos =
      lh + kLocalLen + read16(zip, lh + 26) + read16(zip, lh + 28);
  if (dataPos > zip.size() || zip.size() - dataPos < entry.compressedSize)
    return makeError("data lies outside the file (the file may be truncated)");
  if (zip.substr(lh + kLocalLen, read16(zip, lh + 26)) != entry.name)
    return makeError("local header names a different file");
  StringRef raw = zip.substr(dataPos, entry.compressedSize);

  StringRef data = raw;
  if (entry.method == 0 && entry.size != entry.compressedSize)
    return makeError("stored entry has compressed size " +
                     Twine(entry.compressedSize) + " but size " +
                     Twine(entry.size));
  if (entry.method == 8) {
    if (Error err = inflateRaw(raw, entry.size, storage))
      return err;
    data = storage;
  }
  uint32_t crc = updateCrc(0, llvm::arrayRefFromStringRef(data));
  if (crc != entry.crc)
    return makeError("CRC-32 mismatch (archive says 0x" +
                     Twine::utohexstr(entry.crc) + ", data has 0x" +
                     Twine::utohexstr(crc) + "); the archive is corrupt");
  return data;
}

} // namespace

Expected<std::vector<NpyArray>> mlir::qnt::runtime::readNpz(StringRef path) {
  Expected<std::unique_ptr<llvm::MemoryBuffer>> buffer = readFile(path);
  if (!buffer)
    return buffer.takeError();
  StringRef zip = (*buffer)->getBuffer();
  Expected<std::vector<ZipEntry>> entries = readCentralDirectory(zip);
  if (!entries)
    return makeError(path + ": " + llvm::toString(entries.takeError()));

  std::vector<NpyArray> arrays;
  llvm::StringSet<> names;
  for (const ZipEntry &entry : *entries) {
    if (StringRef(entry.name).ends_with("/"))
      continue; // A directory.
    std::string what = (path + ": entry '" + entry.name + "'").str();
    StringRef name =
        StringRef(entry.name)
            .drop_back(StringRef(entry.name).ends_with(".npy") ? 4 : 0);
    if (!names.insert(name).second)
      return makeError(what + ": more than one array is named '" + name + "'");
    std::string storage;
    Expected<StringRef> data = extractEntry(zip, entry, storage);
    if (!data)
      return makeError(what + ": " + llvm::toString(data.takeError()));
    Expected<NpyArray> array = parseNpy(*data, what);
    if (!array)
      return array.takeError();
    array->name = name.str();
    arrays.push_back(std::move(*array));
  }
  return arrays;
}

//===----------------------------------------------------------------------===//
// .npz (ZIP) writing
//===----------------------------------------------------------------------===//

Error mlir::qnt::runtime::writeNpz(StringRef path,
                                   llvm::ArrayRef<NpyArray> arrays) {
  // Entries are stored uncompressed, dated 1980-01-01 00:00 (the DOS epoch)
  // so that the same arrays always give the same bytes.
  constexpr uint16_t kDosTime = 0, kDosDate = (1 << 5) | 1;
  constexpr uint64_t kLimit32 = 0xFFFFFFFF;
  struct Entry {
    std::string fileName, header;
    uint32_t crc;
    uint64_t size, offset;
    bool utf8;
  };
  if (arrays.size() >= 0xFFFF)
    return makeError("cannot write '" + path + "': " + Twine(arrays.size()) +
                     " arrays need ZIP64, which is not supported");
  std::vector<Entry> entries;
  llvm::StringSet<> seen;
  uint64_t offset = 0, cdSize = 0;
  for (const NpyArray &array : arrays) {
    std::string what =
        ("cannot write '" + path + "': array '" + array.name + "'").str();
    if (array.name.empty())
      return makeError("cannot write '" + path + "': an array has no name");
    if (!seen.insert(array.name).second)
      return makeError(what + ": the name is used twice");
    if (Error err = verifyArray(array, what))
      return err;
    Entry e;
    e.fileName = array.name + ".npy";
    if (e.fileName.size() > 0xFFFF)
      return makeError(what + ": the name is too long");
    e.header = makeNpyHeader(array);
    e.size = e.header.size() + array.data.size();
    e.crc = updateCrc(updateCrc(0, llvm::arrayRefFromStringRef(e.header)),
                      array.data);
    e.offset = offset;
    e.utf8 = llvm::any_of(e.fileName, [](char c) { return c & 0x80; });
    offset += kLocalLen + e.fileName.size() + e.size;
    cdSize += kCentralLen + e.fileName.size();
    if (e.size >= kLimit32 || e.offset >= kLimit32)
      return makeError(what + ": the archive would reach 4 GiB, which needs "
                              "ZIP64, which is not supported");
    entries.push_back(std::move(e));
  }
  if (offset >= kLimit32 || cdSize >= kLimit32 - offset)
    return makeError("cannot write '" + path +
                     "': the archive would reach 4 GiB, which needs ZIP64, "
                     "which is not supported");

  return writeAtomically(path, [&](llvm::raw_ostream &os) {
    llvm::support::endian::Writer w(os, llvm::endianness::little);
    // Fields shared by local and central headers, from "version needed".
    auto writeCommon = [&](const Entry &e) {
      w.write<uint16_t>(20);                 // Version needed: 2.0.
      w.write<uint16_t>(e.utf8 ? 0x800 : 0); // Flags: UTF-8 name.
      w.write<uint16_t>(0);                  // Method: stored.
      w.write<uint16_t>(kDosTime);
      w.write<uint16_t>(kDosDate);
      w.write<uint32_t>(e.crc);
      w.write<uint32_t>(e.size); // Compressed size.
      w.write<uint32_t>(e.size);
      w.write<uint16_t>(e.fileName.size());
      w.write<uint16_t>(0); // Extra field length.
    };
    for (auto [e, array] : llvm::zip_equal(entries, arrays)) {
      w.write<uint32_t>(kLocalSig);
      writeCommon(e);
      os << e.fileName << e.header;
      os.write(reinterpret_cast<const char *>(array.data.data()),
               array.data.size());
    }
    for (const Entry &e : entries) {
      w.write<uint32_t>(kCentralSig);
      w.write<uint16_t>(20); // Version made by: MS-DOS, 2.0.
      writeCommon(e);
      w.write<uint16_t>(0); // Comment length.
      w.write<uint16_t>(0); // Disk number start.
      w.write<uint16_t>(0); // Internal attributes.
      w.write<uint32_t>(0); // External attributes.
      w.write<uint32_t>(e.offset);
      os << e.fileName;
    }
    w.write<uint32_t>(kEndSig);
    w.write<uint16_t>(0); // This disk.
    w.write<uint16_t>(0); // Disk with the central directory.
    w.write<uint16_t>(entries.size());
    w.write<uint16_t>(entries.size());
    w.write<uint32_t>(cdSize);
    w.write<uint32_t>(offset);
    w.write<uint16_t>(0); // Comment length.
  });
}
