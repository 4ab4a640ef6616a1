//! An Itanium C++ ABI demangler that prints names the way LLVM's ItaniumDemangle
//! (`llvm::itaniumDemangle`, used by lld's `demangle`) prints them: `>>` without a space,
//! integer template arguments with their suffix (`32ul`), postfix cv-qualifiers
//! (`char const*`), `(anonymous namespace)`, `'lambda'(int)`, LLVM's words for special names
//! (`thread-local initialization routine for`), collapsed references and expanded packs.
//!
//! The parser builds a small tree (`Node`), resolving template parameters and substitutions
//! as it goes; the printer splits each type into a left and a right part, as LLVM's
//! `printLeft`/`printRight` do, so that `char const (&) [10]` and `void (*)(int)` come out
//! right. A name it cannot parse is not demangled (`None`), as LLVM leaves it mangled.

use std::rc::Rc;

type N = Rc<Node>;

#[derive(Debug)]
enum Node {
    /// An identifier, a builtin type or any already formatted text.
    Name(String),
    /// `scope::name`.
    Nested(N, N),
    /// `name<args>`.
    Template(N, Vec<N>),
    /// `name[abi:tag]`.
    Tagged(N, String),
    /// A cv-qualified type: `T const`.
    Qual(N, String),
    Pointer(N),
    /// A reference; `true` for `&&`.
    Ref(N, bool),
    Function {
        ret: N,
        params: Vec<N>,
        cv: String,
        refq: &'static str,
        exception: String,
    },
    Encoding {
        ret: Option<N>,
        name: N,
        params: Vec<N>,
        cv: String,
        refq: &'static str,
    },
    Array(N, String),
    MemberPtr(N, N),
    Vector(N, String),
    /// `vtable for T` and the other special names.
    Special(&'static str, N),
    /// `construction vtable for B-in-A`.
    CtorVtable(N, N),
    /// `function::entity`.
    Local(N, N),
    /// A template argument pack (`J...E`), also what a template parameter naming it
    /// resolves to; inside a pack expansion it prints the element being expanded.
    Pack(Vec<N>),
    /// `Dp`: a pack expansion, printed once per element of the packs it names.
    Expansion(N),
    /// A constructor or destructor name (printed as is).
    CtorDtor(String),
    /// `operator T`.
    Conversion(N),
    /// An expression in a template argument or `decltype`, with LLVM's precedence level
    /// (`Node::Prec`: 0 primary, 1 postfix, 2 unary, ... 16 conditional).
    Binary(N, &'static str, N, u8),
    Prefix(&'static str, N),
    Call(N, Vec<N>),
    /// `decltype(e)`, `sizeof...(T)`, `__decay(T)`: text around a list.
    Wrapped(&'static str, Vec<N>),
    VendorCall(String, Vec<N>),
    /// A template argument after its parameter's declaration.
    Declared(N),
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    subs: Vec<N>,
    template_params: Vec<N>,
    /// Template arguments parsed while this is set are the encoding's own: they are what
    /// `T_` refers to (LLVM's `TagTemplates`).
    tag_templates: bool,
    /// The cv- and ref-qualifiers of the last nested name (a member function's).
    nested_cv: String,
    nested_ref: &'static str,
    /// How deeply types, expressions and encodings nest now: a name nested past `MAX_DEPTH`
    /// is left mangled rather than overflowing the stack.
    depth: usize,
}

const MAX_DEPTH: usize = 256;

/// Demangles `name` (a complete `_Z` name without any `.suffix`), or `None` when it is not a
/// name this demangler understands.
pub fn demangle(name: &str) -> Option<String> {
    let rest = name.strip_prefix("_Z")?;
    let mut p = Parser {
        s: rest.as_bytes(),
        pos: 0,
        subs: Vec::new(),
        template_params: Vec::new(),
        tag_templates: true,
        nested_cv: String::new(),
        nested_ref: "",
        depth: 0,
    };
    let node = p.encoding()?;
    if p.pos != p.s.len() {
        return None;
    }
    let mut printer = Printer {
        out: String::new(),
        pack: None,
    };
    printer.print(&node);
    Some(printer.out)
}

fn name(s: &str) -> N {
    Rc::new(Node::Name(s.to_string()))
}

impl Parser<'_> {
    fn peek(&self) -> u8 {
        self.s.get(self.pos).copied().unwrap_or(0)
    }

    fn peek_at(&self, n: usize) -> u8 {
        self.s.get(self.pos + n).copied().unwrap_or(0)
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == c {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_str(&mut self, t: &str) -> bool {
        if self.s[self.pos..].starts_with(t.as_bytes()) {
            self.pos += t.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        self.eat(c).then_some(())
    }

    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }

    /// A decimal number, possibly negative (`n` prefix), as text.
    fn number(&mut self) -> Option<String> {
        let neg = self.eat(b'n');
        let start = self.pos;
        while self.peek().is_ascii_digit() {
            self.pos += 1;
        }
        if start == self.pos {
            return None;
        }
        let digits = std::str::from_utf8(&self.s[start..self.pos]).ok()?;
        Some(if neg {
            format!("-{digits}")
        } else {
            digits.to_string()
        })
    }

    /// `<seq-id> _`: base 36, empty meaning 0, else one more than its value.
    fn seq_id(&mut self) -> Option<usize> {
        if self.eat(b'_') {
            return Some(0);
        }
        let mut v = 0usize;
        while self.peek().is_ascii_digit() || self.peek().is_ascii_uppercase() {
            let c = self.peek();
            let d = if c.is_ascii_digit() {
                c - b'0'
            } else {
                c - b'A' + 10
            };
            v = v.checked_mul(36)?.checked_add(d as usize)?;
            self.pos += 1;
        }
        self.expect(b'_')?;
        Some(v + 1)
    }

    fn nest(&mut self, parse: fn(&mut Self) -> Option<N>) -> Option<N> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let n = parse(self);
        self.depth -= 1;
        n
    }

    fn encoding(&mut self) -> Option<N> {
        self.nest(Self::encoding_inner)
    }

    fn encoding_inner(&mut self) -> Option<N> {
        if matches!(self.peek(), b'T' | b'G') && !matches!(self.peek_at(1), b'_' | b'0'..=b'9') {
            return self.special_name();
        }
        let saved_tag = self.tag_templates;
        self.tag_templates = true;
        let name = self.name()?;
        self.tag_templates = saved_tag;
        let (cv, refq) = (std::mem::take(&mut self.nested_cv), self.nested_ref);
        self.nested_ref = "";
        if self.at_end() || matches!(self.peek(), b'E' | b'.') {
            return Some(name);
        }
        let ret = if ends_with_template_args(&name) && !is_ctor_dtor_conv(&name) {
            Some(self.ty()?)
        } else {
            None
        };
        let mut params = Vec::new();
        if !self.eat(b'v') {
            while !self.at_end() && !matches!(self.peek(), b'E' | b'.') {
                params.push(self.ty()?);
            }
        }
        Some(Rc::new(Node::Encoding {
            ret,
            name,
            params,
            cv,
            refq,
        }))
    }

    fn special_name(&mut self) -> Option<N> {
        let (c0, c1) = (self.peek(), self.peek_at(1));
        self.pos += 2;
        let special = |what, n| Some(Rc::new(Node::Special(what, n)));
        match (c0, c1) {
            (b'T', b'V') => special("vtable for ", self.ty()?),
            (b'T', b'T') => special("VTT for ", self.ty()?),
            (b'T', b'I') => special("typeinfo for ", self.ty()?),
            (b'T', b'S') => special("typeinfo name for ", self.ty()?),
            (b'T', b'h') => {
                self.number()?;
                self.expect(b'_')?;
                special("non-virtual thunk to ", self.encoding()?)
            }
            (b'T', b'v') => {
                self.number()?;
                self.expect(b'_')?;
                self.number()?;
                self.expect(b'_')?;
                special("virtual thunk to ", self.encoding()?)
            }
            (b'T', b'c') => {
                for _ in 0..2 {
                    if self.eat(b'h') {
                        self.number()?;
                        self.expect(b'_')?;
                    } else {
                        self.expect(b'v')?;
                        self.number()?;
                        self.expect(b'_')?;
                        self.number()?;
                        self.expect(b'_')?;
                    }
                }
                special("covariant return thunk to ", self.encoding()?)
            }
            (b'T', b'C') => {
                let first = self.ty()?;
                self.number()?;
                self.expect(b'_')?;
                let second = self.ty()?;
                Some(Rc::new(Node::CtorVtable(first, second)))
            }
            (b'T', b'W') => special("thread-local wrapper routine for ", self.name()?),
            (b'T', b'H') => special("thread-local initialization routine for ", self.name()?),
            (b'T', b'A') => special("template parameter object for ", self.template_arg()?),
            (b'G', b'V') => special("guard variable for ", self.name()?),
            (b'G', b'R') => {
                let n = self.name()?;
                if !self.eat(b'_') {
                    self.seq_id()?;
                }
                special("reference temporary for ", n)
            }
            _ => None,
        }
    }

    fn name(&mut self) -> Option<N> {
        match self.peek() {
            b'N' => self.nested_name(),
            b'Z' => self.local_name(),
            b'S' if self.peek_at(1) != b't' => {
                let sub = self.substitution()?;
                if self.peek() != b'I' {
                    return None;
                }
                let args = self.template_args()?;
                Some(Rc::new(Node::Template(sub, args)))
            }
            _ => {
                let n = self.unscoped_name()?;
                if self.peek() == b'I' {
                    self.subs.push(n.clone());
                    let args = self.template_args()?;
                    return Some(Rc::new(Node::Template(n, args)));
                }
                Some(n)
            }
        }
    }

    fn unscoped_name(&mut self) -> Option<N> {
        if self.eat_str("St") {
            let n = self.unqualified_name(None)?;
            return Some(Rc::new(Node::Nested(name("std"), n)));
        }
        self.unqualified_name(None)
    }

    fn local_name(&mut self) -> Option<N> {
        self.expect(b'Z')?;
        let function = self.encoding()?;
        self.expect(b'E')?;
        if self.eat(b's') {
            self.discriminator();
            return Some(Rc::new(Node::Local(function, name("string literal"))));
        }
        if self.eat(b'd') {
            if !self.eat(b'_') {
                self.number()?;
                self.expect(b'_')?;
            }
            let entity = self.name()?;
            return Some(Rc::new(Node::Local(function, entity)));
        }
        let entity = self.name()?;
        self.discriminator();
        Some(Rc::new(Node::Local(function, entity)))
    }

    fn discriminator(&mut self) {
        let save = self.pos;
        if self.eat(b'_') {
            if self.eat(b'_') {
                if self.number().is_some() && self.eat(b'_') {
                    return;
                }
            } else if self.peek().is_ascii_digit() {
                self.pos += 1;
                return;
            }
        }
        self.pos = save;
    }

    fn nested_name(&mut self) -> Option<N> {
        self.expect(b'N')?;
        let mut cv = String::new();
        if self.eat(b'r') {
            cv.push_str(" restrict");
        }
        if self.eat(b'V') {
            cv.insert_str(0, " volatile");
        }
        if self.eat(b'K') {
            cv.insert_str(0, " const");
        }
        let refq = if self.eat(b'R') {
            " &"
        } else if self.eat(b'O') {
            " &&"
        } else {
            ""
        };
        let mut so_far: Option<N> = None;
        while !self.eat(b'E') {
            if self.at_end() {
                return None;
            }
            self.eat(b'L');
            let c = self.peek();
            if c == b'S' && self.peek_at(1) == b't' {
                self.pos += 2;
                if so_far.is_some() {
                    return None;
                }
                so_far = Some(name("std"));
                continue;
            }
            if c == b'S' {
                if so_far.is_some() {
                    return None;
                }
                so_far = Some(self.substitution()?);
                continue;
            }
            let next = if c == b'I' {
                let args = self.template_args()?;
                Rc::new(Node::Template(so_far.take()?, args))
            } else if c == b'T' {
                if so_far.is_some() {
                    return None;
                }
                self.template_param()?
            } else if c == b'D' && matches!(self.peek_at(1), b't' | b'T') {
                return None;
            } else if c == b'M' {
                self.pos += 1;
                continue;
            } else {
                let uq = self.unqualified_name(so_far.as_ref())?;
                match so_far.take() {
                    Some(scope) => Rc::new(Node::Nested(scope, uq)),
                    None => uq,
                }
            };
            if self.peek() != b'E' {
                self.subs.push(next.clone());
            }
            so_far = Some(next);
        }
        self.nested_cv = cv;
        self.nested_ref = refq;
        so_far
    }

    fn unqualified_name(&mut self, scope: Option<&N>) -> Option<N> {
        self.eat(b'L');
        let c = self.peek();
        let mut n = if c.is_ascii_digit() {
            self.source_name()?
        } else if c == b'U' && self.peek_at(1) == b'l' {
            self.pos += 2;
            let saved = self.tag_templates;
            self.tag_templates = false;
            let mut params = Vec::new();
            if !self.eat(b'v') {
                while self.peek() != b'E' {
                    params.push(self.ty()?);
                }
            }
            self.tag_templates = saved;
            self.expect(b'E')?;
            let count = self.number().unwrap_or_default();
            self.expect(b'_')?;
            let mut p = Printer {
                out: String::new(),
                pack: None,
            };
            p.list(&params);
            Rc::new(Node::Name(format!("'lambda{count}'({})", p.out)))
        } else if c == b'U' && self.peek_at(1) == b't' {
            self.pos += 2;
            let count = self.number().unwrap_or_default();
            self.expect(b'_')?;
            Rc::new(Node::Name(format!("'unnamed{count}'")))
        } else if c == b'C' || (c == b'D' && matches!(self.peek_at(1), b'0'..=b'5')) {
            let dtor = c == b'D';
            self.pos += 1;
            if !dtor && self.eat(b'I') {
                self.pos += 1;
                self.ty()?;
            } else {
                self.pos += 1;
            }
            let base = base_name(scope?)?;
            Rc::new(Node::CtorDtor(if dtor { format!("~{base}") } else { base }))
        } else if c.is_ascii_lowercase() {
            self.operator_name()?
        } else {
            return None;
        };
        while self.eat(b'B') {
            let tag = self.source_name()?;
            let Node::Name(tag) = &*tag else { return None };
            n = Rc::new(Node::Tagged(n, tag.clone()));
        }
        Some(n)
    }

    fn source_name(&mut self) -> Option<N> {
        let len: usize = self.number()?.parse().ok()?;
        let end = self.pos.checked_add(len)?;
        let text = std::str::from_utf8(self.s.get(self.pos..end)?).ok()?;
        self.pos = end;
        if text.starts_with("_GLOBAL__N") {
            return Some(name("(anonymous namespace)"));
        }
        Some(name(text))
    }

    fn operator_name(&mut self) -> Option<N> {
        let code = std::str::from_utf8(self.s.get(self.pos..self.pos + 2)?).ok()?;
        self.pos += 2;
        let op = match code {
            "nw" => "operator new",
            "na" => "operator new[]",
            "dl" => "operator delete",
            "da" => "operator delete[]",
            "ps" => "operator+",
            "ng" => "operator-",
            "ad" => "operator&",
            "de" => "operator*",
            "co" => "operator~",
            "pl" => "operator+",
            "mi" => "operator-",
            "ml" => "operator*",
            "dv" => "operator/",
            "rm" => "operator%",
            "an" => "operator&",
            "or" => "operator|",
            "eo" => "operator^",
            "aS" => "operator=",
            "pL" => "operator+=",
            "mI" => "operator-=",
            "mL" => "operator*=",
            "dV" => "operator/=",
            "rM" => "operator%=",
            "aN" => "operator&=",
            "oR" => "operator|=",
            "eO" => "operator^=",
            "ls" => "operator<<",
            "rs" => "operator>>",
            "lS" => "operator<<=",
            "rS" => "operator>>=",
            "eq" => "operator==",
            "ne" => "operator!=",
            "lt" => "operator<",
            "gt" => "operator>",
            "le" => "operator<=",
            "ge" => "operator>=",
            "ss" => "operator<=>",
            "nt" => "operator!",
            "aa" => "operator&&",
            "oo" => "operator||",
            "pp" => "operator++",
            "mm" => "operator--",
            "cm" => "operator,",
            "pm" => "operator->*",
            "pt" => "operator->",
            "cl" => "operator()",
            "ix" => "operator[]",
            "qu" => "operator?",
            "aw" => "operator co_await",
            "cv" => {
                let saved = self.tag_templates;
                self.tag_templates = false;
                let t = self.ty();
                self.tag_templates = saved;
                return Some(Rc::new(Node::Conversion(t?)));
            }
            "li" => {
                let n = self.source_name()?;
                let Node::Name(n) = &*n else { return None };
                return Some(Rc::new(Node::Name(format!("operator\"\" {n}"))));
            }
            _ => return None,
        };
        Some(name(op))
    }

    fn substitution(&mut self) -> Option<N> {
        self.expect(b'S')?;
        let special = match self.peek() {
            b'a' => Some("std::allocator"),
            b'b' => Some("std::basic_string"),
            b's' => Some("std::string"),
            b'i' => Some("std::istream"),
            b'o' => Some("std::ostream"),
            b'd' => Some("std::iostream"),
            _ => None,
        };
        if let Some(s) = special {
            self.pos += 1;
            return Some(name(s));
        }
        let i = self.seq_id()?;
        self.subs.get(i).cloned()
    }

    fn template_param(&mut self) -> Option<N> {
        self.expect(b'T')?;
        let i = self.seq_id()?;
        self.template_params.get(i).cloned()
    }

    fn template_args(&mut self) -> Option<Vec<N>> {
        self.expect(b'I')?;
        // The encoding's own arguments are bound as they are parsed, so that a later argument
        // (a constraint in `enable_if<...>`) can name an earlier one.
        let tag = self.tag_templates;
        if tag {
            self.template_params.clear();
        }
        let mut args = Vec::new();
        while !self.eat(b'E') {
            if self.at_end() {
                return None;
            }
            let arg = self.template_arg()?;
            if tag {
                self.template_params.push(arg.clone());
            }
            args.push(arg);
        }
        Some(args)
    }

    fn template_arg(&mut self) -> Option<N> {
        match self.peek() {
            // A template parameter's declaration (`Tn <type>`, `Tp Tn <type>`, ...) before
            // its argument: parsed (it may hold substitutions) but only the argument is
            // printed. A parameter naming such an argument does not expand as a pack.
            b'T' if matches!(self.peek_at(1), b'y' | b'n' | b't' | b'p' | b'k') => {
                self.template_param_decl()?;
                let arg = self.template_arg()?;
                Some(Rc::new(Node::Declared(arg)))
            }
            b'X' => {
                self.pos += 1;
                let saved = self.tag_templates;
                self.tag_templates = false;
                let e = self.expression();
                self.tag_templates = saved;
                self.expect(b'E')?;
                e
            }
            b'L' => self.expr_primary(),
            b'J' => {
                self.pos += 1;
                let mut elems = Vec::new();
                while !self.eat(b'E') {
                    if self.at_end() {
                        return None;
                    }
                    elems.push(self.template_arg()?);
                }
                Some(Rc::new(Node::Pack(elems)))
            }
            _ => {
                let saved = self.tag_templates;
                self.tag_templates = false;
                let t = self.ty();
                self.tag_templates = saved;
                t
            }
        }
    }

    fn template_param_decl(&mut self) -> Option<()> {
        self.expect(b'T')?;
        let c = self.peek();
        self.pos += 1;
        match c {
            b'y' => {}
            b'n' => {
                self.ty()?;
            }
            b'k' => {
                self.name()?;
            }
            b'p' => self.template_param_decl()?,
            b't' => {
                while !self.eat(b'E') {
                    self.template_param_decl()?;
                }
            }
            _ => return None,
        }
        Some(())
    }

    /// The expressions found in template arguments: literals, template parameters and
    /// unresolved names (`sr`).
    fn expression(&mut self) -> Option<N> {
        self.nest(Self::expression_inner)
    }

    fn expression_inner(&mut self) -> Option<N> {
        match self.peek() {
            b'L' => self.expr_primary(),
            b'T' => self.template_param(),
            b's' if self.peek_at(1) == b'r' => {
                self.pos += 2;
                let mut scope = if matches!(self.peek(), b'T' | b'S' | b'D') {
                    self.ty()?
                } else {
                    let mut levels = self.simple_id()?;
                    while !self.eat(b'E') {
                        let level = self.simple_id()?;
                        levels = Rc::new(Node::Nested(levels, level));
                    }
                    levels
                };
                let base = self.simple_id()?;
                scope = Rc::new(Node::Nested(scope, base));
                Some(scope)
            }
            b'c' if self.peek_at(1) == b'l' => {
                self.pos += 2;
                let callee = self.expression()?;
                let mut args = Vec::new();
                while !self.eat(b'E') {
                    args.push(self.expression()?);
                }
                Some(Rc::new(Node::Call(callee, args)))
            }
            b's' if self.peek_at(1) == b'p' => {
                self.pos += 2;
                Some(Rc::new(Node::Expansion(self.expression()?)))
            }
            b's' if self.peek_at(1) == b'Z' => {
                self.pos += 2;
                let pack = self.template_param()?;
                let e = Rc::new(Node::Expansion(pack));
                Some(Rc::new(Node::Wrapped("sizeof...", vec![e])))
            }
            b'f' if self.peek_at(1) == b'p' => {
                self.pos += 2;
                self.eat(b'K');
                let n = if self.eat(b'_') {
                    String::new()
                } else {
                    let n: usize = self.number()?.parse().ok()?;
                    self.expect(b'_')?;
                    (n + 1).to_string()
                };
                Some(Rc::new(Node::Name(format!("fp{n}"))))
            }
            b'u' => {
                self.pos += 1;
                let n = self.source_name()?;
                let Node::Name(n) = &*n else { return None };
                let n = n.clone();
                let mut args = Vec::new();
                while !self.eat(b'E') {
                    args.push(self.template_arg()?);
                }
                Some(Rc::new(Node::VendorCall(n, args)))
            }
            _ => {
                let code = std::str::from_utf8(self.s.get(self.pos..self.pos + 2)?).ok()?;
                if let Some(op) = prefix_operator(code) {
                    self.pos += 2;
                    return Some(Rc::new(Node::Prefix(op, self.expression()?)));
                }
                let (op, prec) = binary_operator(code)?;
                self.pos += 2;
                let lhs = self.expression()?;
                let rhs = self.expression()?;
                Some(Rc::new(Node::Binary(lhs, op, rhs, prec)))
            }
        }
    }

    /// `<source-name> [<template-args>]`.
    fn simple_id(&mut self) -> Option<N> {
        let n = self.source_name()?;
        if self.peek() == b'I' {
            let args = self.template_args()?;
            return Some(Rc::new(Node::Template(n, args)));
        }
        Some(n)
    }

    fn expr_primary(&mut self) -> Option<N> {
        self.expect(b'L')?;
        if self.eat_str("_Z") {
            let e = self.encoding()?;
            self.expect(b'E')?;
            return Some(e);
        }
        if self.eat_str("DnE") {
            return Some(name("nullptr"));
        }
        let suffix = match self.peek() {
            b'b' => {
                self.pos += 1;
                let v = self.number()?;
                self.expect(b'E')?;
                return Some(name(if v == "0" { "false" } else { "true" }));
            }
            b'i' => Some(""),
            b'j' => Some("u"),
            b'l' => Some("l"),
            b'm' => Some("ul"),
            b'x' => Some("ll"),
            b'y' => Some("ull"),
            _ => None,
        };
        if let Some(suffix) = suffix {
            self.pos += 1;
            let v = self.number()?;
            self.expect(b'E')?;
            return Some(Rc::new(Node::Name(format!("{v}{suffix}"))));
        }
        let t = self.ty()?;
        let v = self.number()?;
        self.expect(b'E')?;
        let mut p = Printer {
            out: String::new(),
            pack: None,
        };
        p.print(&t);
        Some(Rc::new(Node::Name(format!("({}){v}", p.out))))
    }

    fn ty(&mut self) -> Option<N> {
        let saved = self.tag_templates;
        self.tag_templates = false;
        let t = self.nest(Self::ty_inner);
        self.tag_templates = saved;
        t
    }

    fn ty_inner(&mut self) -> Option<N> {
        let c = self.peek();
        let builtin = match c {
            b'v' => Some("void"),
            b'w' => Some("wchar_t"),
            b'b' => Some("bool"),
            b'c' => Some("char"),
            b'a' => Some("signed char"),
            b'h' => Some("unsigned char"),
            b's' => Some("short"),
            b't' => Some("unsigned short"),
            b'i' => Some("int"),
            b'j' => Some("unsigned int"),
            b'l' => Some("long"),
            b'm' => Some("unsigned long"),
            b'x' => Some("long long"),
            b'y' => Some("unsigned long long"),
            b'n' => Some("__int128"),
            b'o' => Some("unsigned __int128"),
            b'f' => Some("float"),
            b'd' => Some("double"),
            b'e' => Some("long double"),
            b'g' => Some("__float128"),
            b'z' => Some("..."),
            _ => None,
        };
        if let Some(b) = builtin {
            self.pos += 1;
            return Some(name(b));
        }
        let t = match c {
            // A vendor extended type; with an argument, a type transformation (`__decay(T)`).
            // Unlike the other builtin types, it is a substitution candidate.
            b'u' => {
                self.pos += 1;
                let n = self.source_name()?;
                if self.eat(b'I') {
                    let Node::Name(n) = &*n else { return None };
                    let n = n.clone();
                    let arg = self.ty()?;
                    self.expect(b'E')?;
                    Rc::new(Node::VendorCall(n, vec![arg]))
                } else {
                    n
                }
            }
            b'r' | b'V' | b'K' => {
                let mut quals = Vec::new();
                while matches!(self.peek(), b'r' | b'V' | b'K') {
                    quals.push(self.peek());
                    self.pos += 1;
                }
                let mut t = self.ty()?;
                // Printed after the type, in LLVM's order whatever the mangled order.
                let mut text = String::new();
                for (q, word) in [(b'K', " const"), (b'V', " volatile"), (b'r', " restrict")] {
                    if quals.contains(&q) {
                        text.push_str(word);
                    }
                }
                if let Node::Function {
                    ret,
                    params,
                    refq,
                    exception,
                    ..
                } = &*t
                {
                    t = Rc::new(Node::Function {
                        ret: ret.clone(),
                        params: params.clone(),
                        cv: text,
                        refq,
                        exception: exception.clone(),
                    });
                } else {
                    t = Rc::new(Node::Qual(t, text));
                }
                t
            }
            b'D' => {
                let c1 = self.peek_at(1);
                let b = match c1 {
                    b'n' => Some("std::nullptr_t"),
                    b'a' => Some("auto"),
                    b'c' => Some("decltype(auto)"),
                    b'i' => Some("char32_t"),
                    b's' => Some("char16_t"),
                    b'u' => Some("char8_t"),
                    b'h' => Some("half"),
                    _ => None,
                };
                if let Some(b) = b {
                    self.pos += 2;
                    return Some(name(b));
                }
                match c1 {
                    b'p' => {
                        self.pos += 2;
                        Rc::new(Node::Expansion(self.ty()?))
                    }
                    b'F' => {
                        self.pos += 2;
                        let n = self.number()?;
                        let b16 = self.eat(b'b');
                        self.expect(b'_')?;
                        return Some(Rc::new(Node::Name(if b16 {
                            "std::bfloat16_t".to_string()
                        } else {
                            format!("_Float{n}")
                        })));
                    }
                    b'v' => {
                        self.pos += 2;
                        let n = self.number()?;
                        self.expect(b'_')?;
                        Rc::new(Node::Vector(self.ty()?, n))
                    }
                    b'o' | b'x' => self.function_type()?,
                    b't' | b'T' => {
                        self.pos += 2;
                        let e = self.expression()?;
                        self.expect(b'E')?;
                        Rc::new(Node::Wrapped("decltype", vec![e]))
                    }
                    _ => return None,
                }
            }
            b'F' => self.function_type()?,
            b'A' => {
                self.pos += 1;
                let dim = if self.peek().is_ascii_digit() {
                    self.number()?
                } else {
                    String::new()
                };
                self.expect(b'_')?;
                Rc::new(Node::Array(self.ty()?, dim))
            }
            b'M' => {
                self.pos += 1;
                let class = self.ty()?;
                let member = self.ty()?;
                Rc::new(Node::MemberPtr(class, member))
            }
            b'T' if matches!(self.peek_at(1), b'_' | b'0'..=b'9') => {
                let p = self.template_param()?;
                if self.peek() == b'I' {
                    self.subs.push(p.clone());
                    let args = self.template_args()?;
                    Rc::new(Node::Template(p, args))
                } else {
                    p
                }
            }
            b'P' => {
                self.pos += 1;
                Rc::new(Node::Pointer(self.ty()?))
            }
            b'R' | b'O' => {
                self.pos += 1;
                Rc::new(Node::Ref(self.ty()?, c == b'O'))
            }
            b'S' if self.peek_at(1) != b't' => {
                let sub = self.substitution()?;
                if self.peek() == b'I' {
                    let args = self.template_args()?;
                    Rc::new(Node::Template(sub, args))
                } else {
                    return Some(sub);
                }
            }
            b'N' | b'Z' | b'S' | b'0'..=b'9' => self.name()?,
            _ => return None,
        };
        self.subs.push(t.clone());
        Some(t)
    }

    fn function_type(&mut self) -> Option<N> {
        let exception = if self.eat_str("Do") {
            " noexcept".to_string()
        } else {
            String::new()
        };
        self.eat_str("Dx");
        self.expect(b'F')?;
        self.eat(b'Y');
        let ret = self.ty()?;
        let mut params = Vec::new();
        let mut refq = "";
        loop {
            if self.eat(b'E') {
                break;
            }
            if self.eat_str("RE") {
                refq = " &";
                break;
            }
            if self.eat_str("OE") {
                refq = " &&";
                break;
            }
            if self.eat(b'v') {
                continue;
            }
            if self.at_end() {
                return None;
            }
            params.push(self.ty()?);
        }
        Some(Rc::new(Node::Function {
            ret,
            params,
            cv: String::new(),
            refq,
            exception,
        }))
    }
}

/// A prefix operator's spelling in an expression.
fn prefix_operator(code: &str) -> Option<&'static str> {
    Some(match code {
        "nt" => "!",
        "de" => "*",
        "ad" => "&",
        "ng" => "-",
        "ps" => "+",
        "co" => "~",
        "pp" => "++",
        "mm" => "--",
        _ => return None,
    })
}

/// A binary operator's spelling and precedence level (LLVM's `Node::Prec`).
fn binary_operator(code: &str) -> Option<(&'static str, u8)> {
    Some(match code {
        "ml" => ("*", 5),
        "dv" => ("/", 5),
        "rm" => ("%", 5),
        "pl" => ("+", 6),
        "mi" => ("-", 6),
        "ls" => ("<<", 7),
        "rs" => (">>", 7),
        "ss" => ("<=>", 8),
        "lt" => ("<", 9),
        "gt" => (">", 9),
        "le" => ("<=", 9),
        "ge" => (">=", 9),
        "eq" => ("==", 10),
        "ne" => ("!=", 10),
        "an" => ("&", 11),
        "eo" => ("^", 12),
        "or" => ("|", 13),
        "aa" => ("&&", 14),
        "oo" => ("||", 15),
        "aS" => ("=", 17),
        "cm" => (",", 18),
        _ => return None,
    })
}

/// An expression's precedence level, as LLVM's `Node::getPrecedence`.
fn precedence(n: &Node) -> u8 {
    match n {
        Node::Binary(_, _, _, p) => *p,
        Node::Prefix(..) => 2,
        Node::Call(..) => 1,
        _ => 0,
    }
}

/// Whether an encoding's name ends in template arguments, so that the encoding has a return
/// type (LLVM's `EndsWithTemplateArgs`).
fn ends_with_template_args(n: &Node) -> bool {
    match n {
        Node::Template(..) => true,
        Node::Nested(_, last) | Node::Local(_, last) => ends_with_template_args(last),
        _ => false,
    }
}

fn is_ctor_dtor_conv(n: &Node) -> bool {
    match n {
        Node::Nested(_, last) | Node::Local(_, last) | Node::Template(last, _) => {
            is_ctor_dtor_conv(last)
        }
        Node::Tagged(n, _) => is_ctor_dtor_conv(n),
        Node::Conversion(_) | Node::CtorDtor(_) => true,
        _ => false,
    }
}

/// The name a constructor or destructor of `scope` is called by: its last unqualified name,
/// without template arguments.
fn base_name(scope: &Node) -> Option<String> {
    match scope {
        Node::Nested(_, last) | Node::Template(last, _) | Node::Tagged(last, _) => base_name(last),
        Node::Name(n) => Some(n.rsplit("::").next().unwrap_or(n).to_string()),
        _ => None,
    }
}

struct Printer {
    out: String,
    /// The element being printed while expanding a pack, and the pack's size once known.
    pack: Option<(usize, Option<usize>)>,
}

impl Printer {
    fn print(&mut self, n: &N) {
        self.left(n);
        self.right(n);
    }

    /// Prints a comma-separated list, leaving out elements that print nothing (empty packs).
    fn list(&mut self, items: &[N]) {
        let mut first = true;
        for item in items {
            let mark = self.out.len();
            if !first {
                self.out.push_str(", ");
            }
            let start = self.out.len();
            self.print(item);
            if self.out.len() == start {
                self.out.truncate(mark);
            } else {
                first = false;
            }
        }
    }

    /// Follows a pack to the element being expanded.
    fn resolve<'n>(&mut self, mut n: &'n N) -> &'n N {
        while let Node::Pack(elems) = &**n {
            match self.pack {
                Some((i, ref mut size)) => {
                    if size.is_none() {
                        *size = Some(elems.len());
                    }
                    match elems.get(i) {
                        Some(e) => n = e,
                        None => return n,
                    }
                }
                None => return n,
            }
        }
        n
    }

    fn has_rhs(&mut self, n: &N) -> bool {
        let n = self.resolve(n);
        match &**n {
            Node::Function { .. } | Node::Array(..) => true,
            Node::Qual(t, _) => self.has_rhs(t),
            _ => false,
        }
    }

    fn left(&mut self, n: &N) {
        let n = self.resolve(n).clone();
        match &*n {
            Node::Name(s) | Node::CtorDtor(s) => self.out.push_str(s),
            Node::Nested(scope, name) => {
                self.print(scope);
                self.out.push_str("::");
                self.print(name);
            }
            Node::Template(name, args) => {
                self.print(name);
                self.out.push('<');
                self.list(args);
                self.out.push('>');
            }
            Node::Tagged(name, tag) => {
                self.print(name);
                self.out.push_str("[abi:");
                self.out.push_str(tag);
                self.out.push(']');
            }
            Node::Qual(t, q) => {
                self.left(t);
                self.out.push_str(q);
            }
            Node::Pointer(t) => {
                self.left(t);
                let rhs = self.has_rhs(t);
                if rhs {
                    if matches!(&**self.resolve(t), Node::Array(..)) {
                        self.out.push(' ');
                    }
                    self.out.push('(');
                }
                self.out.push('*');
            }
            Node::Ref(..) => {
                let (t, rvalue) = self.collapse(&n);
                self.left(&t);
                if self.has_rhs(&t) {
                    if matches!(&**self.resolve(&t), Node::Array(..)) {
                        self.out.push(' ');
                    }
                    self.out.push('(');
                }
                self.out.push_str(if rvalue { "&&" } else { "&" });
            }
            Node::Function { ret, .. } => {
                self.left(ret);
                self.out.push(' ');
            }
            Node::Encoding { ret, name, .. } => {
                if let Some(ret) = ret {
                    self.left(ret);
                    if !self.has_rhs(ret) {
                        self.out.push(' ');
                    }
                }
                self.print(name);
            }
            Node::Array(t, _) => self.left(t),
            Node::MemberPtr(class, member) => {
                self.left(member);
                // A function type's left part already ends in a space.
                let c = if self.has_rhs(member) { '(' } else { ' ' };
                self.out.push(c);
                self.print(class);
                self.out.push_str("::*");
            }
            Node::Vector(t, dim) => {
                self.print(t);
                self.out.push_str(" vector[");
                self.out.push_str(dim);
                self.out.push(']');
            }
            Node::Special(what, t) => {
                self.out.push_str(what);
                self.print(t);
            }
            Node::CtorVtable(first, second) => {
                self.out.push_str("construction vtable for ");
                self.print(second);
                self.out.push_str("-in-");
                self.print(first);
            }
            Node::Local(function, entity) => {
                self.print(function);
                self.out.push_str("::");
                self.print(entity);
            }
            Node::Pack(elems) => self.list(elems),
            Node::Expansion(child) => {
                let saved = self.pack;
                self.pack = Some((0, None));
                let mark = self.out.len();
                self.print(child);
                match self.pack.and_then(|(_, size)| size) {
                    None => self.out.push_str("..."),
                    Some(0) => self.out.truncate(mark),
                    Some(size) => {
                        for i in 1..size {
                            self.out.push_str(", ");
                            self.pack = Some((i, Some(size)));
                            self.print(child);
                        }
                    }
                }
                self.pack = saved;
            }
            Node::Conversion(t) => {
                self.out.push_str("operator ");
                self.print(t);
            }
            // An operand is parenthesized when it binds more loosely than its operator (or
            // as loosely, on the right), as LLVM's `printAsOperand` decides.
            Node::Binary(lhs, op, rhs, prec) => {
                self.operand(lhs, precedence(lhs) > *prec);
                self.out.push(' ');
                self.out.push_str(op);
                self.out.push(' ');
                self.operand(rhs, precedence(rhs) >= *prec);
            }
            Node::Prefix(op, e) => {
                self.out.push_str(op);
                self.operand(e, precedence(e) >= 2);
            }
            Node::Call(callee, args) => {
                self.operand(callee, precedence(callee) > 1);
                self.out.push('(');
                self.list(args);
                self.out.push(')');
            }
            Node::Wrapped(what, args) => {
                self.out.push_str(what);
                self.out.push('(');
                self.list(args);
                self.out.push(')');
            }
            Node::Declared(arg) => match &**arg {
                Node::Pack(elems) => self.list(elems),
                _ => self.print(arg),
            },
            Node::VendorCall(what, args) => {
                self.out.push_str(what);
                self.out.push('(');
                self.list(args);
                self.out.push(')');
            }
        }
    }

    fn right(&mut self, n: &N) {
        let n = self.resolve(n).clone();
        match &*n {
            Node::Qual(t, _) => self.right(t),
            Node::Pointer(t) => {
                if self.has_rhs(t) {
                    self.out.push(')');
                }
                self.right(t);
            }
            Node::Ref(..) => {
                let (t, _) = self.collapse(&n);
                if self.has_rhs(&t) {
                    self.out.push(')');
                }
                self.right(&t);
            }
            Node::Function {
                ret,
                params,
                cv,
                refq,
                exception,
            } => {
                self.out.push('(');
                self.list(params);
                self.out.push(')');
                self.right(ret);
                self.out.push_str(cv);
                self.out.push_str(refq);
                self.out.push_str(exception);
            }
            Node::Encoding {
                ret,
                params,
                cv,
                refq,
                ..
            } => {
                self.out.push('(');
                self.list(params);
                self.out.push(')');
                if let Some(ret) = ret {
                    self.right(ret);
                }
                self.out.push_str(cv);
                self.out.push_str(refq);
            }
            Node::Array(t, dim) => {
                if !self.out.ends_with(']') {
                    self.out.push(' ');
                }
                self.out.push('[');
                self.out.push_str(dim);
                self.out.push(']');
                self.right(t);
            }
            Node::MemberPtr(_, member) => {
                if self.has_rhs(member) {
                    self.out.push(')');
                }
                self.right(member);
            }
            _ => {}
        }
    }

    fn operand(&mut self, n: &N, paren: bool) {
        if paren {
            self.out.push('(');
        }
        self.print(n);
        if paren {
            self.out.push(')');
        }
    }

    /// A reference to a reference is one reference, an lvalue one unless both are rvalue
    /// references (LLVM's `ReferenceType::collapse`).
    fn collapse(&mut self, n: &N) -> (N, bool) {
        let Node::Ref(t, rv) = &**n else {
            unreachable!()
        };
        let (mut t, mut rv) = (t.clone(), *rv);
        loop {
            let inner = self.resolve(&t).clone();
            match &*inner {
                Node::Ref(t2, rv2) => {
                    rv = rv && *rv2;
                    t = t2.clone();
                }
                _ => return (inner, rv),
            }
        }
    }
}
