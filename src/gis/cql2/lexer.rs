//! Splits filter text into tokens, each with the byte offset where it starts.

use super::{CmpOp, ParseError};

/// One lexical unit of CQL2 text.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok<'t> {
    /// A bare word: a keyword, an operator or function name, or a property name.
    Word(&'t str),
    /// A `"double-quoted"` property name, with `""` unescaped.
    Quoted(String),
    /// A `'single-quoted'` string, with `''` unescaped.
    Str(String),
    /// A numeric literal as written, sign included.
    Number(&'t str),
    LParen,
    RParen,
    Comma,
    Cmp(CmpOp),
    /// The end of the text; always the last token.
    Eof,
}

/// A token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token<'t> {
    pub tok: Tok<'t>,
    pub pos: usize,
}

impl Tok<'_> {
    /// How an error message names this token.
    pub(super) fn describe(&self) -> String {
        match self {
            Tok::Word(w) | Tok::Number(w) => format!("'{}'", clip(w)),
            Tok::Quoted(s) => format!("\"{}\"", clip(s)),
            Tok::Str(s) => format!("the string '{}'", clip(s)),
            Tok::LParen => "'('".to_owned(),
            Tok::RParen => "')'".to_owned(),
            Tok::Comma => "','".to_owned(),
            Tok::Cmp(op) => format!("'{}'", op.sql()),
            Tok::Eof => "the end of the filter".to_owned(),
        }
    }
}

/// Shortens user text quoted back in a message.
fn clip(s: &str) -> String {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", s.get(..at).unwrap_or_default()),
        None => s.to_owned(),
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':' || (!c.is_ascii() && c.is_alphabetic())
}

fn is_ident_part(c: char) -> bool {
    is_ident_start(c) || c.is_ascii_digit() || c == '.'
}

/// Tokenizes the whole text, ending with [`Tok::Eof`].
pub(super) fn tokenize(text: &str) -> Result<Vec<Token<'_>>, ParseError> {
    let mut lexer = Lexer { text, at: 0 };
    let mut tokens = Vec::new();
    loop {
        let token = lexer.next_token()?;
        let done = token.tok == Tok::Eof;
        tokens.push(token);
        if done {
            return Ok(tokens);
        }
    }
}

struct Lexer<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Lexer<'t> {
    fn peek_at(&self, offset: usize) -> Option<char> {
        self.text.get(self.at..)?.chars().nth(offset)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek_at(0)?;
        self.at += c.len_utf8();
        Some(c)
    }

    fn slice(&self, start: usize) -> &'t str {
        self.text.get(start..self.at).unwrap_or_default()
    }

    fn next_token(&mut self) -> Result<Token<'t>, ParseError> {
        while self.peek_at(0).is_some_and(char::is_whitespace) {
            self.bump();
        }
        let pos = self.at;
        let Some(c) = self.peek_at(0) else {
            return Ok(Token { tok: Tok::Eof, pos });
        };
        let tok = match c {
            '(' | ')' | ',' | '=' => {
                self.bump();
                match c {
                    '(' => Tok::LParen,
                    ')' => Tok::RParen,
                    ',' => Tok::Comma,
                    _ => Tok::Cmp(CmpOp::Eq),
                }
            }
            '<' | '>' => self.comparison(c),
            '\'' => Tok::Str(self.quoted('\'', "string")?),
            '"' => {
                let name = self.quoted('"', "property name")?;
                if name.is_empty() {
                    return Err(ParseError::new(pos, "empty quoted property name"));
                }
                Tok::Quoted(name)
            }
            _ if self.starts_number() => self.number()?,
            _ if is_ident_start(c) => {
                while self.peek_at(0).is_some_and(is_ident_part) {
                    self.bump();
                }
                Tok::Word(self.slice(pos))
            }
            _ => {
                return Err(ParseError::new(
                    pos,
                    format!("unexpected character '{}'", c.escape_debug()),
                ))
            }
        };
        Ok(Token { tok, pos })
    }

    fn comparison(&mut self, first: char) -> Tok<'t> {
        self.bump();
        let op = match (first, self.peek_at(0)) {
            ('<', Some('=')) => CmpOp::Le,
            ('<', Some('>')) => CmpOp::Ne,
            ('>', Some('=')) => CmpOp::Ge,
            ('<', _) => return Tok::Cmp(CmpOp::Lt),
            _ => return Tok::Cmp(CmpOp::Gt),
        };
        self.bump();
        Tok::Cmp(op)
    }

    /// Reads a literal delimited by `quote`, where a doubled quote stands for one.
    fn quoted(&mut self, quote: char, what: &str) -> Result<String, ParseError> {
        let start = self.at;
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                Some(c) if c == quote => {
                    if self.peek_at(0) == Some(quote) {
                        self.bump();
                        out.push(quote);
                    } else {
                        return Ok(out);
                    }
                }
                Some(c) => out.push(c),
                None => return Err(ParseError::new(start, format!("unterminated {what}"))),
            }
        }
    }

    fn starts_number(&self) -> bool {
        let digit = |i| self.peek_at(i).is_some_and(|c: char| c.is_ascii_digit());
        let unsigned_at = |i| digit(i) || (self.peek_at(i) == Some('.') && digit(i + 1));
        match self.peek_at(0) {
            Some('+' | '-') => unsigned_at(1),
            _ => unsigned_at(0),
        }
    }

    /// `[sign] (digits [. [digits]] | . digits) [E [sign] digits]`.
    fn number(&mut self) -> Result<Tok<'t>, ParseError> {
        let start = self.at;
        let digits = |lx: &mut Self| {
            while lx.peek_at(0).is_some_and(|c| c.is_ascii_digit()) {
                lx.bump();
            }
        };
        if matches!(self.peek_at(0), Some('+' | '-')) {
            self.bump();
        }
        digits(self);
        if self.peek_at(0) == Some('.') {
            self.bump();
            digits(self);
        }
        if matches!(self.peek_at(0), Some('e' | 'E')) {
            let signed = matches!(self.peek_at(1), Some('+' | '-'));
            let first_digit = if signed { 2 } else { 1 };
            if self
                .peek_at(first_digit)
                .is_some_and(|c| c.is_ascii_digit())
            {
                self.bump();
                if signed {
                    self.bump();
                }
                digits(self);
            }
        }
        if self.peek_at(0).is_some_and(is_ident_part) {
            return Err(ParseError::new(start, "malformed number"));
        }
        Ok(Tok::Number(self.slice(start)))
    }
}
