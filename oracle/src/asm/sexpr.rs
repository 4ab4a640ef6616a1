//! A small S-expression reader for `.wat` text, used only to find the assembler's annotations
//! (`(@name ...)`) and the extent of every module field. The `wast` crate skips annotations it
//! does not know, so the assembler reads the same text a second time with this reader to learn
//! where each annotation sits (which field, which instruction, which data value).
//!
//! It understands what can hide a parenthesis: `;;` line comments, nested `(; ;)` block
//! comments and `"..."` strings (with the text format's escapes, decoded to bytes).

use anyhow::Result;

/// A node of the tree: an atom, a string, or a parenthesised list (an annotation when it
/// starts with `(@name`).
#[derive(Clone, Debug)]
pub enum Node {
    /// A keyword, identifier, number or `key=value` token.
    Atom { text: String, pos: usize },
    /// A string literal, decoded.
    Str { bytes: Vec<u8>, pos: usize },
    /// `( ... )`; `ann` is `Some(name)` for `(@name ...)`.
    List {
        ann: Option<String>,
        start: usize,
        end: usize,
        items: Vec<Node>,
    },
}

impl Node {
    /// Byte offset of the node's first character in the source.
    pub fn pos(&self) -> usize {
        match self {
            Node::Atom { pos, .. } | Node::Str { pos, .. } => *pos,
            Node::List { start, .. } => *start,
        }
    }

    /// The keyword of a plain list: `func` for `(func ...)`.
    pub fn keyword(&self) -> Option<&str> {
        match self {
            Node::List {
                ann: None, items, ..
            } => match items.first() {
                Some(Node::Atom { text, .. }) => Some(text),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Line and column (both 1-based) of byte offset `pos` in `src`.
pub fn line_col(src: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(src.len());
    let before = &src[..pos];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(before.chars().count(), |nl| {
        before[nl + 1..].chars().count()
    }) + 1;
    (line, col)
}

/// Builds a located error: `path:line:col: message`.
pub fn located(path: &str, src: &str, pos: usize, msg: impl std::fmt::Display) -> anyhow::Error {
    let (l, c) = line_col(src, pos);
    anyhow::anyhow!("{path}:{l}:{c}: {msg}")
}

/// Parses the whole source into its top-level nodes.
pub fn parse(src: &str, path: &str) -> Result<Vec<Node>> {
    let mut r = Reader {
        src,
        b: src.as_bytes(),
        pos: 0,
        path,
    };
    let mut stack: Vec<(Option<String>, usize, Vec<Node>)> = Vec::new();
    let mut top = Vec::new();
    loop {
        r.skip_space()?;
        let Some(&c) = r.b.get(r.pos) else { break };
        let start = r.pos;
        match c {
            b'(' => {
                r.pos += 1;
                let ann = if r.b.get(r.pos) == Some(&b'@') {
                    r.pos += 1;
                    let s = r.pos;
                    while r.pos < r.b.len() && is_atom_byte(r.b[r.pos]) {
                        r.pos += 1;
                    }
                    Some(src[s..r.pos].to_string())
                } else {
                    None
                };
                stack.push((ann, start, Vec::new()));
            }
            b')' => {
                r.pos += 1;
                let Some((ann, s, items)) = stack.pop() else {
                    return Err(located(path, src, start, "unbalanced `)`"));
                };
                let node = Node::List {
                    ann,
                    start: s,
                    end: r.pos,
                    items,
                };
                match stack.last_mut() {
                    Some(parent) => parent.2.push(node),
                    None => top.push(node),
                }
            }
            b'"' => {
                let bytes = r.string()?;
                let node = Node::Str { bytes, pos: start };
                match stack.last_mut() {
                    Some(parent) => parent.2.push(node),
                    None => top.push(node),
                }
            }
            _ => {
                while r.pos < r.b.len() && is_atom_byte(r.b[r.pos]) {
                    r.pos += 1;
                }
                if r.pos == start {
                    return Err(located(path, src, start, "unexpected character"));
                }
                let node = Node::Atom {
                    text: src[start..r.pos].to_string(),
                    pos: start,
                };
                match stack.last_mut() {
                    Some(parent) => parent.2.push(node),
                    None => top.push(node),
                }
            }
        }
    }
    if let Some((_, s, _)) = stack.last() {
        return Err(located(path, src, *s, "unclosed `(`"));
    }
    Ok(top)
}

fn is_atom_byte(c: u8) -> bool {
    !(c.is_ascii_whitespace() || c == b'(' || c == b')' || c == b'"' || c == b';')
}

struct Reader<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    path: &'a str,
}

impl Reader<'_> {
    fn skip_space(&mut self) -> Result<()> {
        loop {
            match (self.b.get(self.pos), self.b.get(self.pos + 1)) {
                (Some(c), _) if c.is_ascii_whitespace() => self.pos += 1,
                (Some(b';'), Some(b';')) => {
                    while self.pos < self.b.len() && self.b[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                (Some(b'('), Some(b';')) => {
                    let start = self.pos;
                    let mut depth = 0usize;
                    loop {
                        match (self.b.get(self.pos), self.b.get(self.pos + 1)) {
                            (Some(b'('), Some(b';')) => {
                                depth += 1;
                                self.pos += 2;
                            }
                            (Some(b';'), Some(b')')) => {
                                depth -= 1;
                                self.pos += 2;
                                if depth == 0 {
                                    break;
                                }
                            }
                            (Some(_), _) => self.pos += 1,
                            (None, _) => {
                                return Err(located(
                                    self.path,
                                    self.src,
                                    start,
                                    "unterminated block comment",
                                ))
                            }
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    /// Reads a string literal at `self.pos` (which is `"`), decoding escapes.
    fn string(&mut self) -> Result<Vec<u8>> {
        let start = self.pos;
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let Some(&c) = self.b.get(self.pos) else {
                return Err(located(self.path, self.src, start, "unterminated string"));
            };
            self.pos += 1;
            match c {
                b'"' => return Ok(out),
                b'\\' => {
                    let Some(&e) = self.b.get(self.pos) else {
                        return Err(located(self.path, self.src, start, "unterminated string"));
                    };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'"' => out.push(b'"'),
                        b'\'' => out.push(b'\''),
                        b'\\' => out.push(b'\\'),
                        b'u' => {
                            let close = self.src[self.pos..].find('}');
                            let (Some(b'{'), Some(close)) = (self.b.get(self.pos), close) else {
                                return Err(located(
                                    self.path,
                                    self.src,
                                    self.pos,
                                    "bad \\u escape",
                                ));
                            };
                            let hex = &self.src[self.pos + 1..self.pos + close];
                            let ch = u32::from_str_radix(hex, 16)
                                .ok()
                                .and_then(char::from_u32)
                                .ok_or_else(|| {
                                    located(self.path, self.src, self.pos, "bad \\u escape")
                                })?;
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                            self.pos += close + 1;
                        }
                        h1 if h1.is_ascii_hexdigit() => {
                            let h2 = self.b.get(self.pos).copied().unwrap_or(b' ');
                            if !h2.is_ascii_hexdigit() {
                                return Err(located(
                                    self.path,
                                    self.src,
                                    self.pos,
                                    "bad hex escape",
                                ));
                            }
                            self.pos += 1;
                            let v = (hex_val(h1) << 4) | hex_val(h2);
                            out.push(v);
                        }
                        _ => {
                            return Err(located(
                                self.path,
                                self.src,
                                self.pos - 1,
                                "unknown escape in string",
                            ))
                        }
                    }
                }
                _ => out.push(c),
            }
        }
    }
}

fn hex_val(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_annotations_and_skips_comments() {
        let src = "(module ;; (@no)\n (; (@no) ;) (func $f (@sym weak) \"a)\\41\"))";
        let top = parse(src, "t.wat").unwrap();
        let Node::List { items, .. } = &top[0] else {
            panic!()
        };
        let Node::List { items: f, .. } = &items[1] else {
            panic!()
        };
        assert!(matches!(&f[2], Node::List { ann: Some(a), .. } if a == "sym"));
        assert!(matches!(&f[3], Node::Str { bytes, .. } if bytes == b"a)A"));
    }

    #[test]
    fn line_col_counts_from_one() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }
}
