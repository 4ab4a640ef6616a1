//! Templates for the program generator: `.wat` fragments with holes, split into parts that the
//! generator places in different objects or archive members, and the outcome the template
//! promises once linked.
//!
//! A template file is plain annotated `.wat` (the assembler's syntax, see
//! `oracle/src/asm/mod.rs`) with directive comments starting `;;#`:
//!
//! ```text
//! ;;# expect EXPR                      what `u{K}` returns: + - * ( ) over numbers and holes
//! ;;# expect-initlog M P:H:N ...       `u{K}` returns a log of init functions: for each
//!                                      (part P, priority hole H, number N) in run order,
//!                                      log = log * M + N (order: priority, then the part's
//!                                      place on the command line, then listed order)
//! ;;# otherwise EXPR                   what `u{K}` returns when an `after` does not hold (the
//!                                      order-changing property test moves files around)
//! ;;# part NAME object|archive [after OTHER]
//!                                      the lines up to the next `part` are module fields
//!                                      for one object (or one archive member), placed on
//!                                      the command line after part OTHER when `after` is given
//! ;;# custom "NAME" "CONTENT"          (inside a part) the output's custom section NAME holds
//!                                      CONTENT, after the contents of earlier parts
//! ```
//!
//! Holes: `{K}` is the instance number (keeps names of different instances apart), `{V0}`..
//! `{V9}` random i32 values (`{V0:bytes}`: a `.wat` string of its 4 little-endian bytes, for
//! data segments), `{P0}`..`{P9}` init priorities from a small set (so that ties
//! happen). One part must define `(func $u{K} (result i32) ...)`: the generated `run` calls it.

use anyhow::Result;
use anyhow::{anyhow as err, bail};

/// Where a part may be placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartKind {
    /// A relocatable object named on the command line.
    Object,
    /// A member of an archive.
    Archive,
}

/// One fragment of a template, destined for one object or archive member.
#[derive(Clone, Debug)]
pub struct Part {
    pub name: String,
    pub kind: PartKind,
    /// The part that must come earlier on the command line.
    pub after: Option<String>,
    /// Module fields (with holes).
    pub text: String,
    /// Custom sections this part contributes: (name, content), with holes.
    pub customs: Vec<(String, String)>,
}

/// What `u{K}` returns.
#[derive(Clone, Debug)]
pub enum Expect {
    /// An arithmetic expression over holes (wrapping i32).
    Expr(String),
    /// A log of init functions: multiplier and (part, priority hole, number) entries.
    InitLog {
        mul: i32,
        entries: Vec<(String, String, i32)>,
    },
}

/// A parsed template.
#[derive(Clone, Debug)]
pub struct Template {
    pub name: String,
    pub parts: Vec<Part>,
    pub expect: Expect,
    /// What `u{K}` returns instead when the parts are not in their `after` order.
    pub otherwise: Option<String>,
    /// Index of the part that defines `u{K}`.
    pub entry: usize,
    /// How many `{Vn}` / `{Pn}` holes it uses (highest index + 1).
    pub values: usize,
    pub priorities: usize,
}

/// The templates shipped in `oracle/src/gen/templates/`, in name order.
pub const SOURCES: &[(&str, &str)] = &[
    ("alias", include_str!("templates/alias.wat")),
    ("archive-chain", include_str!("templates/archive-chain.wat")),
    (
        "archive-weak-kept",
        include_str!("templates/archive-weak-kept.wat"),
    ),
    (
        "archive-weak-ref",
        include_str!("templates/archive-weak-ref.wat"),
    ),
    ("call-across", include_str!("templates/call-across.wat")),
    ("call-indirect", include_str!("templates/call-indirect.wat")),
    ("comdat", include_str!("templates/comdat.wat")),
    (
        "custom-sections",
        include_str!("templates/custom-sections.wat"),
    ),
    ("data-pointers", include_str!("templates/data-pointers.wat")),
    (
        "data-weak-strong",
        include_str!("templates/data-weak-strong.wat"),
    ),
    (
        "funcaddr-identity",
        include_str!("templates/funcaddr-identity.wat"),
    ),
    ("globals", include_str!("templates/globals.wat")),
    ("hidden-local", include_str!("templates/hidden-local.wat")),
    ("import-name", include_str!("templates/import-name.wat")),
    (
        "init-priorities",
        include_str!("templates/init-priorities.wat"),
    ),
    (
        "merge-segments",
        include_str!("templates/merge-segments.wat"),
    ),
    (
        "mutual-recursion",
        include_str!("templates/mutual-recursion.wat"),
    ),
    ("start-stop", include_str!("templates/start-stop.wat")),
    ("tls", include_str!("templates/tls.wat")),
    ("weak-first", include_str!("templates/weak-first.wat")),
    ("weak-global", include_str!("templates/weak-global.wat")),
    ("weak-strong", include_str!("templates/weak-strong.wat")),
    ("weak-undef", include_str!("templates/weak-undef.wat")),
];

/// Parses every shipped template.
pub fn all() -> Result<Vec<Template>> {
    SOURCES.iter().map(|(n, s)| parse(n, s)).collect()
}

/// Splits `"a" "b"` into its two quoted strings.
fn quoted_pair(s: &str) -> Option<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while let Some(r) = rest.strip_prefix('"') {
        let end = r.find('"')?;
        out.push(r[..end].to_string());
        rest = r[end + 1..].trim_start();
    }
    if out.len() == 2 && rest.is_empty() {
        let b = out.pop()?;
        let a = out.pop()?;
        Some((a, b))
    } else {
        None
    }
}

/// Highest `{X<n>}` hole index + 1 for the prefix letter `x`.
fn count_holes(text: &str, x: char) -> usize {
    let mut n = 0;
    let pat = format!("{{{x}");
    let mut rest = text;
    while let Some(i) = rest.find(&pat) {
        rest = &rest[i + pat.len()..];
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if let Ok(v) = digits.parse::<usize>() {
            let tail = &rest[digits.len()..];
            if tail.starts_with('}') || tail.starts_with(":bytes}") {
                n = n.max(v + 1);
            }
        }
    }
    n
}

/// Parses one template; `name` is used in messages.
pub fn parse(name: &str, source: &str) -> Result<Template> {
    let mut parts: Vec<Part> = Vec::new();
    let mut expect = None;
    let mut otherwise = None;
    for (lineno, line) in source.lines().enumerate() {
        let at = || format!("template {name}, line {}", lineno + 1);
        let Some(d) = line.trim_start().strip_prefix(";;#") else {
            match parts.last_mut() {
                Some(p) => {
                    p.text.push_str(line);
                    p.text.push('\n');
                }
                None if line.trim().is_empty() || line.trim_start().starts_with(";;") => {}
                None => bail!("{}: text before the first `;;# part`", at()),
            }
            continue;
        };
        let d = d.trim();
        let (word, rest) = d.split_once(char::is_whitespace).unwrap_or((d, ""));
        let rest = rest.trim();
        match word {
            "expect" => expect = Some(Expect::Expr(rest.to_string())),
            "otherwise" => otherwise = Some(rest.to_string()),
            "expect-initlog" => {
                let mut words = rest.split_whitespace();
                let mul = words
                    .next()
                    .and_then(|m| m.parse().ok())
                    .ok_or_else(|| err!("{}: expect-initlog needs a multiplier", at()))?;
                let mut entries = Vec::new();
                for w in words {
                    let f: Vec<&str> = w.split(':').collect();
                    let [p, h, n] = f[..] else {
                        bail!("{}: expected PART:HOLE:NUMBER, got `{w}`", at());
                    };
                    let n = n
                        .parse()
                        .map_err(|_| err!("{}: `{n}` is not a number", at()))?;
                    entries.push((p.to_string(), h.to_string(), n));
                }
                expect = Some(Expect::InitLog { mul, entries });
            }
            "part" => {
                let w: Vec<&str> = rest.split_whitespace().collect();
                let (pname, kind, after) = match w[..] {
                    [n, k] => (n, k, None),
                    [n, k, "after", a] => (n, k, Some(a.to_string())),
                    _ => bail!(
                        "{}: expected `part NAME object|archive [after OTHER]`",
                        at()
                    ),
                };
                let kind = match kind {
                    "object" => PartKind::Object,
                    "archive" => PartKind::Archive,
                    _ => bail!(
                        "{}: part kind must be object or archive, not `{kind}`",
                        at()
                    ),
                };
                if let Some(a) = &after {
                    if !parts.iter().any(|p| &p.name == a) {
                        bail!("{}: `after {a}` names no earlier part", at());
                    }
                }
                parts.push(Part {
                    name: pname.to_string(),
                    kind,
                    after,
                    text: String::new(),
                    customs: Vec::new(),
                });
            }
            "custom" => {
                let pair = quoted_pair(rest)
                    .ok_or_else(|| err!("{}: expected `custom \"NAME\" \"CONTENT\"`", at()))?;
                parts
                    .last_mut()
                    .ok_or_else(|| err!("{}: `custom` outside a part", at()))?
                    .customs
                    .push(pair);
            }
            _ => bail!("{}: unknown directive `{word}`", at()),
        }
    }
    let expect = expect.ok_or_else(|| err!("template {name}: no `;;# expect` line"))?;
    if parts.is_empty() {
        bail!("template {name}: no parts");
    }
    let entry = parts
        .iter()
        .position(|p| p.text.contains("(func $u{K}"))
        .ok_or_else(|| err!("template {name}: no part defines `(func $u{{K}}`"))?;
    if let Expect::InitLog { entries, .. } = &expect {
        for (p, _, _) in entries {
            if !parts.iter().any(|q| &q.name == p) {
                bail!("template {name}: expect-initlog names unknown part `{p}`");
            }
        }
    }
    let all_text: String = parts
        .iter()
        .map(|p| p.text.as_str())
        .chain(match &expect {
            Expect::Expr(e) => vec![e.as_str()],
            Expect::InitLog { .. } => vec![],
        })
        .chain(otherwise.as_deref())
        .collect();
    let mut values = count_holes(&all_text, 'V');
    let mut priorities = count_holes(&all_text, 'P');
    // Holes named only in the expectation (`V3` in an expression, `P2` in a log entry).
    let mut note = |word: &str| {
        if let Some(n) = word.strip_prefix('V').and_then(|n| n.parse::<usize>().ok()) {
            values = values.max(n + 1);
        }
        if let Some(n) = word.strip_prefix('P').and_then(|n| n.parse::<usize>().ok()) {
            priorities = priorities.max(n + 1);
        }
    };
    match &expect {
        Expect::Expr(e) => e
            .split(|c: char| !c.is_ascii_alphanumeric())
            .for_each(&mut note),
        Expect::InitLog { entries, .. } => entries.iter().for_each(|(_, h, _)| note(h)),
    }
    if let Some(o) = &otherwise {
        o.split(|c: char| !c.is_ascii_alphanumeric())
            .for_each(&mut note);
    }
    Ok(Template {
        name: name.to_string(),
        parts,
        expect,
        otherwise,
        entry,
        values,
        priorities,
    })
}

/// Evaluates an `expect` expression with wrapping i32 arithmetic; `hole` gives `Vn`/`Pn`.
pub fn eval(expr: &str, hole: &dyn Fn(&str) -> Option<i32>) -> Result<i32> {
    let tokens = tokenize(expr)?;
    let mut p = Parser {
        tokens: &tokens,
        pos: 0,
        hole,
        expr,
    };
    let v = p.sum()?;
    if p.pos != tokens.len() {
        bail!("expression `{expr}`: unexpected `{}`", tokens[p.pos]);
    }
    Ok(v)
}

fn tokenize(expr: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut chars = expr.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if "+-*()".contains(c) {
            out.push(c.to_string());
            chars.next();
        } else if c.is_ascii_alphanumeric() {
            let mut w = String::new();
            while let Some(&c) = chars.peek() {
                if !c.is_ascii_alphanumeric() {
                    break;
                }
                w.push(c);
                chars.next();
            }
            out.push(w);
        } else {
            bail!("expression `{expr}`: unexpected character `{c}`");
        }
    }
    Ok(out)
}

struct Parser<'a> {
    tokens: &'a [String],
    pos: usize,
    hole: &'a dyn Fn(&str) -> Option<i32>,
    expr: &'a str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.pos).map(String::as_str)
    }

    fn sum(&mut self) -> Result<i32> {
        let mut v = self.product()?;
        while let Some(op @ ("+" | "-")) = self.peek() {
            let plus = op == "+";
            self.pos += 1;
            let r = self.product()?;
            v = if plus {
                v.wrapping_add(r)
            } else {
                v.wrapping_sub(r)
            };
        }
        Ok(v)
    }

    fn product(&mut self) -> Result<i32> {
        let mut v = self.atom()?;
        while self.peek() == Some("*") {
            self.pos += 1;
            v = v.wrapping_mul(self.atom()?);
        }
        Ok(v)
    }

    fn atom(&mut self) -> Result<i32> {
        let expr = self.expr;
        let t = self
            .peek()
            .ok_or_else(|| err!("expression `{expr}`: ends early"))?
            .to_string();
        self.pos += 1;
        match t.as_str() {
            "(" => {
                let v = self.sum()?;
                if self.peek() != Some(")") {
                    bail!("expression `{expr}`: missing `)`");
                }
                self.pos += 1;
                Ok(v)
            }
            "-" => Ok(self.atom()?.wrapping_neg()),
            _ => {
                if let Ok(n) = t.parse::<i64>() {
                    return Ok(n as i32);
                }
                (self.hole)(&t).ok_or_else(|| err!("expression `{expr}`: unknown hole `{t}`"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses() {
        let all = all().unwrap();
        assert_eq!(all.len(), SOURCES.len());
        for t in &all {
            assert!(t.values > 0 || t.priorities > 0, "{} has no holes", t.name);
        }
    }

    #[test]
    fn every_template_file_is_listed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/gen/templates");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|n| n.strip_suffix(".wat").map(str::to_string))
            .collect();
        files.sort();
        let listed: Vec<String> = SOURCES.iter().map(|s| s.0.to_string()).collect();
        assert_eq!(
            files, listed,
            "src/gen/templates/*.wat and template::SOURCES differ"
        );
    }

    #[test]
    fn expressions_wrap_and_respect_precedence() {
        let h = |n: &str| match n {
            "V0" => Some(i32::MAX),
            "V1" => Some(3),
            _ => None,
        };
        assert_eq!(eval("V0 + 1", &h).unwrap(), i32::MIN);
        assert_eq!(eval("2 + V1 * 3", &h).unwrap(), 11);
        assert_eq!(eval("(2 + V1) * 3 - 1", &h).unwrap(), 14);
        assert!(eval("V2", &h).is_err());
        assert!(eval("1 +", &h).is_err());
    }
}
