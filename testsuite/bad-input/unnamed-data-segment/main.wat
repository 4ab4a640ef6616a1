;;! object: o1.wat run.bin o2.wat o3.wat
;;! args: --no-entry '--export=run' o1.wat run.bin o2.wat o3.wat
;;! run: call run
;; Found by `touchstone fuzz --corrupt-one-in` (seed 23, case 1376), reduced by `touchstone
;; reduce`: run.bin is a generated object with one bit flipped in its `linking` section, which
;; turns the segment-info subsection's id into an unknown one (21). LLVM skips an unknown
;; subsection, so the object's data segments have no names; wasm-ld then leaves the unnamed
;; output segment out of the name section's data segment names (lld
;; `NameSection::numNamedDataSegments`). Byte-identical to rust-lld.
(module
)
