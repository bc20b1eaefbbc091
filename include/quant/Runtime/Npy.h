//===- Npy.h - NumPy .npy/.npz reading and writing --------------*- C++ -*-===//
//
// Reads and writes NumPy's `.npy` array files and `.npz` archives so that
// quant-run can take model inputs from, and hand outputs back to, Python.
// Only plain numeric arrays are supported: the dtypes in `DType`, C order.
// Every malformed, truncated or unsupported input ends in an llvm::Error that
// names the file (and the archive entry) and the problem; nothing asserts or
// crashes on bad input. Writers go through a temporary file in the target
// directory that is renamed into place, so a failure leaves no partial file.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_RUNTIME_NPY_H
#define QUANT_RUNTIME_NPY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mlir::qnt::runtime {

/// The element types an array may have.
enum class DType { F16, F32, F64, I8, U8, I16, I32, I64, Bool };

/// The NumPy name of `dtype`: "float16", "float32", "int8", "bool", ...;
/// "invalid" for a value outside the enumeration.
llvm::StringRef getDTypeName(DType dtype);

/// The size of one element of `dtype` in bytes; 0 for a value outside the
/// enumeration.
size_t getDTypeSize(DType dtype);

/// A dense array as stored in a `.npy` file. `data` holds the elements in C
/// (row-major) order, little-endian, packed (no padding); F16 elements are
/// IEEE binary16 bit patterns and Bool elements one byte each, as stored.
struct NpyArray {
  /// Array name: the file stem for readNpy, the entry name without ".npy"
  /// for readNpz; the entry name (plus ".npy") for writeNpz.
  std::string name;
  DType dtype = DType::F32;
  /// Dimensions; empty for a scalar.
  llvm::SmallVector<int64_t> shape;
  std::vector<uint8_t> data;

  /// The product of `shape` (1 for a scalar); -1 if a dimension is negative
  /// or the product does not fit in int64_t.
  int64_t getNumElements() const;
};

/// Parses the contents of a `.npy` file. `nameForErrors` is prefixed to error
/// messages and becomes the array's name.
///
/// Accepted: format versions 1.0, 2.0 and 3.0; the header keys in any order
/// (and Python 2's `3L` integers); descr `<f2 <f4 <f8 |i1 |u1 <i2 <i4 <i8
/// |b1`, where `=`, `|` or no mark means native order and `>` big-endian,
/// which is byte-swapped on load. Rejected with an error: Fortran order, any
/// other dtype (complex, unsigned 16/32/64, object, string, structured),
/// unknown, missing or duplicate header keys, negative dimensions, more than
/// 64 dimensions, a byte size that overflows int64_t, a header length over
/// 1 MiB, and a data size other than shape x itemsize (truncated file or
/// trailing bytes).
llvm::Expected<NpyArray> parseNpy(llvm::StringRef bytes,
                                  llvm::StringRef nameForErrors);

/// Reads the `.npy` file at `path`; the array is named after the file stem.
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);

/// Reads every array of the `.npz` archive at `path`, in archive order, named
/// after the entry names with a trailing ".npy" removed. Directory entries
/// are skipped; any other entry must be a valid `.npy` file. Entries may be
/// stored or deflated and use ZIP64 extra fields and end records; their
/// CRC-32 and sizes are checked. Rejected with an error: other compression
/// methods, encryption, multi-disk archives and two entries with one name.
llvm::Expected<std::vector<NpyArray>> readNpz(llvm::StringRef path);

/// Returns `array` in `.npy` format, byte-for-byte as numpy.save writes it:
/// a version 1.0 header (2.0 only if the header exceeds 65535 bytes) padded
/// with spaces so that the data starts at a multiple of 64 bytes, then
/// `array.data` verbatim. The array is not validated: writeNpy does that.
std::string serializeNpy(const NpyArray &array);

/// Writes `array` to `path` atomically (temporary file in the same directory,
/// then rename). Fails, leaving no file, if the array is inconsistent (data
/// size differs from shape x itemsize, negative dimension) or on I/O errors.
llvm::Error writeNpy(llvm::StringRef path, const NpyArray &array);

/// Writes `arrays` to the `.npz` archive `path` atomically: a ZIP archive of
/// uncompressed (stored) entries "<name>.npy" with correct CRC-32s, which
/// numpy.load reads. Fails, leaving no file, on inconsistent arrays, empty or
/// duplicate names, on an archive that would need ZIP64 (an entry or the
/// archive reaching 4 GiB, or 65535 entries) and on I/O errors.
llvm::Error writeNpz(llvm::StringRef path, llvm::ArrayRef<NpyArray> arrays);

} // namespace mlir::qnt::runtime

#endif // QUANT_RUNTIME_NPY_H
