# ci/lld-tests.lit.cfg.py: the lit configuration ci/lld-tests runs LLVM's lld `test/wasm` with.
# It stands in for lld's own lit.cfg.py and lit.site.cfg.py, keeping only what the wasm tests
# use: ci/lld-tests copies it as `lit.cfg.py` into a temporary suite folder whose `wasm` entry
# is a symlink to the tests, and passes, as lit parameters, `bin` (a folder holding `wasm-ld`,
# the linker under test, and the LLVM tools under their plain names) and `exec_root` (where
# the tests' `%t` files go, so the tests folder is never written to).
# The substitutions the tests use (%s, %S, %p, %t, %/t, ...) are lit's own defaults.
import os
import sys

import lit.formats

config.name = "lld"
# lld runs its tests in lit's internal shell, as here.
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".ll", ".s", ".test", ".yaml", ".objtxt"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = lit_config.params["exec_root"]
config.environment["PATH"] = os.pathsep.join(
    [lit_config.params["bin"], config.environment.get("PATH", os.environ["PATH"])]
)
# What lld's lit.cfg.py sets: a fixed version string and one run of `main` per process.
config.environment["LLD_VERSION"] = "LLD 1.0"
config.environment["LLD_IN_TEST"] = "1"
config.substitutions.append(("%python", '"%s"' % sys.executable))
# The features the tests ask for (REQUIRES lines, lit.local.cfg): the LLVM 19 tools are built
# with the WebAssembly and X86 targets, and this host is 64-bit.
config.available_features.update(["wasm", "x86", "llvm-64-bits"])
