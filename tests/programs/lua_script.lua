-- lua_script.lua: fed to lua_host.c by tests/real_programs.rs. Exercises tables, closures,
-- string operations and string.format, coroutines (that do not yield), metatables, integer/float
-- arithmetic, sorting and the garbage collector; prints every result. Raises no error and never
-- yields on purpose: both longjmp, and the setjmp stub cannot unwind. Returns 7, which the host
-- turns into the exit status.

-- Tables and sorting
local words = {}
for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do
  words[#words + 1] = w
end
table.sort(words)
print("sorted", table.concat(words, ","))
table.sort(words, function(a, b) return #a > #b or (#a == #b and a < b) end)
print("by length", table.concat(words, " "))
local counts = {}
for _, w in ipairs(words) do counts[w] = (counts[w] or 0) + 1 end
local keys = {}
for k in pairs(counts) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do io.write(k, "=", counts[k], " ") end
print()
print("insert/remove", (function()
  local t = {1, 2, 3}
  table.insert(t, 1, 0); table.insert(t, 4); local r = table.remove(t, 2)
  return t[1], t[2], t[#t], r, #t, table.unpack(t, 2, 3)
end)())

-- Closures
local function counter(step)
  local n = 0
  return function() n = n + step; return n end
end
local c1, c2 = counter(1), counter(10)
c1(); c1(); c2()
print("closures", c1(), c2())
local adders = {}
for i = 1, 5 do adders[i] = function(x) return x + i end end
print("adders", adders[1](100), adders[5](100))

-- Strings and string.format
local s = "Hello, WebAssembly linker!"
print(s:upper(), s:lower(), #s, s:sub(8, 18), s:rep(2, "|"))
print(s:find("Assembly"), s:match("(%a+), (%a+)"), (s:gsub("[aeiou]", "*")))
print(string.format("%5d|%-5d|%05.1f|%x|%X|%o|%e|%g|%q|%s|%%", 42, 42, 3.14159, 255, 255, 8, 12345.678, 0.0001, "a\nb", nil))
print(string.format("%10.4f %-10s| %c%c%c %i", math.pi, "left", 76, 117, 97, -7))
print(("%s has %d chars"):format("lua", 3), string.byte("ABC", 1, 3), string.char(104, 105))
print(string.reverse("stressed"), ("x"):rep(0) == "", tostring(1e15), tostring(2^53), 7 // 2, 7.0 // 2, 7 % -3, 2^10)
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger, 1 / 0, -1 / 0)
print(math.floor(-3.5), math.ceil(-3.5), math.abs(-4), math.max(3, 9, 1), math.fmod(7, 3), math.tointeger(5.0))
print(string.pack and #string.pack("i4i8", 1, 2), utf8.char(72, 228, 8364), utf8.len("häl€"))

-- Coroutines. Only ones that finish without yielding: Lua yields (and raises errors) with
-- longjmp, which needs wasm exception handling; clang-19 emits only the legacy EH encoding,
-- which wasmtime does not run. Creating, resuming, finishing and inspecting threads still
-- exercises lua_newthread, lua_resume and the per-thread stacks.
local co = coroutine.create(function(a, b)
  local inner = coroutine.running()
  local t = {}
  for i = 1, 100 do t[i] = (a * i + b) % 17 end
  table.sort(t)
  return a + b, t[1], t[100], #t, coroutine.isyieldable(), type(inner)
end)
print("coroutine", coroutine.status(co), coroutine.resume(co, 3, 4))
print("after", coroutine.status(co), coroutine.resume(co))
local w = coroutine.wrap(function(...) return select("#", ...), ... end)
print("wrap", w("x", nil, 3))
local main, ismain = coroutine.running()
print("main", type(main), ismain, coroutine.isyieldable())
local nested = coroutine.wrap(function()
  local inner = coroutine.create(function(x) return x * 2 end)
  return coroutine.resume(inner, 21)
end)
print("nested", nested())

-- Metatables
local Vec = {}
Vec.__index = Vec
function Vec.new(x, y) return setmetatable({x = x, y = y}, Vec) end
Vec.__add = function(a, b) return Vec.new(a.x + b.x, a.y + b.y) end
Vec.__eq = function(a, b) return a.x == b.x and a.y == b.y end
Vec.__lt = function(a, b) return a:len2() < b:len2() end
Vec.__tostring = function(v) return string.format("(%g, %g)", v.x, v.y) end
Vec.__len = function(v) return 2 end
Vec.__call = function(v, k) return v.x * k end
function Vec:len2() return self.x * self.x + self.y * self.y end
local a, b = Vec.new(1, 2), Vec.new(3, 4)
print("vec", tostring(a + b), a == Vec.new(1, 2), a < b, #a, a(10), b:len2())
local defaults = setmetatable({}, {__index = function(t, k) return k .. "!" end})
print("index fn", defaults.foo, rawget(defaults, "foo"))
local log = {}
local proxy = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v) end})
proxy.a = 1; proxy.b = 2; proxy.a = 3
print("newindex", table.concat(log, ","), proxy.a)

-- Garbage collector and a bigger computation
local big = {}
for i = 1, 20000 do big[i] = {i, tostring(i)} end
local sum = 0
for i = 1, #big, 3 do sum = sum + big[i][1] + #big[i][2] end
big = nil
collectgarbage()
print("sum", sum, collectgarbage("count") > 0)
local primes, sieve = {}, {}
for i = 2, 5000 do
  if not sieve[i] then
    primes[#primes + 1] = i
    for j = i * i, 5000, i do sieve[j] = true end
  end
end
print("primes", #primes, primes[#primes], select("#", table.unpack(primes, 1, 10)))
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib", fib(22), pcall(fib, 10))
return 7
