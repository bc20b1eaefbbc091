//===- NpyDetail.h - Helpers shared by Npy.cpp and Npz.cpp -------*- C++
//-*-===//
//
// Little-endian reads, CRC-32, array checks, .npy headers and atomic file
// I/O, used by both the .npy and the .npz (ZIP) code. Not installed.
//
//===----------------------------------------------------------------------===//

#ifndef QUANT_LIB_RUNTIME_NPYDETAIL_H
#define QUANT_LIB_RUNTIME_NPYDETAIL_H

#include "quant/Runtime/Npy.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>

namespace mlir::qnt::runtime::detail {

llvm::Error makeError(const llvm::Twine &msg);

/// Little-endian integers at byte offset `off` of `s` (bounds checked by
/// the caller).
uint16_t read16(llvm::StringRef s, size_t off);
uint32_t read32(llvm::StringRef s, size_t off);
uint64_t read64(llvm::StringRef s, size_t off);

/// CRC-32 of `data` continuing from `crc`.
uint32_t updateCrc(uint32_t crc, llvm::ArrayRef<uint8_t> data);

/// Checks that `array` has a supported dtype, a valid shape and exactly the
/// bytes its shape needs; `what` prefixes the error.
llvm::Error verifyArray(const NpyArray &array, const llvm::Twine &what);

/// The `.npy` header of `array`, exactly as numpy writes it.
std::string makeNpyHeader(const NpyArray &array);

/// Reads the whole file at `path` (memory-mapped where possible).
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readFile(llvm::StringRef path);

/// Writes `path` through a temporary file renamed over it once `write`
/// has succeeded: no partial file, and none left on failure.
llvm::Error
writeAtomically(llvm::StringRef path,
                llvm::function_ref<void(llvm::raw_ostream &)> write);

} // namespace mlir::qnt::runtime::detail

#endif // QUANT_LIB_RUNTIME_NPYDETAIL_H
