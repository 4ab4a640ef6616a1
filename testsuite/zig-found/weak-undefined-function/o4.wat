(module
  (import "env" "wf0" (func $wf0 (@sym weak) (result i32)))
  (@undef-data $wd0 weak)
  (func $u0 (result i32)
    i32.const -918499577
    i32.const 0 (@addr $wd0)
    i32.add
    i32.const 0 (@funcaddr $wf0)
    i32.add)
)
