//! JUnit XML, the test report CI systems read (`touchstone conformance --format junit` or
//! `--output-junit FILE`, `touchstone fuzz --output-junit FILE`): one `<testsuite>` per linker,
//! one `<testcase>` per case (`classname` the case's folder, `name` the case), a `<failure>`
//! for a case that does not conform, an `<error>` for trouble (the case, not the linker, could
//! not be judged), `<skipped>` for a case that does not apply. Written by hand: the format is
//! small, and [`well_formed`] checks what is written.

use std::fmt::Write as _;

/// How one case went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// Does not conform: `message` the first difference (or the classification), `kind` its
    /// class or level, `text` the details.
    Failure {
        message: String,
        kind: String,
        text: String,
    },
    /// Could not be judged.
    Error {
        message: String,
        text: String,
    },
    /// Does not apply.
    Skipped {
        message: String,
    },
}

/// One `<testcase>`.
#[derive(Clone, Debug)]
pub struct TestCase {
    pub classname: String,
    pub name: String,
    pub outcome: Outcome,
    /// Said in `<system-out>` (e.g. the differences `--ignore` dropped), when not empty.
    pub output: String,
}

/// One `<testsuite>`.
#[derive(Clone, Debug, Default)]
pub struct TestSuite {
    pub name: String,
    /// `<property name= value=>` pairs: the reference, its version, the commit, ...
    pub properties: Vec<(String, String)>,
    pub cases: Vec<TestCase>,
}

/// Counts of (tests, failures, errors, skipped).
fn counts<'a>(cases: impl Iterator<Item = &'a TestCase>) -> (usize, usize, usize, usize) {
    let mut n = (0, 0, 0, 0);
    for c in cases {
        n.0 += 1;
        match c.outcome {
            Outcome::Passed => {}
            Outcome::Failure { .. } => n.1 += 1,
            Outcome::Error { .. } => n.2 += 1,
            Outcome::Skipped { .. } => n.3 += 1,
        }
    }
    n
}

/// The document: `<testsuites name="NAME">` holding `suites`.
pub fn render(name: &str, suites: &[TestSuite]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let (t, f, e, s) = counts(suites.iter().flat_map(|x| &x.cases));
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{t}\" failures=\"{f}\" errors=\"{e}\" skipped=\"{s}\">",
        attr(name)
    );
    for suite in suites {
        let (t, f, e, s) = counts(suite.cases.iter());
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{t}\" failures=\"{f}\" errors=\"{e}\" skipped=\"{s}\">",
            attr(&suite.name)
        );
        if !suite.properties.is_empty() {
            out.push_str("    <properties>\n");
            for (k, v) in &suite.properties {
                let _ = writeln!(
                    out,
                    "      <property name=\"{}\" value=\"{}\"/>",
                    attr(k),
                    attr(v)
                );
            }
            out.push_str("    </properties>\n");
        }
        for case in &suite.cases {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\"",
                attr(&case.classname),
                attr(&case.name)
            );
            if case.outcome == Outcome::Passed && case.output.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            match &case.outcome {
                Outcome::Passed => {}
                Outcome::Failure {
                    message,
                    kind,
                    text: body,
                } => {
                    let _ = writeln!(
                        out,
                        "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                        attr(message),
                        attr(kind),
                        text(body)
                    );
                }
                Outcome::Error {
                    message,
                    text: body,
                } => {
                    let _ = writeln!(
                        out,
                        "      <error message=\"{}\">{}</error>",
                        attr(message),
                        text(body)
                    );
                }
                Outcome::Skipped { message } => {
                    let _ = writeln!(out, "      <skipped message=\"{}\"/>", attr(message));
                }
            }
            if !case.output.is_empty() {
                let _ = writeln!(out, "      <system-out>{}</system-out>", text(&case.output));
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// `s` escaped for element content: `&`, `<`, `>`, quotes, and the characters XML 1.0 does not
/// allow (most control characters) written as `\u{..}`.
pub fn text(s: &str) -> String {
    escape(s, false)
}

/// `s` escaped for an attribute value in double quotes; line breaks and tabs as character
/// references, which attribute-value normalization keeps.
pub fn attr(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' | '\t' if attribute => {
                let _ = write!(out, "&#{};", c as u32);
            }
            '\n' | '\t' => out.push(c),
            c if !xml_char(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// A character XML 1.0 allows in a document.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
        || matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Checks that `xml` is a well-formed document, as far as the reports need: an optional XML
/// declaration, comments, one root element, start/end tags that nest and match, quoted
/// attributes (each name once per element), entity and character references that exist, and
/// only characters XML allows. The first fault, with its byte offset.
pub fn well_formed(xml: &str) -> Result<(), String> {
    let b = xml.as_bytes();
    let mut at = 0;
    if xml.starts_with("<?xml") {
        at = xml.find("?>").ok_or("unterminated XML declaration")? + 2;
    }
    let mut stack: Vec<&str> = Vec::new();
    let mut roots = 0;
    let fault = |at: usize, what: &str| Err(format!("at byte {at}: {what}"));
    while at < b.len() {
        if b[at] != b'<' {
            // Character data up to the next tag.
            let end = xml[at..].find('<').map_or(b.len(), |n| at + n);
            let chunk = &xml[at..end];
            if stack.is_empty() && !chunk.trim().is_empty() {
                return fault(at, "text outside the root element");
            }
            if chunk.contains("]]>") {
                return fault(at, "`]]>` in text");
            }
            references(chunk).map_err(|e| format!("at byte {at}: {e}"))?;
            at = end;
            continue;
        }
        let rest = &xml[at..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").ok_or("unterminated comment")?;
            at += end + 3;
            continue;
        }
        if let Some(tag) = rest.strip_prefix("</") {
            let end = tag.find('>').ok_or("unterminated end tag")?;
            let name = tag[..end].trim_end();
            match stack.pop() {
                Some(open) if open == name => {}
                Some(open) => return fault(at, &format!("`</{name}>` closes `<{open}>`")),
                None => return fault(at, &format!("`</{name}>` closes nothing")),
            }
            at += 2 + end + 1;
            continue;
        }
        // A start tag or an empty-element tag.
        let mut i = at + 1;
        let name_end = xml[i..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map(|n| i + n)
            .ok_or("unterminated tag")?;
        let name = &xml[i..name_end];
        if !is_name(name) {
            return fault(at, &format!("bad element name `{name}`"));
        }
        if stack.is_empty() {
            roots += 1;
            if roots > 1 {
                return fault(at, "a second root element");
            }
        }
        i = name_end;
        let mut attributes: Vec<&str> = Vec::new();
        let empty = loop {
            while i < b.len() && (b[i] as char).is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                None => return fault(at, "unterminated tag"),
                Some(b'>') => break false,
                Some(b'/') if b.get(i + 1) == Some(&b'>') => break true,
                _ => {}
            }
            if i > 0 && !(b[i - 1] as char).is_ascii_whitespace() {
                return fault(i, "no space before an attribute");
            }
            let eq = xml[i..]
                .find('=')
                .map(|n| i + n)
                .ok_or("attribute without `=`")?;
            let attribute = xml[i..eq].trim_end();
            if !is_name(attribute) {
                return fault(i, &format!("bad attribute name `{attribute}`"));
            }
            if attributes.contains(&attribute) {
                return fault(i, &format!("attribute `{attribute}` twice"));
            }
            attributes.push(attribute);
            let q = eq + 1 + xml[eq + 1..].len() - xml[eq + 1..].trim_start().len();
            let quote = match b.get(q) {
                Some(&c @ (b'"' | b'\'')) => c as char,
                _ => return fault(q, "unquoted attribute value"),
            };
            let close = xml[q + 1..]
                .find(quote)
                .map(|n| q + 1 + n)
                .ok_or("unterminated attribute value")?;
            let value = &xml[q + 1..close];
            if value.contains('<') {
                return fault(q, "`<` in an attribute value");
            }
            references(value).map_err(|e| format!("at byte {q}: {e}"))?;
            i = close + 1;
        };
        if !empty {
            stack.push(name);
        }
        at = i + if empty { 2 } else { 1 };
    }
    if let Some(open) = stack.last() {
        return Err(format!("`<{open}>` is not closed"));
    }
    if roots == 0 {
        return Err("no root element".into());
    }
    Ok(())
}

/// Checks the characters and the `&...;` references of text or an attribute value.
fn references(s: &str) -> Result<(), String> {
    if let Some(c) = s.chars().find(|&c| !xml_char(c)) {
        return Err(format!("character U+{:04X} is not allowed", c as u32));
    }
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        let end = rest[at..]
            .find(';')
            .ok_or("`&` without `;`: not a reference")?;
        let name = &rest[at + 1..at + end];
        let ok = match name.strip_prefix('#') {
            Some(n) => {
                let code = match n.strip_prefix('x') {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                };
                code.and_then(char::from_u32).is_some_and(xml_char)
            }
            None => matches!(name, "amp" | "lt" | "gt" | "quot" | "apos"),
        };
        if !ok {
            return Err(format!("`&{name};` is not a reference XML defines"));
        }
        rest = &rest[at + end + 1..];
    }
    Ok(())
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_control_characters() {
        assert_eq!(
            text("a<b>&\"c\"'d'\u{1b}[0m\n"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;\\u{1b}[0m\n"
        );
        assert_eq!(attr("x\ny\tz\r\0"), "x&#10;y&#9;z&#13;\\u{0}");
        assert_eq!(text("ünïcödé ✓"), "ünïcödé ✓");
    }

    #[test]
    fn a_report_is_well_formed_and_counts_its_outcomes() {
        let case = |name: &str, outcome| TestCase {
            classname: "topic".into(),
            name: name.into(),
            outcome,
            output: String::new(),
        };
        let suite = TestSuite {
            name: "my \"linker\" <1>".into(),
            properties: vec![("reference".into(), "rust-lld: LLD 22 & co".into())],
            cases: vec![
                case("ok.wat", Outcome::Passed),
                case(
                    "bad.wat",
                    Outcome::Failure {
                        message: "equivalent: func[a<b>].body".into(),
                        kind: "different module only".into(),
                        text: "func[a<b>].body: i32.const 1 vs i32.const 2\n\u{7}bell".into(),
                    },
                ),
                case(
                    "trouble.wat",
                    Outcome::Error {
                        message: "cannot run ]]> &".into(),
                        text: "]]>".into(),
                    },
                ),
                TestCase {
                    output: "ignored by --ignore: memory.initial".into(),
                    ..case(
                        "n/a.wat",
                        Outcome::Skipped {
                            message: "'x'".into(),
                        },
                    )
                },
            ],
        };
        let xml = render("touchstone conformance", &[suite]);
        well_formed(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        assert!(xml.contains(
            "<testsuite name=\"my &quot;linker&quot; &lt;1&gt;\" tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\">"
        ), "{xml}");
        assert!(
            xml.contains("<failure message=\"equivalent: func[a&lt;b&gt;].body\""),
            "{xml}"
        );
        assert!(xml.contains("<testcase classname=\"topic\" name=\"ok.wat\"/>"));
    }

    #[test]
    fn the_checker_finds_faults() {
        for bad in [
            "",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "text<a/>",
            "<a x=1/>",
            "<a x=\"1\" x=\"2\"/>",
            "<a x=\"<\"/>",
            "<a>&nbsp;</a>",
            "<a>& </a>",
            "<a>\u{1}</a>",
            "<a>]]></a>",
            "<a x=\"1\"y=\"2\"/>",
            "</a>",
        ] {
            assert!(well_formed(bad).is_err(), "{bad:?} passed");
        }
        for good in [
            "<a/>",
            "<?xml version=\"1.0\"?>\n<a x='1' y=\"&#10;&amp;\"><!-- c --><b>t &lt; &#x41;</b></a>\n",
        ] {
            well_formed(good).unwrap_or_else(|e| panic!("{good:?}: {e}"));
        }
    }
}
