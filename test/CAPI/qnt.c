/*===- qnt.c - C API test: parse, verify and transform qnt IR -------------===*\
|*                                                                            *|
|* Drives libQuantCAPI.so from plain C: loads the qnt dialect through its     *|
|* handle, parses and prints a module, runs qnt-expand-fake-quant from a      *|
|* textual pipeline, and checks that bad input fails without aborting.        *|
\*===----------------------------------------------------------------------===*/

// RUN: quant-capi-test 2>&1 | FileCheck %s

#include "mlir-c/Diagnostics.h"
#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "quant-c/Dialects.h"
#include "quant-c/Registration.h"

#include <stdio.h>
#include <string.h>

static void printToStdout(MlirStringRef str, void *userData) {
  (void)userData;
  fwrite(str.data, 1, str.length, stdout);
}

static MlirLogicalResult printDiagnostic(MlirDiagnostic diagnostic,
                                         void *userData) {
  (void)userData;
  fprintf(stdout, "diagnostic: ");
  mlirDiagnosticPrint(diagnostic, printToStdout, NULL);
  fprintf(stdout, "\n");
  return mlirLogicalResultSuccess();
}

static const char *kModule =
    "func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {\n"
    "  %y = qnt.fake_quant %x as !quant.uniform<i8:f32, 0.5:-1> : "
    "tensor<4xf32>\n"
    "  return %y : tensor<4xf32>\n"
    "}\n";

static const char *kBadModule =
    "func.func @g(%x: tensor<4xf32>) -> tensor<4x!quant.uniform<i8:f32, "
    "0.5:300>> {\n"
    "  %q = qnt.quantize %x : tensor<4xf32> -> "
    "tensor<4x!quant.uniform<i8:f32, 0.5:300>>\n"
    "  return %q : tensor<4x!quant.uniform<i8:f32, 0.5:300>>\n"
    "}\n";

int main(void) {
  MlirContext ctx = mlirContextCreate();
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  quantRegisterAllDialects(registry);
  quantRegisterAllDialects((MlirDialectRegistry){NULL});
  mlirContextAppendDialectRegistry(ctx, registry);
  mlirDialectRegistryDestroy(registry);
  mlirContextAttachDiagnosticHandler(ctx, printDiagnostic, NULL, NULL);

  MlirDialect qnt =
      mlirDialectHandleLoadDialect(mlirGetDialectHandle__qnt__(), ctx);
  MlirStringRef ns = mlirDialectGetNamespace(qnt);
  // CHECK: dialect: qnt
  printf("dialect: %.*s\n", (int)ns.length, ns.data);

  MlirModule module =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kModule));
  if (mlirModuleIsNull(module))
    return 1;
  // CHECK-LABEL: func.func @f
  // CHECK: qnt.fake_quant %{{.*}} as !quant.uniform<i8:f32, 5.000000e-01:-1>
  mlirOperationPrint(mlirModuleGetOperation(module), printToStdout, NULL);
  printf("\n");

  quantRegisterAllPasses();
  MlirPassManager pm = mlirPassManagerCreate(ctx);
  MlirOpPassManager opm = mlirPassManagerGetAsOpPassManager(pm);
  MlirLogicalResult parsed = mlirParsePassPipeline(
      opm,
      mlirStringRefCreateFromCString("builtin.module(qnt-expand-fake-quant)"),
      printToStdout, NULL);
  // CHECK: pipeline parsed: 1
  printf("pipeline parsed: %d\n", mlirLogicalResultIsSuccess(parsed));
  MlirLogicalResult ran =
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module));
  // CHECK: pipeline ran: 1
  // CHECK-LABEL: func.func @f
  // CHECK: %[[Q:.*]] = qnt.quantize %{{.*}} : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-1>>
  // CHECK: qnt.dequantize %[[Q]]
  printf("pipeline ran: %d\n", mlirLogicalResultIsSuccess(ran));
  mlirOperationPrint(mlirModuleGetOperation(module), printToStdout, NULL);
  printf("\n");

  // An unknown pass is reported, not fatal.
  // CHECK: unknown pipeline rejected: 1
  MlirPassManager pm2 = mlirPassManagerCreate(ctx);
  MlirLogicalResult bad = mlirParsePassPipeline(
      mlirPassManagerGetAsOpPassManager(pm2),
      mlirStringRefCreateFromCString("builtin.module(qnt-no-such-pass)"),
      printToStdout, NULL);
  printf("\nunknown pipeline rejected: %d\n", mlirLogicalResultIsFailure(bad));

  // A zero point outside the storage range fails verification at parse.
  // CHECK: diagnostic: 'qnt.quantize' op qnt_c3: zero point 300 is outside the storage range [-128, 127]
  // CHECK: bad module rejected: 1
  MlirModule badModule =
      mlirModuleCreateParse(ctx, mlirStringRefCreateFromCString(kBadModule));
  printf("bad module rejected: %d\n", mlirModuleIsNull(badModule));

  mlirPassManagerDestroy(pm2);
  mlirPassManagerDestroy(pm);
  mlirModuleDestroy(module);
  mlirContextDestroy(ctx);
  return 0;
}
