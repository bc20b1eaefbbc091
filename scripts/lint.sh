#!/usr/bin/env bash
# Lint checks. Without arguments: fails on findings. With -f: fixes formatting.
#  - clang-format-22 on the lines changed since the merge base with main
#    (or, on main itself, in the last commit);
#  - FileCheck directives written without their colon (`// CHECK foo`),
#    which silently check nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
fix=0
[[ "${1:-}" == "-f" ]] && fix=1
status=0

# 1. clang-format on changed lines.
if command -v git-clang-format-22 >/dev/null || [[ -x /usr/lib/llvm-22/bin/git-clang-format ]]; then
  gcf=/usr/lib/llvm-22/bin/git-clang-format
  base="HEAD~1"
  if git rev-parse -q --verify origin/main >/dev/null &&
     [[ "$(git rev-parse HEAD)" != "$(git rev-parse origin/main)" ]]; then
    base="$(git merge-base HEAD origin/main)"
  fi
  if git rev-parse -q --verify "$base" >/dev/null; then
    if ((fix)); then
      "$gcf" --binary /usr/bin/clang-format-22 "$base" -- '*.cpp' '*.h' '*.c' || true
    else
      diff_out="$("$gcf" --binary /usr/bin/clang-format-22 --diff "$base" -- '*.cpp' '*.h' '*.c' || true)"
      if [[ -n "$diff_out" && "$diff_out" != *"no modified files to format"* &&
            "$diff_out" != *"clang-format did not modify any files"* ]]; then
        echo "lint: clang-format-22 would change these lines (run scripts/lint.sh -f):"
        echo "$diff_out"
        status=1
      fi
    fi
  fi
else
  echo "lint: clang-format-22 not installed, formatting not checked" >&2
  status=1
fi

# 2. FileCheck directives missing their colon.
prefixes='CHECK|CHECK-NEXT|CHECK-SAME|CHECK-DAG|CHECK-NOT|CHECK-LABEL|CHECK-EMPTY|CHECK-COUNT-[0-9]+'
bad="$(git ls-files 'test/*' | xargs grep -nE "//[[:space:]]*($prefixes)[[:space:]]+[^:]" 2>/dev/null || true)"
bad="$bad$(git ls-files 'test/*' | xargs grep -nE "//[[:space:]]*expected-(error|warning|remark|note)[^{]*$" 2>/dev/null || true)"
if [[ -n "$bad" ]]; then
  echo "lint: FileCheck/verify directives without their colon or pattern:"
  echo "$bad"
  status=1
fi

if ((status == 0)); then echo "lint: ok"; fi
exit $status
