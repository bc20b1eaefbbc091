# -*- Python -*-
# lit configuration for quant: FileCheck tests of quant-opt, the C API and
# the plugin loaded into Debian's mlir-opt-22.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "QUANT"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".c", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.quant_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]

# Variables are scoped to CHECK-LABEL blocks unless prefixed with $.
config.environment["FILECHECK_OPTS"] = "-enable-var-scope"

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%shlibext", ".so"))
config.substitutions.append(("%quant_lib_dir", config.quant_lib_dir))
config.substitutions.append(("%quant_src_root", config.quant_src_root))
# Linking compiled objects into programs: their parallel loops use libomp,
# and in a sanitizer build (QUANT_SANITIZE) the runtime kernels they link
# are instrumented.
omp_dir = os.path.dirname(config.quant_libomp)
runtime_link = f"-L{omp_dir} -Wl,-rpath,{omp_dir} -lomp"
if config.quant_sanitize.upper() not in ("", "OFF", "0", "FALSE", "NO"):
    sanitizers = config.quant_sanitize.replace(";", ",")
    runtime_link += f" -fsanitize={sanitizers}"
    config.available_features.add("sanitizers")
    # LLVM keeps some allocations to the end on purpose; undefined behaviour
    # fails the test.
    config.environment["ASAN_OPTIONS"] = "detect_leaks=0"
    config.environment["UBSAN_OPTIONS"] = "halt_on_error=1:print_stacktrace=1"
config.substitutions.append(("%runtime_link", runtime_link))

# This CPU's instruction sets, for tests of the kernels' dispatch.
try:
    with open("/proc/cpuinfo") as cpuinfo:
        cpu_flags = next((line.split(":", 1)[1].split() for line in cpuinfo
                          if line.startswith("flags")), [])
except OSError:
    cpu_flags = []
for flag, feature in (("avx2", "cpu-avx2"), ("avx_vnni", "cpu-avx-vnni"),
                      ("avx512_vnni", "cpu-avx512-vnni")):
    if flag in cpu_flags:
        config.available_features.add(feature)

# ONNX Runtime (npm, installed by scripts/install-deps.sh) as a reference.
import shutil
if shutil.which("node") and os.path.isdir(os.path.join(
        config.quant_src_root, "scripts", "ort", "node_modules",
        "onnxruntime-node")):
    config.available_features.add("onnxruntime")

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()
# `not` and `count` at the start of a RUN line come from LLVM's tools.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.quant_tools_dir, config.llvm_tools_dir]
# Debian's interpreter sees Debian's python3-numpy (a pyenv python3 may not).
# lit's own %python (the interpreter running lit) would shadow it: replace it.
config.substitutions = [s for s in config.substitutions if s[0] != "%python"]
config.substitutions.append(("%python", "/usr/bin/python3"))

tools = [
    "quant-opt",
    "quant-run",
    "quant-compile",
    "quant-import-onnx",
    "quant-calibrate",
    ToolSubst("%mlir-opt", os.path.join(config.llvm_tools_dir, "mlir-opt")),
    ToolSubst("quant-capi-test", unresolved="ignore"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)
