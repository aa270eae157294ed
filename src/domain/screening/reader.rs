//! A strict reader for the embedded CSV tables: RFC 4180 quoting (fields with
//! commas, doubled quotes, line breaks), LF or CRLF line ends, an optional BOM.
//! Strict because a table that reads wrongly would screen wrongly: a malformed
//! line is an error, not a skipped row.

use std::borrow::Cow;

/// One data record and the 1-based line it starts on.
#[derive(Debug)]
pub(super) struct Record<'a> {
    pub line: usize,
    pub fields: Vec<Cow<'a, str>>,
}

impl<'a> Record<'a> {
    /// The trimmed text of field `i`, borrowed from the table text.
    ///
    /// A field with doubled quotes had to be unescaped into a new string and
    /// cannot borrow; the standards hold none, so that is refused rather than
    /// leaked into a `'static` string.
    pub fn text(&self, i: usize, column: &str) -> Result<&'a str, String> {
        match self.fields.get(i) {
            Some(Cow::Borrowed(s)) => {
                let s: &'a str = s;
                let s = s.trim();
                if s.is_empty() {
                    Err(format!("line {}: {column} is empty", self.line))
                } else {
                    Ok(s)
                }
            }
            Some(Cow::Owned(_)) => Err(format!(
                "line {}: {column} contains an escaped quote, which the tables do not use",
                self.line
            )),
            None => Err(format!("line {}: no {column}", self.line)),
        }
    }

    /// Like [`Record::text`], but an empty field is `None`.
    pub fn optional_text(&self, i: usize, column: &str) -> Result<Option<&'a str>, String> {
        match self.fields.get(i) {
            Some(f) if f.trim().is_empty() => Ok(None),
            _ => self.text(i, column).map(Some),
        }
    }

    /// Field `i` as a concentration: a finite number greater than zero.
    pub fn concentration(&self, i: usize, column: &str) -> Result<f64, String> {
        let text = self.fields.get(i).map_or("", |f| f.trim());
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
            _ => Err(format!(
                "line {}: {column} '{text}' is not a positive number",
                self.line
            )),
        }
    }
}

/// Reads a table whose first record must be exactly `header`, and whose every
/// other record must have as many fields. Blank lines are skipped.
pub(super) fn read<'a>(text: &'a str, header: &[&str]) -> Result<Vec<Record<'a>>, String> {
    let mut records = parse(text)?.into_iter();
    let first = records.next().ok_or("the table is empty")?;
    let found: Vec<&str> = first.fields.iter().map(|f| f.trim()).collect();
    if found != header {
        return Err(format!(
            "line {}: the header is '{}', expected '{}'",
            first.line,
            found.join(","),
            header.join(",")
        ));
    }
    let rows: Vec<Record<'a>> = records.collect();
    if let Some(bad) = rows.iter().find(|r| r.fields.len() != header.len()) {
        return Err(format!(
            "line {}: {} fields, expected {}",
            bad.line,
            bad.fields.len(),
            header.len()
        ));
    }
    Ok(rows)
}

fn parse(text: &str) -> Result<Vec<Record<'_>>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut cursor = Cursor {
        text,
        pos: 0,
        line: 1,
    };
    let mut records = Vec::new();
    while cursor.pos < text.len() {
        let line = cursor.line;
        let fields = cursor.record()?;
        let blank = matches!(fields.as_slice(), [only] if only.trim().is_empty());
        if !blank {
            records.push(Record { line, fields });
        }
    }
    Ok(records)
}

/// Scans bytes: the delimiters are ASCII, so every position where it stops is
/// a character boundary of the UTF-8 text.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.text.as_bytes().get(self.pos + ahead).copied()
    }

    fn record(&mut self) -> Result<Vec<Cow<'a, str>>, String> {
        let mut fields = Vec::new();
        loop {
            let field = if self.peek(0) == Some(b'"') {
                self.quoted()?
            } else {
                self.plain()?
            };
            fields.push(field);
            match (self.peek(0), self.peek(1)) {
                (Some(b','), _) => self.pos += 1,
                (Some(b'\n'), _) => {
                    self.pos += 1;
                    self.line += 1;
                    return Ok(fields);
                }
                (Some(b'\r'), Some(b'\n')) => {
                    self.pos += 2;
                    self.line += 1;
                    return Ok(fields);
                }
                (None, _) => return Ok(fields),
                _ => {
                    return Err(format!(
                        "line {}: a field must end at a comma or the end of the line",
                        self.line
                    ))
                }
            }
        }
    }

    fn plain(&mut self) -> Result<Cow<'a, str>, String> {
        let start = self.pos;
        while let Some(b) = self.peek(0) {
            match b {
                b',' | b'\n' | b'\r' => break,
                b'"' => {
                    return Err(format!(
                        "line {}: a quote inside an unquoted field",
                        self.line
                    ))
                }
                _ => self.pos += 1,
            }
        }
        Ok(Cow::Borrowed(&self.text[start..self.pos]))
    }

    fn quoted(&mut self) -> Result<Cow<'a, str>, String> {
        let opened = self.line;
        self.pos += 1;
        let mut start = self.pos;
        let mut unescaped: Option<String> = None;
        loop {
            match (self.peek(0), self.peek(1)) {
                (None, _) => return Err(format!("line {opened}: a quoted field is never closed")),
                (Some(b'"'), Some(b'"')) => {
                    // Keep one quote of the pair.
                    unescaped
                        .get_or_insert_with(String::new)
                        .push_str(&self.text[start..=self.pos]);
                    self.pos += 2;
                    start = self.pos;
                }
                (Some(b'"'), _) => break,
                (Some(b'\n'), _) => {
                    self.line += 1;
                    self.pos += 1;
                }
                _ => self.pos += 1,
            }
        }
        let tail = &self.text[start..self.pos];
        self.pos += 1;
        Ok(match unescaped {
            None => Cow::Borrowed(tail),
            Some(mut s) => {
                s.push_str(tail);
                Cow::Owned(s)
            }
        })
    }
}
