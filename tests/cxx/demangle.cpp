//! C++ whose mangled names exercise the demangler beyond libc++.a: thread_local wrappers, an
//! anonymous namespace, virtual and non-virtual thunks, lambdas, packs, member pointers, array
//! references, and the expressions libc++ puts in enable_if and decltype. src/demangle.rs's
//! test compiles it and compares every mangled name with llvm-cxxfilt-19.
#include <cstdio>
#include <string>
#include <vector>
#include <map>
#include <functional>
#include <memory>
#include <algorithm>
thread_local int tls_counter = 0;
int next_id() { static int id = 40; return ++id; }
thread_local int tls_id = next_id();
namespace { struct Hidden { virtual ~Hidden() {} virtual int f() const & { return 1; } }; }
template <typename T, int N> struct Arr { T v[N]; T& operator[](int i) { return v[i]; } };
struct Base { virtual ~Base() = default; virtual int g() { return 2; } };
struct Mid1 : virtual Base { int g() override { return 3; } };
struct Mid2 : virtual Base { };
struct Diamond : Mid1, Mid2 { int g() override { return 4; } };
template <typename... Ts> int count(Ts&&... ts) { return sizeof...(ts); }
int apply(int (*fp)(int), int x) { return fp(x); }
int twice(int x) { return 2 * x; }
struct S { int m; int meth(int) const { return m; } };
int memptr(int S::*p, int (S::*q)(int) const, S s) { return s.*p + (s.*q)(1); }
int arrref(const char (&a)[6]) { return a[0]; }
// Expressions in return types (decltype), as HarfBuzz's dispatchers write them: member
// access through `this` and parameters, casts, sizeof and alignof, conditionals, subscripts,
// calls of unresolved names with forwarded packs.
struct Exprs {
  int field = 1;
  int get(int i) const { return field + i; }
  template <typename T> auto member(T t) const -> decltype(this->get(t)) { return get(t); }
  template <typename T> auto dot(T t) -> decltype(t.field) { return t.field; }
  template <typename T> auto arrow(T *t) -> decltype(t->get(0)) { return t->get(0); }
};
template <typename T> auto conv(T t) -> decltype((long)t + long()) { return t; }
template <typename T> auto casts(T t) -> decltype(static_cast<long>(t) + reinterpret_cast<long>(&t)) { return 0; }
template <typename T> auto sizes(T t) -> decltype(sizeof(T) + alignof(T) + sizeof t) { return 0; }
template <typename T> auto cond(T t) -> decltype(t ? t : t + 1) { return t; }
template <typename T> auto index(T t) -> decltype(t[0]) { return t[0]; }
template <typename T> auto nothrow(T t) -> decltype(noexcept(t + 1)) { return true; }
template <typename T> int helper(T) { return 2; }
template <typename T> int helper(T, int) { return 3; }
template <typename T, typename... Us> auto forwards(T t, Us &&...us) -> decltype(helper(t, std::forward<Us>(us)...)) {
  return helper(t, std::forward<Us>(us)...);
}
int use_exprs() {
  Exprs e;
  int a[2] = {4, 5};
  return e.member(1) + e.dot(e) + e.arrow(&e) + (int)conv(2) + (int)casts(3) + (int)sizes(4) +
         cond(5) + index(a) + nothrow(6) + forwards(7, 8) + forwards(7);
}
int main() {
  tls_counter += use_exprs();
  std::vector<int> v{3, 1, 2};
  std::sort(v.begin(), v.end(), [](int a, int b) { return a > b; });
  std::map<std::string, int> m; m["a"] = 1;
  std::function<int(int)> f = [&](int x) { return x + v[0] + (int)m.size(); };
  auto up = std::make_unique<Diamond>();
  Base* b = up.get();
  Hidden h;
  Arr<long, 4> arr{}; arr[1] = 5;
  static int local_static = count(1, 2.0, "x");
  tls_counter += f(1) + b->g() + h.f() + (int)arr[1] + local_static + apply(twice, 3);
  S s{7};
  tls_counter += memptr(&S::m, &S::meth, s) + arrref("hello");
  printf("%d %d %zu\n", tls_counter, tls_id, v.size());
  return 0;
}
