//===- Npz.cpp - NumPy .npz archives (ZIP) --------------------------------===//
//
// Reads .npz archives (stored and deflated entries, ZIP64 sizes, CRC-checked)
// and writes them stored, atomically. The .npy entries inside go through
// Npy.cpp's parser and serializer.
//
//===----------------------------------------------------------------------===//

#include "quant/Runtime/Npy.h"

#include "NpyDetail.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/EndianStream.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <zlib.h>

using namespace mlir::qnt::runtime;
using namespace mlir::qnt::runtime::detail;
using llvm::Error;
using llvm::Expected;
using llvm::StringRef;
using llvm::Twine;

/// Deflate cannot compress by more than 1032:1; a larger claimed ratio is a
/// lie (or a zip bomb) and is rejected before allocating.
constexpr uint64_t kMaxDeflateRatio = 1032;

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
