//===- NpyTest.cpp - Tests for the .npy/.npz reader and writer --*- C++ -*-===//
//
// Reads fixtures written by numpy (Inputs/make_fixtures.py) and checks the
// hand-chosen values they hold, checks that serializeNpy reproduces numpy's
// bytes exactly, round-trips every dtype through the writers, and feeds
// malformed, truncated and corrupted files to the readers, which must return
// an error naming the file and the problem (and never crash: run these under
// ASan/UBSan too).
//
//===----------------------------------------------------------------------===//

#include "quant/Runtime/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

using namespace mlir::qnt::runtime;
using llvm::StringRef;

#ifndef QUANT_NPY_FIXTURES
#error "QUANT_NPY_FIXTURES must name the Inputs directory"
#endif

namespace {

std::string fixture(StringRef name) {
  return (llvm::Twine(QUANT_NPY_FIXTURES) + "/" + name).str();
}

std::string readBytes(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    ADD_FAILURE() << "cannot read " << path.str();
    return "";
  }
  return (*buffer)->getBuffer().str();
}

void writeBytes(StringRef path, StringRef bytes) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  ASSERT_FALSE(ec) << ec.message();
  os << bytes;
}

/// The value of `result`, or a default after recording a test failure.
template <typename T> T unwrap(llvm::Expected<T> result) {
  if (!result) {
    ADD_FAILURE() << llvm::toString(result.takeError());
    return T();
  }
  return std::move(*result);
}

/// The error message of `result`, or "" (and a test failure) on success.
template <typename T> std::string errorOf(llvm::Expected<T> result) {
  if (result) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return llvm::toString(result.takeError());
}
std::string errorOf(llvm::Error err) {
  if (!err) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return llvm::toString(std::move(err));
}

/// The elements of `array` reinterpreted as `T` (little-endian host).
template <typename T> std::vector<T> elements(const NpyArray &array) {
  EXPECT_EQ(array.data.size() % sizeof(T), 0u);
  std::vector<T> values(array.data.size() / sizeof(T));
  if (!values.empty())
    std::memcpy(values.data(), array.data.data(), array.data.size());
  return values;
}

/// A .npy file with `dict` verbatim as header (no padding) and `data`.
std::string makeNpy(StringRef dict, StringRef data = "", int major = 1) {
  std::string s("\x93NUMPY", 6);
  s += char(major);
  s += char(0);
  for (int i = 0, e = major == 1 ? 2 : 4; i < e; ++i)
    s += char((dict.size() >> (8 * i)) & 0xFF);
  return s + dict.str() + data.str();
}

NpyArray makeArray(StringRef name, DType dtype, llvm::ArrayRef<int64_t> shape,
                   uint8_t seed) {
  NpyArray array;
  array.name = name.str();
  array.dtype = dtype;
  array.shape.assign(shape.begin(), shape.end());
  array.data.resize(array.getNumElements() * getDTypeSize(dtype));
  for (size_t i = 0; i < array.data.size(); ++i)
    array.data[i] = static_cast<uint8_t>(seed + 37 * i);
  if (dtype == DType::Bool)
    for (uint8_t &b : array.data)
      b &= 1;
  return array;
}

void expectSameArray(const NpyArray &a, const NpyArray &b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.dtype, b.dtype);
  EXPECT_EQ(a.shape, b.shape);
  EXPECT_EQ(a.data, b.data);
}

/// A fresh directory, removed with its contents at the end of the test.
struct TempDir {
  llvm::SmallString<128> path;
  TempDir() {
    EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory("npytest", path));
  }
  ~TempDir() { llvm::sys::fs::remove_directories(path); }
  std::string file(StringRef name) const {
    return (llvm::Twine(path) + "/" + name).str();
  }
  std::vector<std::string> list() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(path, ec), end; !ec && it != end;
         it.increment(ec))
      names.push_back(llvm::sys::path::filename(it->path()).str());
    std::sort(names.begin(), names.end());
    return names;
  }
};

const DType kAllDTypes[] = {DType::F16, DType::F32, DType::F64,
                            DType::I8,  DType::U8,  DType::I16,
                            DType::I32, DType::I64, DType::Bool};

//===----------------------------------------------------------------------===//
// Reading numpy's files
//===----------------------------------------------------------------------===//

TEST(NpyTest, DTypeNamesAndSizes) {
  const char *names[] = {"float16", "float32", "float64", "int8", "uint8",
                         "int16",   "int32",   "int64",   "bool"};
  const size_t sizes[] = {2, 4, 8, 1, 1, 2, 4, 8, 1};
  for (size_t i = 0; i < std::size(kAllDTypes); ++i) {
    EXPECT_EQ(getDTypeName(kAllDTypes[i]), names[i]);
    EXPECT_EQ(getDTypeSize(kAllDTypes[i]), sizes[i]);
  }
  EXPECT_EQ(getDTypeName(static_cast<DType>(42)), "invalid");
  EXPECT_EQ(getDTypeSize(static_cast<DType>(42)), 0u);
}

TEST(NpyTest, ReadsFloat16Bits) {
  NpyArray a = unwrap(readNpy(fixture("f16.npy")));
  EXPECT_EQ(a.name, "f16");
  EXPECT_EQ(a.dtype, DType::F16);
  EXPECT_EQ(a.shape, (llvm::SmallVector<int64_t>{6}));
  // 1.0, -2.0, 0.5, 65504 (max), +inf, -0.0 as binary16.
  EXPECT_EQ(
      elements<uint16_t>(a),
      (std::vector<uint16_t>{0x3C00, 0xC000, 0x3800, 0x7BFF, 0x7C00, 0x8000}));
}

TEST(NpyTest, ReadsFloat32WithShapeAndSpecials) {
  NpyArray a = unwrap(readNpy(fixture("f32.npy")));
  EXPECT_EQ(a.dtype, DType::F32);
  EXPECT_EQ(a.shape, (llvm::SmallVector<int64_t>{2, 3}));
  EXPECT_EQ(a.getNumElements(), 6);
  // 1.5, -0.25, 100, -0.0, +inf, numpy's quiet NaN.
  EXPECT_EQ(elements<uint32_t>(a),
            (std::vector<uint32_t>{0x3FC00000, 0xBE800000, 0x42C80000,
                                   0x80000000, 0x7F800000, 0x7FC00000}));
}

TEST(NpyTest, ReadsFloat64) {
  NpyArray a = unwrap(readNpy(fixture("f64.npy")));
  EXPECT_EQ(a.dtype, DType::F64);
  EXPECT_EQ(elements<double>(a), (std::vector<double>{0.1, -1e300, 2.5}));
}

TEST(NpyTest, ReadsInt8) {
  NpyArray a = unwrap(readNpy(fixture("i8.npy")));
  EXPECT_EQ(a.dtype, DType::I8);
  EXPECT_EQ(elements<int8_t>(a), (std::vector<int8_t>{-128, -1, 0, 1, 127}));
}

TEST(NpyTest, ReadsUInt8) {
  NpyArray a = unwrap(readNpy(fixture("u8.npy")));
  EXPECT_EQ(a.dtype, DType::U8);
  EXPECT_EQ(elements<uint8_t>(a), (std::vector<uint8_t>{0, 1, 128, 255}));
}

TEST(NpyTest, ReadsInt16) {
  NpyArray a = unwrap(readNpy(fixture("i16.npy")));
  EXPECT_EQ(a.dtype, DType::I16);
  EXPECT_EQ(elements<int16_t>(a),
            (std::vector<int16_t>{-32768, -2, 300, 32767}));
}

TEST(NpyTest, ReadsInt32) {
  NpyArray a = unwrap(readNpy(fixture("i32.npy")));
  EXPECT_EQ(a.dtype, DType::I32);
  EXPECT_EQ(a.shape, (llvm::SmallVector<int64_t>{2, 2}));
  EXPECT_EQ(elements<int32_t>(a),
            (std::vector<int32_t>{INT32_MIN, -1, 65536, INT32_MAX}));
}

TEST(NpyTest, ReadsInt64) {
  NpyArray a = unwrap(readNpy(fixture("i64.npy")));
  EXPECT_EQ(a.dtype, DType::I64);
  EXPECT_EQ(elements<int64_t>(a),
            (std::vector<int64_t>{INT64_MIN, -1, int64_t(1) << 32, INT64_MAX}));
}

TEST(NpyTest, ReadsBool) {
  NpyArray a = unwrap(readNpy(fixture("bool.npy")));
  EXPECT_EQ(a.dtype, DType::Bool);
  EXPECT_EQ(elements<uint8_t>(a), (std::vector<uint8_t>{1, 0, 1, 1, 0}));
}

TEST(NpyTest, ReadsScalar) {
  NpyArray a = unwrap(readNpy(fixture("scalar.npy")));
  EXPECT_EQ(a.dtype, DType::F64);
  EXPECT_TRUE(a.shape.empty());
  EXPECT_EQ(a.getNumElements(), 1);
  EXPECT_EQ(elements<double>(a), (std::vector<double>{3.25}));
}

TEST(NpyTest, ReadsZeroSizeArray) {
  NpyArray a = unwrap(readNpy(fixture("empty.npy")));
  EXPECT_EQ(a.dtype, DType::I32);
  EXPECT_EQ(a.shape, (llvm::SmallVector<int64_t>{0, 3}));
  EXPECT_EQ(a.getNumElements(), 0);
  EXPECT_TRUE(a.data.empty());
}

TEST(NpyTest, ByteSwapsBigEndian) {
  NpyArray i = unwrap(readNpy(fixture("be_i32.npy")));
  EXPECT_EQ(i.dtype, DType::I32);
  EXPECT_EQ(elements<int32_t>(i), (std::vector<int32_t>{1, -2, 0x01020304}));
  NpyArray f = unwrap(readNpy(fixture("be_f64.npy")));
  EXPECT_EQ(f.dtype, DType::F64);
  EXPECT_EQ(elements<double>(f), (std::vector<double>{1.5, -2.0}));
}

TEST(NpyTest, ReadsFormatVersions2And3) {
  NpyArray v2 = unwrap(readNpy(fixture("v2.npy")));
  EXPECT_EQ(v2.dtype, DType::I16);
  EXPECT_EQ(elements<int16_t>(v2), (std::vector<int16_t>{1, 2, 3}));
  NpyArray v3 = unwrap(readNpy(fixture("v3.npy")));
  EXPECT_EQ(v3.dtype, DType::F32);
  EXPECT_EQ(elements<float>(v3), (std::vector<float>{1.0f, 2.0f}));
}

TEST(NpyTest, AcceptsHeaderVariants) {
  // Any key order, double quotes, no trailing comma, Python 2 `L` suffix,
  // `(n)` for `(n,)`, native byte-order marks, version 2 length field.
  struct Case {
    const char *dict;
    int major;
    DType dtype;
    llvm::SmallVector<int64_t> shape;
  } cases[] = {
      {"{'shape': (2,), 'fortran_order': False, 'descr': '<i2'}",
       1,
       DType::I16,
       {2}},
      {"{\"descr\":\"=i2\",\"fortran_order\":False,\"shape\":(2L,)}\n",
       1,
       DType::I16,
       {2}},
      {"{'descr': '|i2', 'fortran_order': False, 'shape': (1, 2L),}",
       2,
       DType::I16,
       {1, 2}},
      {" { 'descr' : '>u1' , 'fortran_order' : False , 'shape' : ( 4 ) } ",
       1,
       DType::U8,
       {4}},
      {"{'descr': '|?', 'fortran_order': False, 'shape': (4,)}",
       3,
       DType::Bool,
       {4}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.dict);
    NpyArray a = unwrap(parseNpy(makeNpy(c.dict, "abcd", c.major), "mem"));
    EXPECT_EQ(a.name, "mem");
    EXPECT_EQ(a.dtype, c.dtype);
    EXPECT_EQ(a.shape, c.shape);
    EXPECT_EQ(
        StringRef(reinterpret_cast<const char *>(a.data.data()), a.data.size()),
        "abcd");
  }
}

//===----------------------------------------------------------------------===//
// Rejecting bad input
//===----------------------------------------------------------------------===//

TEST(NpyTest, MalformedFixturesAreErrors) {
  struct Case {
    const char *file;
    std::vector<const char *> needles;
  } cases[] = {
      {"bad_truncated.npy",
       {"truncated data", "shape (2, 3) of float32 needs 24 bytes",
        "the file has 21"}},
      {"bad_magic.npy", {"not a .npy file"}},
      {"bad_header_cut.npy", {"header cut off"}},
      {"bad_garbage_header.npy",
       {"malformed .npy header", "expected a quoted dtype descr"}},
      {"bad_c8.npy", {"unsupported dtype '<c8'"}},
      {"fortran.npy", {"Fortran order", "C-contiguous"}},
      {"stored.npz", {"not a .npy file"}},
      {"does_not_exist.npy", {"cannot read"}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.file);
    std::string message = errorOf(readNpy(fixture(c.file)));
    EXPECT_NE(message.find(fixture(c.file)), std::string::npos) << message;
    for (const char *needle : c.needles)
      EXPECT_NE(message.find(needle), std::string::npos) << message;
  }
}

TEST(NpyTest, MalformedHeadersAreErrors) {
  const char *f4 = "'descr': '<f4', 'fortran_order': False";
  auto dict = [&](StringRef rest) {
    return ("{" + llvm::Twine(f4) + ", " + rest + "}").str();
  };
  struct Case {
    std::string bytes;
    const char *needle;
  } cases[] = {
      {"", "not a .npy file"},
      {"\x93NUMPY", "header cut off"},
      {"\x93NUMPY\x01", "header cut off"},
      {std::string("\x93NUMPY\x01\x00\x05", 9), "header cut off"},
      {std::string("\x93NUMPY\x04\x00\x00\x00", 10),
       "unsupported .npy format version 4.0"},
      {std::string("\x93NUMPY\x02\x00\xF0\xFF\xFF\xFF", 12), "exceeds"},
      {std::string("\x93NUMPY\x01\x00\xFF\x00{}", 12), "header cut off"},
      {makeNpy("{'descr': '<f4', 'fortran_order': False}"), "no 'shape' key"},
      {makeNpy("{'fortran_order': False, 'shape': ()}"), "no 'descr' key"},
      {makeNpy(dict("'shape': (), 'foo': 1")), "unexpected key 'foo'"},
      {makeNpy(dict("'shape': (), 'descr': '<f4'")), "duplicate key 'descr'"},
      {makeNpy(dict("'shape': (-1,)")), "negative dimension -1"},
      {makeNpy(dict("'shape': (99999999999999999999,)")), "is too large"},
      {makeNpy(dict("'shape': (1099511627776, 1099511627776)")),
       "shape (1099511627776, 1099511627776) is too large"},
      {makeNpy("{'descr': '<f8', 'fortran_order': False, "
               "'shape': (2147483648, 2147483648)}"),
       "is too large"},
      {makeNpy(dict("'shape': [2]")), "expected a tuple"},
      {makeNpy(dict("'shape': (2 3)")), "expected ',' or ')'"},
      {makeNpy(dict("'shape': (,)")), "expected an integer"},
      {makeNpy(dict("'shape': (1,)") + " x"), "unexpected text after"},
      {makeNpy("{'descr': [('a', '<f4')], 'fortran_order': False, "
               "'shape': ()}"),
       "structured"},
      {makeNpy("{'descr': '<f4', 'fortran_order': 1, 'shape': ()}"),
       "expected True or False"},
      {makeNpy("{'descr': '<f4, 'fortran_order': False, 'shape': ()}"),
       "expected ',' or '}' after the value of 'descr'"},
      {makeNpy("{'descr': '<f4\\n', 'fortran_order': False, 'shape': ()}"),
       "unterminated or escaped string"},
      {makeNpy("{'descr': '<u4', 'fortran_order': False, 'shape': ()}"),
       "unsupported dtype '<u4'"},
      {makeNpy("{'descr': '|O', 'fortran_order': False, 'shape': ()}"),
       "unsupported dtype '|O'"},
      {makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': ()"),
       "expected ',' or '}'"},
      {makeNpy(dict("'shape': (2,)"), "12345678x"),
       "unexpected bytes after the data"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.bytes);
    std::string message = errorOf(parseNpy(c.bytes, "in.npy"));
    EXPECT_EQ(StringRef(message).substr(0, 8), "in.npy: ") << message;
    EXPECT_NE(message.find(c.needle), std::string::npos) << message;
  }
}

TEST(NpyTest, RejectsTooManyDimensions) {
  std::string shape = "(";
  for (int i = 0; i < 65; ++i)
    shape += "1, ";
  std::string message = errorOf(parseNpy(
      makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape +
              ")}"),
      "in.npy"));
  EXPECT_NE(message.find("more than 64 dimensions"), std::string::npos)
      << message;
}

TEST(NpyTest, EveryTruncationIsAnError) {
  for (const char *file : {"f32.npy", "v2.npy", "scalar.npy", "empty.npy"}) {
    std::string bytes = readBytes(fixture(file));
    for (size_t len = 0; len < bytes.size(); ++len) {
      llvm::Expected<NpyArray> result =
          parseNpy(StringRef(bytes).take_front(len), file);
      EXPECT_FALSE(result) << file << " cut to " << len << " bytes";
      llvm::consumeError(result.takeError());
    }
  }
}

TEST(NpyTest, CorruptBytesNeverCrash) {
  // Every single-byte corruption of a header is either rejected or yields a
  // consistent array; under ASan this also proves no out-of-bounds access.
  std::string bytes = readBytes(fixture("f32.npy"));
  for (size_t i = 0; i < 128; ++i)
    for (uint8_t x : {0x01, 0x80, 0xFF}) {
      std::string corrupt = bytes;
      corrupt[i] ^= x;
      llvm::Expected<NpyArray> result = parseNpy(corrupt, "f32.npy");
      if (result)
        EXPECT_EQ(result->data.size(),
                  static_cast<size_t>(result->getNumElements() *
                                      getDTypeSize(result->dtype)));
      else
        llvm::consumeError(result.takeError());
    }
}

//===----------------------------------------------------------------------===//
// Archives
//===----------------------------------------------------------------------===//

void expectNumpyArchive(StringRef file) {
  std::vector<NpyArray> arrays = unwrap(readNpz(fixture(file)));
  ASSERT_EQ(arrays.size(), 3u);
  EXPECT_EQ(arrays[0].name, "x");
  EXPECT_EQ(arrays[0].shape, (llvm::SmallVector<int64_t>{2, 3}));
  EXPECT_EQ(elements<uint32_t>(arrays[0]),
            (std::vector<uint32_t>{0x3FC00000, 0xBE800000, 0x42C80000,
                                   0x80000000, 0x7F800000, 0x7FC00000}));
  EXPECT_EQ(arrays[1].name, "y");
  EXPECT_EQ(elements<int8_t>(arrays[1]),
            (std::vector<int8_t>{-128, -1, 0, 1, 127}));
  EXPECT_EQ(arrays[2].name, "z");
  EXPECT_TRUE(arrays[2].shape.empty());
  EXPECT_EQ(elements<double>(arrays[2]), (std::vector<double>{3.25}));
}

TEST(NpyTest, ReadsStoredNpz) { expectNumpyArchive("stored.npz"); }

TEST(NpyTest, ReadsDeflatedNpz) { expectNumpyArchive("deflated.npz"); }

TEST(NpyTest, ReadsZip64Npz) {
  std::vector<NpyArray> arrays = unwrap(readNpz(fixture("zip64.npz")));
  ASSERT_EQ(arrays.size(), 2u);
  EXPECT_EQ(arrays[0].name, "a");
  EXPECT_EQ(elements<int16_t>(arrays[0]),
            (std::vector<int16_t>{-32768, -2, 300, 32767}));
  EXPECT_EQ(arrays[1].name, "b");
  EXPECT_EQ(arrays[1].dtype, DType::Bool);
}

TEST(NpyTest, MalformedArchivesAreErrors) {
  struct Case {
    const char *file;
    std::vector<const char *> needles;
  } cases[] = {
      {"bad_crc.npz", {"entry 'y.npy'", "CRC-32 mismatch"}},
      {"bad_truncated.npz", {"not a ZIP archive"}},
      {"bad_bzip2.npz", {"entry 'a.npy'", "compression method 12"}},
      {"bad_deflate_size.npz",
       {"entry 'x.npy'", "expands to 152 bytes, but the archive says 153"}},
      {"f32.npy", {"not a ZIP archive"}},
      {"does_not_exist.npz", {"cannot read"}},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.file);
    std::string message = errorOf(readNpz(fixture(c.file)));
    EXPECT_NE(message.find(fixture(c.file)), std::string::npos) << message;
    for (const char *needle : c.needles)
      EXPECT_NE(message.find(needle), std::string::npos) << message;
  }
}

TEST(NpyTest, CorruptArchivesNeverCrash) {
  // Every truncation is an error; every byte flip is an error or a
  // consistent result (flipping e.g. a date field is harmless).
  TempDir dir;
  std::string path = dir.file("c.npz");
  for (const char *file : {"stored.npz", "deflated.npz", "zip64.npz"}) {
    std::string bytes = readBytes(fixture(file));
    for (size_t i = 0; i < bytes.size(); ++i) {
      writeBytes(path, StringRef(bytes).take_front(i));
      auto truncated = readNpz(path);
      EXPECT_FALSE(truncated) << file << " cut to " << i;
      llvm::consumeError(truncated.takeError());

      std::string corrupt = bytes;
      corrupt[i] ^= 0x5A;
      writeBytes(path, corrupt);
      auto flipped = readNpz(path);
      if (flipped)
        for (const NpyArray &a : *flipped)
          EXPECT_EQ(a.data.size(), static_cast<size_t>(a.getNumElements() *
                                                       getDTypeSize(a.dtype)));
      else
        llvm::consumeError(flipped.takeError());
    }
  }
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

TEST(NpyTest, SerializeMatchesNumpyBytes) {
  for (const char *file :
       {"f16.npy", "f32.npy", "f64.npy", "i8.npy", "u8.npy", "i16.npy",
        "i32.npy", "i64.npy", "bool.npy", "scalar.npy", "empty.npy"}) {
    SCOPED_TRACE(file);
    std::string bytes = readBytes(fixture(file));
    EXPECT_EQ(serializeNpy(unwrap(parseNpy(bytes, file))), bytes);
  }
}

TEST(NpyTest, SerializeParseRoundTrip) {
  const llvm::SmallVector<int64_t> shapes[] = {
      {}, {0}, {1}, {7}, {2, 0, 3}, {3, 4}, {1, 2, 1, 3, 2}};
  for (DType dtype : kAllDTypes)
    for (const llvm::SmallVector<int64_t> &shape : shapes) {
      NpyArray a = makeArray("rt", dtype, shape, 3);
      std::string bytes = serializeNpy(a);
      // The data starts at a multiple of 64, after a '\n'.
      size_t dataStart = bytes.size() - a.data.size();
      EXPECT_EQ(dataStart % 64, 0u);
      EXPECT_EQ(bytes[dataStart - 1], '\n');
      expectSameArray(unwrap(parseNpy(bytes, "rt")), a);
    }
}

TEST(NpyTest, WriteNpyRoundTrip) {
  TempDir dir;
  NpyArray a = makeArray("out", DType::I32, {2, 3}, 9);
  ASSERT_FALSE(llvm::errorToBool(writeNpy(dir.file("out.npy"), a)));
  EXPECT_EQ(readBytes(dir.file("out.npy")), serializeNpy(a));
  expectSameArray(unwrap(readNpy(dir.file("out.npy"))), a);
  // Overwriting replaces the file and leaves no temporary behind.
  NpyArray b = makeArray("out", DType::F64, {}, 1);
  ASSERT_FALSE(llvm::errorToBool(writeNpy(dir.file("out.npy"), b)));
  expectSameArray(unwrap(readNpy(dir.file("out.npy"))), b);
  EXPECT_EQ(dir.list(), (std::vector<std::string>{"out.npy"}));
}

TEST(NpyTest, WriteNpyIntoMissingDirectoryFails) {
  TempDir dir;
  std::string path = dir.file("missing/out.npy");
  std::string message =
      errorOf(writeNpy(path, makeArray("a", DType::F32, {2}, 0)));
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_FALSE(llvm::sys::fs::exists(path));
  EXPECT_TRUE(dir.list().empty());
}

TEST(NpyTest, FailedRenameLeavesNoTemporary) {
  // The target is a non-empty directory, so the final rename fails.
  TempDir dir;
  ASSERT_FALSE(llvm::sys::fs::create_directory(dir.file("out.npy")));
  writeBytes(dir.file("out.npy/keep"), "x");
  std::string message = errorOf(
      writeNpy(dir.file("out.npy"), makeArray("a", DType::F32, {2}, 0)));
  EXPECT_NE(message.find("cannot write"), std::string::npos) << message;
  EXPECT_EQ(dir.list(), (std::vector<std::string>{"out.npy"}));
}

TEST(NpyTest, WriteNpyRejectsInconsistentArrays) {
  TempDir dir;
  NpyArray shortData = makeArray("a", DType::F32, {2, 3}, 0);
  shortData.data.pop_back();
  NpyArray negative = makeArray("a", DType::F32, {2}, 0);
  negative.shape = {-2};
  NpyArray badDType = makeArray("a", DType::F32, {2}, 0);
  badDType.dtype = static_cast<DType>(99);
  NpyArray overflow = makeArray("a", DType::I64, {}, 0);
  overflow.shape = {int64_t(1) << 62, 4};
  struct Case {
    const NpyArray *array;
    const char *needle;
  } cases[] = {
      {&shortData, "shape (2, 3) of float32 needs 24 bytes of data, but the "
                   "array has 23"},
      {&negative, "invalid shape (-2,)"},
      {&badDType, "invalid dtype value 99"},
      {&overflow, "invalid shape"},
  };
  for (const Case &c : cases) {
    std::string message = errorOf(writeNpy(dir.file("a.npy"), *c.array));
    EXPECT_NE(message.find(c.needle), std::string::npos) << message;
  }
  EXPECT_TRUE(dir.list().empty());
  EXPECT_EQ(overflow.getNumElements(), -1);
  EXPECT_EQ(negative.getNumElements(), -1);
}

TEST(NpyTest, WriteNpzRoundTrip) {
  TempDir dir;
  std::vector<NpyArray> arrays;
  for (auto [i, dtype] : llvm::enumerate(kAllDTypes))
    arrays.push_back(
        makeArray("in_" + std::to_string(i), dtype, {int64_t(i % 3), 2}, i));
  arrays.push_back(makeArray("scalar", DType::F64, {}, 5));
  arrays.push_back(makeArray("empty", DType::U8, {0}, 5));
  arrays.push_back(makeArray("caf\xC3\xA9", DType::I8, {3}, 5));
  std::string path = dir.file("out.npz");
  ASSERT_FALSE(llvm::errorToBool(writeNpz(path, arrays)));
  std::vector<NpyArray> back = unwrap(readNpz(path));
  ASSERT_EQ(back.size(), arrays.size());
  for (size_t i = 0; i < arrays.size(); ++i)
    expectSameArray(back[i], arrays[i]);
  EXPECT_EQ(dir.list(), (std::vector<std::string>{"out.npz"}));

  ASSERT_FALSE(llvm::errorToBool(writeNpz(path, {})));
  EXPECT_TRUE(unwrap(readNpz(path)).empty());
}

TEST(NpyTest, WriteNpzRejectsBadInput) {
  TempDir dir;
  std::string path = dir.file("out.npz");
  NpyArray a = makeArray("a", DType::F32, {2}, 0);
  NpyArray unnamed = makeArray("", DType::F32, {2}, 0);
  NpyArray bad = makeArray("bad", DType::F32, {2}, 0);
  bad.data.push_back(0);
  EXPECT_NE(errorOf(writeNpz(path, {a, a})).find("the name is used twice"),
            std::string::npos);
  EXPECT_NE(errorOf(writeNpz(path, {a, unnamed})).find("has no name"),
            std::string::npos);
  EXPECT_NE(errorOf(writeNpz(path, {a, bad})).find("array 'bad'"),
            std::string::npos);
  std::string missing = dir.file("missing/out.npz");
  EXPECT_NE(errorOf(writeNpz(missing, {a})).find(missing), std::string::npos);
  EXPECT_TRUE(dir.list().empty());
}

} // namespace
