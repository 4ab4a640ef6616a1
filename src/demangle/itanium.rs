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
        /// The conditions of an `enable_if` attribute, if any.
        enable_if: Vec<N>,
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
    /// `object.member`, `pointer->member`, `object.*pointer`, with its precedence level.
    Member(N, &'static str, N, u8),
    /// `(T)(e, ...)`.
    Cast(N, Vec<N>),
    /// `static_cast<T>(e)` and the other named casts.
    NamedCast(&'static str, N, N),
    /// `c ? a : b`.
    Conditional(N, N, N),
    /// `a[i]`.
    Index(N, N),
    /// `T{a, b}` or `{a, b}`.
    InitList(Option<N>, Vec<N>),
    /// A template argument after its parameter's declaration.
    Declared(N),
    /// A template parameter that names an argument parsed after it (`T_` in a conversion
    /// operator's type), bound once that argument is known.
    Forward(usize, std::cell::OnceCell<N>),
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
    /// In a conversion operator's type: template parameters are forward references.
    permit_forward: bool,
    /// The forward references not bound yet.
    forward_refs: Vec<N>,
    /// Whether a template parameter may take template arguments (`T_I...E`).
    param_args: bool,
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
        permit_forward: false,
        forward_refs: Vec::new(),
        param_args: true,
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

    /// An encoding's template parameters are its own: it starts with none, and those of an
    /// enclosing context (a local name's function inside a template argument) are back in
    /// force after it (LLVM's `SaveTemplateParams` in `parseEncoding`).
    fn encoding(&mut self) -> Option<N> {
        let saved = std::mem::take(&mut self.template_params);
        let n = self.nest(Self::encoding_inner);
        self.template_params = saved;
        n
    }

    fn encoding_inner(&mut self) -> Option<N> {
        if matches!(self.peek(), b'T' | b'G') && !matches!(self.peek_at(1), b'_' | b'0'..=b'9') {
            return self.special_name();
        }
        let saved_tag = self.tag_templates;
        self.tag_templates = true;
        let forward_from = self.forward_refs.len();
        let name = self.name()?;
        self.resolve_forward_refs(forward_from)?;
        self.tag_templates = saved_tag;
        let (cv, refq) = (std::mem::take(&mut self.nested_cv), self.nested_ref);
        self.nested_ref = "";
        if self.at_end() || matches!(self.peek(), b'E' | b'.') {
            return Some(name);
        }
        // Clang's `enable_if` attribute: `[enable_if:cond]` after the function.
        let mut enable_if = Vec::new();
        if self.eat_str("Ua9enable_ifI") {
            while !self.eat(b'E') {
                if self.at_end() {
                    return None;
                }
                enable_if.push(self.template_arg()?);
            }
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
            enable_if,
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
        // The entity's template parameters are its own too, and after it those in force
        // before it are again: a function whose name is a local entity's template (a lambda's
        // `operator()<...>`) cannot name the entity's arguments in its parameters, and LLVM
        // leaves such a name mangled (`SaveTemplateParams` in `parseLocalName`).
        let saved = std::mem::take(&mut self.template_params);
        let entity = self.local_entity();
        self.template_params = saved;
        Some(Rc::new(Node::Local(function, entity?)))
    }

    fn local_entity(&mut self) -> Option<N> {
        if self.eat(b'd') {
            if !self.eat(b'_') {
                self.number()?;
                self.expect(b'_')?;
            }
            return self.name();
        }
        let entity = self.name()?;
        self.discriminator();
        Some(entity)
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
            // In an encoding's name, the conversion's type may name the operator's own template
            // arguments, which come after it (`cvPT_IvE`: `operator void*<void>`): its
            // template parameters are forward references, and `T_I...E` is not a template
            // template parameter with arguments (LLVM's `PermitForwardTemplateReferences`,
            // `TryToParseTemplateArgs`).
            "cv" => {
                let saved = (self.tag_templates, self.permit_forward, self.param_args);
                self.permit_forward |= self.tag_templates;
                self.tag_templates = false;
                self.param_args = false;
                let t = self.ty();
                (self.tag_templates, self.permit_forward, self.param_args) = saved;
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
        if self.permit_forward {
            let forward = Rc::new(Node::Forward(i, std::cell::OnceCell::new()));
            self.forward_refs.push(forward.clone());
            return Some(forward);
        }
        self.template_params.get(i).cloned()
    }

    /// Binds the forward references made since `from` to the template arguments parsed last
    /// (the conversion operator's own; LLVM's `resolveForwardTemplateRefs`).
    fn resolve_forward_refs(&mut self, from: usize) -> Option<()> {
        for forward in self.forward_refs.drain(from..) {
            let Node::Forward(i, cell) = &*forward else {
                return None;
            };
            cell.set(self.template_params.get(*i)?.clone()).ok()?;
        }
        Some(())
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
            // A function parameter: `fp_` is `fp`, `fp0_` `fp0` (the number as mangled, as
            // LLVM's `FunctionParam` prints it); `fpT` is `this`.
            b'f' if self.peek_at(1) == b'p' => {
                self.pos += 2;
                if self.eat(b'T') {
                    return Some(name("this"));
                }
                while matches!(self.peek(), b'r' | b'V' | b'K') {
                    self.pos += 1;
                }
                let n = if self.peek().is_ascii_digit() {
                    self.number()?
                } else {
                    String::new()
                };
                self.expect(b'_')?;
                Some(Rc::new(Node::Name(format!("fp{n}"))))
            }
            // An unresolved name: `9_dispatch`, `7forwardIT_E`.
            b'0'..=b'9' => self.simple_id(),
            b'o' if self.peek_at(1) == b'n' => {
                self.pos += 2;
                let op = self.operator_name()?;
                if self.peek() == b'I' {
                    let args = self.template_args()?;
                    return Some(Rc::new(Node::Template(op, args)));
                }
                Some(op)
            }
            // Member access (`dt`, `pt`) and pointer-to-member access (`ds`, `pm`), written
            // without spaces (LLVM's `MemberExpr`).
            _ if member_operator(self.s.get(self.pos..self.pos + 2)?).is_some() => {
                let (op, prec) = member_operator(&self.s[self.pos..self.pos + 2])?;
                self.pos += 2;
                let object = self.expression()?;
                let member = self.expression()?;
                Some(Rc::new(Node::Member(object, op, member, prec)))
            }
            // `cv <type> <expression>` and `cv <type> _ <expression>* E`, both `(T)(...)`.
            b'c' if self.peek_at(1) == b'v' => {
                self.pos += 2;
                let t = self.ty()?;
                let mut args = Vec::new();
                if self.eat(b'_') {
                    while !self.eat(b'E') {
                        args.push(self.expression()?);
                    }
                } else {
                    args.push(self.expression()?);
                }
                Some(Rc::new(Node::Cast(t, args)))
            }
            // `tl <type> <expression>* E`: `T{a, b}`; `il <expression>* E`: `{a, b}`.
            b't' | b'i' if self.peek_at(1) == b'l' => {
                let typed = self.peek() == b't';
                self.pos += 2;
                let t = if typed { Some(self.ty()?) } else { None };
                let mut inits = Vec::new();
                while !self.eat(b'E') {
                    inits.push(self.expression()?);
                }
                Some(Rc::new(Node::InitList(t, inits)))
            }
            b'q' if self.peek_at(1) == b'u' => {
                self.pos += 2;
                let cond = self.expression()?;
                let then = self.expression()?;
                let other = self.expression()?;
                Some(Rc::new(Node::Conditional(cond, then, other)))
            }
            b'i' if self.peek_at(1) == b'x' => {
                self.pos += 2;
                let array = self.expression()?;
                let index = self.expression()?;
                Some(Rc::new(Node::Index(array, index)))
            }
            _ if named_cast(self.s.get(self.pos..self.pos + 2)?).is_some() => {
                let cast = named_cast(&self.s[self.pos..self.pos + 2])?;
                self.pos += 2;
                let t = self.ty()?;
                let e = self.expression()?;
                Some(Rc::new(Node::NamedCast(cast, t, e)))
            }
            _ if enclosing_operator(self.s.get(self.pos..self.pos + 2)?).is_some() => {
                let (what, of_type) = enclosing_operator(&self.s[self.pos..self.pos + 2])?;
                self.pos += 2;
                let operand = if of_type {
                    self.ty()?
                } else {
                    self.expression()?
                };
                Some(Rc::new(Node::Wrapped(what, vec![operand])))
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
                // Printed after the type, in LLVM's order whatever the mangled order.
                let mut text = String::new();
                for (q, word) in [(b'K', " const"), (b'V', " volatile"), (b'r', " restrict")] {
                    if quals.contains(&q) {
                        text.push_str(word);
                    }
                }
                // Qualifiers written before `F` belong to the function type (one substitution,
                // `void () const`); before any other type, a template parameter naming a
                // function type included, they qualify it (`void  const(&)()`), as LLVM's
                // `parseType` tells the two apart.
                let function_follows = self.peek() == b'F'
                    || (self.peek() == b'D'
                        && matches!(self.peek_at(1), b'o' | b'O' | b'w' | b'x'));
                if function_follows {
                    self.function_type(text)?
                } else {
                    Rc::new(Node::Qual(self.ty()?, text))
                }
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
                    b'o' | b'x' => self.function_type(String::new())?,
                    b't' | b'T' => {
                        self.pos += 2;
                        let e = self.expression()?;
                        self.expect(b'E')?;
                        Rc::new(Node::Wrapped("decltype", vec![e]))
                    }
                    _ => return None,
                }
            }
            b'F' => self.function_type(String::new())?,
            b'A' => {
                self.pos += 1;
                let dim = match self.peek() {
                    b'0'..=b'9' => self.number()?,
                    b'_' => String::new(),
                    // A dimension given by an expression (`AT0__`: `[9u]` when T0_ is 9u).
                    _ => {
                        let e = self.expression()?;
                        let mut p = Printer {
                            out: String::new(),
                            pack: None,
                        };
                        p.print(&e);
                        p.out
                    }
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
                if self.peek() == b'I' && self.param_args {
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
            // Not in a conversion operator's type: there `S_I...E` is `S_` and the operator's
            // own template arguments (LLVM's `TryToParseTemplateArgs`).
            b'S' if self.peek_at(1) != b't' => {
                let sub = self.substitution()?;
                if self.peek() == b'I' && self.param_args {
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

    /// `[Do] [Dx] F [Y] <return> <params> [R|O] E`, with the cv-qualifiers written before it.
    fn function_type(&mut self, cv: String) -> Option<N> {
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
            cv,
            refq,
            exception,
        }))
    }
}

/// A member access operator and its precedence level.
fn member_operator(code: &[u8]) -> Option<(&'static str, u8)> {
    Some(match code {
        b"dt" => (".", 1),
        b"pt" => ("->", 1),
        b"ds" => (".*", 4),
        b"pm" => ("->*", 4),
        _ => return None,
    })
}

/// A named cast's keyword (`sc <type> <expression>` is `static_cast<T>(e)`).
fn named_cast(code: &[u8]) -> Option<&'static str> {
    Some(match code {
        b"sc" => "static_cast",
        b"dc" => "dynamic_cast",
        b"cc" => "const_cast",
        b"rc" => "reinterpret_cast",
        _ => return None,
    })
}

/// An operator written as a keyword around its operand (LLVM's `EnclosingExpr`), and whether
/// the operand is a type: `st <type>` is `sizeof (T)`.
fn enclosing_operator(code: &[u8]) -> Option<(&'static str, bool)> {
    Some(match code {
        b"st" => ("sizeof ", true),
        b"sz" => ("sizeof ", false),
        b"at" => ("alignof ", true),
        b"az" => ("alignof ", false),
        b"ti" => ("typeid ", true),
        b"te" => ("typeid ", false),
        b"nx" => ("noexcept ", false),
        _ => return None,
    })
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
        Node::Member(_, _, _, p) => *p,
        Node::Call(..) | Node::Index(..) | Node::NamedCast(..) => 1,
        Node::Cast(..) => 3,
        Node::Conditional(..) => 16,
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
        loop {
            n = match (&**n, self.pack.as_mut()) {
                (Node::Forward(_, cell), _) => match cell.get() {
                    Some(bound) => bound,
                    None => return n,
                },
                (Node::Pack(elems), Some((i, size))) => {
                    size.get_or_insert(elems.len());
                    match elems.get(*i) {
                        Some(e) => e,
                        None => return n,
                    }
                }
                _ => return n,
            };
        }
    }

    /// Whether `n` is an array type, maybe cv-qualified (LLVM's `hasArray`): a pointer or
    /// reference to it is written `T const (&) [4]`.
    fn has_array(&mut self, n: &N) -> bool {
        let n = self.resolve(n);
        match &**n {
            Node::Array(..) => true,
            Node::Qual(t, _) => self.has_array(t),
            _ => false,
        }
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
                    if self.has_array(t) {
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
                    if self.has_array(&t) {
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
            // An assignment binds to the right: its left operand is parenthesized from `||`
            // on, its right one only when worse than an assignment. No space before a comma.
            Node::Binary(lhs, op, rhs, prec) => {
                let assign = *prec == 17;
                let lhs_paren = if assign {
                    precedence(lhs) >= 15
                } else {
                    precedence(lhs) > *prec
                };
                self.operand(lhs, lhs_paren);
                if *op != "," {
                    self.out.push(' ');
                }
                self.out.push_str(op);
                self.out.push(' ');
                let rhs_paren = if assign {
                    precedence(rhs) > *prec
                } else {
                    precedence(rhs) >= *prec
                };
                self.operand(rhs, rhs_paren);
            }
            Node::Prefix(op, e) => {
                self.out.push_str(op);
                self.operand(e, precedence(e) >= 2);
            }
            // The callee as it is, never parenthesized (LLVM's `CallExpr`).
            Node::Call(callee, args) => {
                self.print(callee);
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
            // Bound before printing (an unbound one fails the parse); `resolve` followed it.
            Node::Forward(..) => {}
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
            Node::Member(object, op, member, prec) => {
                self.operand(object, precedence(object) > *prec);
                self.out.push_str(op);
                self.operand(member, precedence(member) >= *prec);
            }
            Node::Cast(t, args) => {
                self.out.push('(');
                self.print(t);
                self.out.push_str(")(");
                self.list(args);
                self.out.push(')');
            }
            Node::NamedCast(cast, t, e) => {
                self.out.push_str(cast);
                self.out.push('<');
                self.print(t);
                self.out.push_str(">(");
                self.print(e);
                self.out.push(')');
            }
            // LLVM's `ConditionalExpr`: only a comma expression is parenthesized in the first
            // two operands, an assignment or worse in the last.
            Node::Conditional(cond, then, other) => {
                self.operand(cond, precedence(cond) >= 18);
                self.out.push_str(" ? ");
                self.operand(then, precedence(then) >= 18);
                self.out.push_str(" : ");
                self.operand(other, precedence(other) > 17);
            }
            Node::InitList(t, inits) => {
                if let Some(t) = t {
                    self.print(t);
                }
                self.out.push('{');
                self.list(inits);
                self.out.push('}');
            }
            Node::Index(array, index) => {
                self.operand(array, precedence(array) >= 1);
                self.out.push('[');
                self.print(index);
                self.out.push(']');
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
                enable_if,
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
                if !enable_if.is_empty() {
                    self.out.push_str(" [enable_if:");
                    self.list(enable_if);
                    self.out.push(']');
                }
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
