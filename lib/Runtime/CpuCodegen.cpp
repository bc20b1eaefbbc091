//===- CpuCodegen.cpp - Lower modules to CPU code with entry points -------===//
//
// The shared back half of quant-run and quant-compile: pipeline, entry
// points and signatures in the LLVM dialect, object emission, C headers.
//
//===----------------------------------------------------------------------===//

#include "quant/Runtime/CpuCodegen.h"

#include "quant/Conversion/Passes.h"
#include "quant/Dialect/Qnt/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "quant/Pipelines/Pipelines.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

#include <set>

using namespace mlir;
using namespace mlir::qnt;
using namespace mlir::qnt::runtime;

std::string runtime::getPackedEntrySymbol(llvm::StringRef function) {
  return ("__quant_packed_" + function).str();
}

std::string runtime::getSignatureSymbol(llvm::StringRef function) {
  return ("__quant_signature_" + function).str();
}

/// Adds a constant NUL-terminated string global.
static void addStringGlobal(OpBuilder &builder, Location loc,
                            llvm::StringRef name, std::string value) {
  value.push_back('\0');
  auto type = LLVM::LLVMArrayType::get(builder.getIntegerType(8), value.size());
  LLVM::GlobalOp::create(builder, loc, type, /*isConstant=*/true,
                         LLVM::Linkage::External, name,
                         builder.getStringAttr(value));
}

/// Adds `void __quant_packed_<name>(void **args)`, which calls the C
/// interface `_mlir_ciface_<name>` with *args[i] for each of its pointer
/// arguments (result struct first, then argument descriptors).
///
///   %p = llvm.getelementptr %args[i] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
///   %a = llvm.load %p : !llvm.ptr -> !llvm.ptr   // &argument i
///   %v = llvm.load %a : !llvm.ptr -> !llvm.ptr   // argument i
static LogicalResult addPackedEntry(ModuleOp module, OpBuilder &builder,
                                    llvm::StringRef name) {
  std::string ciface = ("_mlir_ciface_" + name).str();
  auto callee = module.lookupSymbol<LLVM::LLVMFuncOp>(ciface);
  if (!callee)
    return module.emitError("no C interface for @") << name;
  Location loc = callee.getLoc();
  auto ptr = LLVM::LLVMPointerType::get(builder.getContext());
  auto type = LLVM::LLVMFunctionType::get(
      LLVM::LLVMVoidType::get(builder.getContext()), {ptr});
  auto entry =
      LLVM::LLVMFuncOp::create(builder, loc, getPackedEntrySymbol(name), type);
  Block *body = entry.addEntryBlock(builder);
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToStart(body);
  SmallVector<Value> operands;
  for (unsigned i = 0, e = callee.getNumArguments(); i < e; ++i) {
    if (callee.getArgument(i).getType() != ptr)
      return callee.emitError("C interface argument is not a pointer");
    Value slot =
        LLVM::GEPOp::create(builder, loc, ptr, ptr, body->getArgument(0),
                            ArrayRef<LLVM::GEPArg>{int32_t(i)});
    Value address = LLVM::LoadOp::create(builder, loc, ptr, slot);
    operands.push_back(LLVM::LoadOp::create(builder, loc, ptr, address));
  }
  LLVM::CallOp::create(builder, loc, callee, operands);
  LLVM::ReturnOp::create(builder, loc, ValueRange{});
  return success();
}

FailureOr<OwningOpRef<ModuleOp>>
runtime::lowerForCpu(ModuleOp module,
                     llvm::ArrayRef<FunctionSignature> signatures, bool observe,
                     const CpuPipelineOptions &options) {
  OwningOpRef<ModuleOp> lowered(cast<ModuleOp>(module->clone()));
  // Argument and result attributes of ours are for the host signature only;
  // LLVM translation would warn about them.
  for (auto func : lowered->getOps<func::FuncOp>()) {
    for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i) {
      func.removeArgAttr(i, kInputNameAttr);
      func.removeArgAttr(i, kUnsignedAttr);
    }
    for (unsigned i = 0, e = func.getNumResults(); i < e; ++i)
      func.removeResultAttr(
          i, StringAttr::get(module.getContext(), kUnsignedAttr));
  }
  PassManager pm(module.getContext());
  if (observe) {
    // Calibration runs the float model on weights as the quantized model
    // will see them (qnt-insert-observers puts a quantize/dequantize pair on
    // each constant weight): evaluating those pairs at compile time (also on
    // dense_resource blobs) gives constant weights, which the fp32 kernels
    // take instead of generic loops.
    pm.addPass(qnt::createPackWeightsPass());
    pm.addPass(qnt::createFoldQdqPairsPass());
    pm.addPass(createLowerObserversToCallsPass());
  }
  if (failed(buildLowerToCpuPipeline(pm, options)) || failed(pm.run(*lowered)))
    return failure();
  // Only the C interfaces and our entry points are exported: a function
  // named like a libc or host-program symbol (ONNX models lower to @main)
  // must not interpose on it, nor be interposed on, in a shared library.
  for (auto func : lowered->getOps<LLVM::LLVMFuncOp>()) {
    llvm::StringRef name = func.getName();
    if (!func.isExternal() && !name.starts_with("_mlir_ciface_"))
      func.setLinkage(LLVM::Linkage::Internal);
  }
  OpBuilder builder = OpBuilder::atBlockEnd(lowered->getBody());
  std::string names;
  for (const FunctionSignature &signature : signatures) {
    if (failed(addPackedEntry(*lowered, builder, signature.name)))
      return failure();
    addStringGlobal(builder, lowered->getLoc(),
                    getSignatureSymbol(signature.name),
                    serializeSignature(signature));
    names += (names.empty() ? "" : ",") + signature.name;
  }
  addStringGlobal(builder, lowered->getLoc(), kFunctionListSymbol, names);
  return lowered;
}

llvm::Error runtime::optimizeForCpu(llvm::Module &module,
                                    llvm::TargetMachine *machine) {
  // LLVM tunes AVX-512 CPUs to prefer 256-bit vectors, for the clock of
  // older cores; the loops between layers are short and memory-bound, and
  // full-width vectors measured faster on the bundled CNN (fp32, one core,
  // batch 64: 1.97 -> 1.92 ms; int8 0.497 -> 0.486 ms). CPUs without
  // AVX-512 ignore the attribute.
  for (llvm::Function &f : module)
    if (!f.isDeclaration())
      f.addFnAttr("prefer-vector-width", "512");
  return makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0,
                                   machine)(&module);
}

llvm::Expected<std::function<llvm::Error(llvm::Module *)>>
runtime::makeHostOptimizer() {
  llvm::InitializeNativeTarget();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  auto machine = builder->createTargetMachine();
  if (!machine)
    return machine.takeError();
  std::shared_ptr<llvm::TargetMachine> owned = std::move(*machine);
  return [owned](llvm::Module *module) {
    return optimizeForCpu(*module, owned.get());
  };
}

llvm::Error runtime::emitObjectFile(ModuleOp lowered, llvm::StringRef path,
                                    llvm::StringRef cpu) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(lowered, llvmContext);
  if (!llvmModule)
    return llvm::createStringError("translation to LLVM IR failed");

  std::string triple = llvm::sys::getProcessTriple();
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(llvm::Triple(triple), error);
  if (!target)
    return llvm::createStringError("no target for " + triple + ": " + error);
  llvm::SubtargetFeatures features;
  std::string cpuName = cpu.str();
  if (cpu == "native") {
    cpuName = llvm::sys::getHostCPUName().str();
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features.AddFeature(feature.first(), feature.second);
  } else {
    // Asked about the name, a generic subtarget does not warn on stderr.
    std::unique_ptr<llvm::MCSubtargetInfo> info(
        target->createMCSubtargetInfo(llvm::Triple(triple), "generic", ""));
    if (!info || !info->isCPUStringValid(cpuName))
      return llvm::createStringError(
          "unknown CPU '" + cpuName + "' for " + triple +
          " (use native, or an LLVM CPU name such as x86-64-v4 or "
          "sapphirerapids)");
  }
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      llvm::Triple(triple), cpuName, features.getString(),
      llvm::TargetOptions(), llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
  llvmModule->setDataLayout(machine->createDataLayout());
  llvmModule->setTargetTriple(llvm::Triple(triple));
  if (llvm::Error err = optimizeForCpu(*llvmModule, machine.get()))
    return err;

  std::error_code ec;
  llvm::ToolOutputFile out(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return llvm::createStringError("cannot write '" + path.str() +
                                   "': " + ec.message());
  llvm::legacy::PassManager codegen;
  if (machine->addPassesToEmitFile(codegen, out.os(), nullptr,
                                   llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError("the target cannot emit object files");
  codegen.run(*llvmModule);
  out.os().flush();
  if (out.os().has_error())
    return llvm::createStringError("error writing '" + path.str() + "'");
  out.keep();
  return llvm::Error::success();
}

/// The C type of a memref descriptor of rank `rank`.
static std::string descriptorType(size_t rank) {
  return "quant_memref_" + std::to_string(rank) + "d";
}

std::string runtime::emitCHeader(llvm::ArrayRef<FunctionSignature> signatures,
                                 llvm::StringRef guard) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "/* Generated by quant-compile. Entry points of the compiled "
        "functions. */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << "/* Results are fresh buffers owned by the caller: free(allocated).\n"
        "   Link LLVM's OpenMP runtime (-lomp; parallel loops use it) and, "
        "for\n"
        "   the object file, -lstdc++ -lm (its int8 kernels are C++). */\n";
  std::set<size_t> ranks;
  for (const FunctionSignature &signature : signatures)
    for (const TensorSpec &spec :
         llvm::concat<const TensorSpec>(signature.inputs, signature.results))
      ranks.insert(spec.subByteBits ? 1 : spec.shape.size());
  for (size_t rank : ranks) {
    os << "#ifndef QUANT_MEMREF_" << rank << "D\n#define QUANT_MEMREF_" << rank
       << "D\ntypedef struct {\n  void *allocated;\n  void *aligned;\n"
       << "  int64_t offset;\n";
    if (rank)
      os << "  int64_t sizes[" << rank << "];\n  int64_t strides[" << rank
         << "];\n";
    os << "} " << descriptorType(rank) << ";\n#endif\n\n";
  }
  for (const FunctionSignature &signature : signatures) {
    std::string resultType;
    if (signature.results.size() > 1) {
      resultType = signature.name + "_results";
      os << "typedef struct {\n";
      for (auto [i, spec] : llvm::enumerate(signature.results))
        os << "  " << descriptorType(spec.subByteBits ? 1 : spec.shape.size())
           << " result" << i << "; /* " << spec.str() << " */\n";
      os << "} " << resultType << ";\n\n";
    } else if (signature.results.size() == 1) {
      resultType = descriptorType(signature.results.front().subByteBits
                                      ? 1
                                      : signature.results.front().shape.size());
    }
    os << "/* @" << signature.name << "(";
    for (auto [i, spec] : llvm::enumerate(signature.inputs))
      os << (i ? ", " : "") << spec.name << ": " << spec.str();
    os << ") */\nvoid _mlir_ciface_" << signature.name << "(";
    bool first = true;
    if (!resultType.empty()) {
      os << resultType << " *results";
      first = false;
    }
    for (auto [i, spec] : llvm::enumerate(signature.inputs)) {
      os << (first ? "" : ", ")
         << descriptorType(spec.subByteBits ? 1 : spec.shape.size()) << " *arg"
         << i;
      first = false;
    }
    if (first)
      os << "void";
    os << ");\n\n";
  }
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
  return text;
}
