//===- CpuCodegenTest.cpp - Tests for the LLVM optimizer of compiled code
//--===//
//
// The JIT and quant-compile run LLVM's -O3 pipeline through
// optimizeForCpu. Without a target machine its loop vectorizer sees no
// vector registers and leaves every loop between layers scalar (the bundled
// CNN ran 1.8x slower under the JIT than compiled ahead of time), so these
// tests check that the host optimizer vectorizes a plain loop, and that
// full-width vectors are asked for.
//
//===----------------------------------------------------------------------===//

#include "quant/Runtime/CpuCodegen.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

using namespace mlir::qnt::runtime;

namespace {

/// c[i] = a[i] + b[i] for i < 1024, as the lowering's loops look.
constexpr const char *kLoop = R"(
define void @add(ptr noalias %a, ptr noalias %b, ptr noalias %c) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %next, %loop ]
  %pa = getelementptr float, ptr %a, i64 %i
  %pb = getelementptr float, ptr %b, i64 %i
  %pc = getelementptr float, ptr %c, i64 %i
  %x = load float, ptr %pa
  %y = load float, ptr %pb
  %s = fadd float %x, %y
  store float %s, ptr %pc
  %next = add i64 %i, 1
  %done = icmp eq i64 %next, 1024
  br i1 %done, label %exit, label %loop
exit:
  ret void
}
)";

std::unique_ptr<llvm::Module> parseLoop(llvm::LLVMContext &context) {
  llvm::SMDiagnostic error;
  std::unique_ptr<llvm::Module> module =
      llvm::parseAssemblyString(kLoop, error, context);
  EXPECT_TRUE(module) << error.getMessage().str();
  return module;
}

std::string print(const llvm::Module &module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module.print(os, nullptr);
  return text;
}

TEST(CpuCodegenTest, HostOptimizerVectorizes) {
  auto optimize = makeHostOptimizer();
  ASSERT_TRUE(bool(optimize)) << llvm::toString(optimize.takeError());
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module = parseLoop(context);
  ASSERT_TRUE(module);
  llvm::Error error = (*optimize)(module.get());
  ASSERT_FALSE(bool(error)) << llvm::toString(std::move(error));
  std::string text = print(*module);
#if defined(__x86_64__)
  // x86-64 always has at least SSE2's 4 x float.
  EXPECT_NE(text.find("fadd <"), std::string::npos) << text;
#endif
  EXPECT_NE(text.find("\"prefer-vector-width\"=\"512\""), std::string::npos)
      << text;
}

TEST(CpuCodegenTest, WithoutMachineLoopsStayScalar) {
  // The failure the host optimizer exists for: no machine, no vectors.
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module = parseLoop(context);
  ASSERT_TRUE(module);
  llvm::Error error = optimizeForCpu(*module, nullptr);
  ASSERT_FALSE(bool(error)) << llvm::toString(std::move(error));
  EXPECT_EQ(print(*module).find("fadd <"), std::string::npos);
}

} // namespace
