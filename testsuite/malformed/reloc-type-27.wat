;;! args: --no-entry --export=f
;;! expect-error: invalid relocation type: 27
;; Relocation type 27 is not defined by Linking.md (0..=26 are).
(module
  (func $f)
  (data $d (@segment align=4) (@reloc 27 $f)))
