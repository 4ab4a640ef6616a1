(module
  ;; archive-weak-kept #0 part m
  (func $s0 (result i32) i32.const 156)
)
