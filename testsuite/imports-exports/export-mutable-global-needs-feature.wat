;;! args: --no-entry --export=counter
;;! expect-error: mutable global exported but 'mutable-globals' feature not present in inputs: `counter`
;; Exporting a mutable global needs the mutable-globals feature when features are checked.
(module
  (@features +sign-ext)
  (global $counter (mut i32) (i32.const 9)))
