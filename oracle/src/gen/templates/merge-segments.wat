;; Data segments of several objects that the linker merges by name prefix (.rodata.*,
;; .data.*, .bss.*), string segments with the same contents, and a zeroed .bss segment.
;; 0x78 + 0x79 + 0x7a = 363 for each "xyz".
;;# expect V0 + V1 + V2 + 363 * 2
;;# part a object
(@undef-data $rb{K})
(@undef-data $sb{K})
(@undef-data $dv{K})
(func $u{K} (result i32)
  i32.const 0 (@addr $ra{K}) i32.load
  i32.const 0 (@addr $rb{K}) i32.load i32.add
  i32.const 0 (@addr $dv{K}) i32.load i32.add
  i32.const 0 (@addr $z{K}) i32.load i32.add
  i32.const 0 (@addr $sa{K}) i32.load8_u i32.add
  i32.const 0 (@addr $sa{K} 1) i32.load8_u i32.add
  i32.const 0 (@addr $sa{K} 2) i32.load8_u i32.add
  i32.const 0 (@addr $sb{K}) i32.load8_u i32.add
  i32.const 0 (@addr $sb{K} 1) i32.load8_u i32.add
  i32.const 0 (@addr $sb{K} 2) i32.load8_u i32.add)
(data $ra{K} (@segment ".rodata.ra{K}" align=4) {V0:bytes})
(data $sa{K} (@segment ".rodata.str1.1" strings) "xyz\00")
(data $z{K} (@segment ".bss.z{K}" align=4) (@zero 4))
;;# part b object
(data $rb{K} (@segment ".rodata.rb{K}" align=4) {V1:bytes})
(data $sb{K} (@segment ".rodata.str1.1" strings) "xyz\00")
(data $dv{K} (@segment ".data.dv{K}" align=8) {V2:bytes})
