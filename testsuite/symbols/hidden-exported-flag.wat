;;! args: --no-entry
;;! run: call hid -> 8
;; EXPORTED wins over hidden visibility.
(module
  (func $hid (@sym hidden exported) (result i32) i32.const 8))
