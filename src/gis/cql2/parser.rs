//! Recursive descent over the tokens: boolean structure, predicates, literals.
//!
//! Precedence is NOT > AND > OR. Every recursion goes through [`Parser::enter`],
//! so nesting is bounded by [`super::MAX_DEPTH`] whatever the input.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use super::lexer::{Tok, Token};
use super::{Expr, Limits, Literal, ParseError, SpatialOp};

/// Words that cannot be bare property names (quote them to use them as such).
const RESERVED: [&str; 10] = [
    "AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS", "NULL", "TRUE", "FALSE",
];

/// Parser state: the tokens, the cursor, and the running limits.
pub(super) struct Parser<'t> {
    pub(super) tokens: Vec<Token<'t>>,
    pub(super) at: usize,
    pub(super) depth: usize,
    /// Positions read so far across all geometry literals.
    pub(super) coordinates: usize,
    /// Byte length of the text, the position of a missing token at the end.
    pub(super) end: usize,
    pub(super) limits: Limits,
}

pub(super) fn is_kw(tok: &Tok<'_>, kw: &str) -> bool {
    matches!(tok, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
}

impl<'t> Parser<'t> {
    pub(super) fn new(tokens: Vec<Token<'t>>, end: usize, limits: Limits) -> Self {
        Parser {
            tokens,
            at: 0,
            depth: 0,
            coordinates: 0,
            end,
            limits,
        }
    }

    /// The whole filter: one boolean expression and nothing after it.
    pub(super) fn filter(mut self) -> Result<Expr, ParseError> {
        let expr = self.or_expr()?;
        match self.peek() {
            Tok::Eof => Ok(expr),
            Tok::RParen => Err(self.error_here("unmatched ')'")),
            other => {
                let msg = format!("unexpected {} after a complete condition", other.describe());
                Err(self.error_here(msg))
            }
        }
    }

    pub(super) fn peek(&self) -> &Tok<'t> {
        self.peek_nth(0)
    }

    pub(super) fn peek_nth(&self, n: usize) -> &Tok<'t> {
        self.tokens.get(self.at + n).map_or(&Tok::Eof, |t| &t.tok)
    }

    pub(super) fn pos(&self) -> usize {
        self.tokens.get(self.at).map_or(self.end, |t| t.pos)
    }

    pub(super) fn advance(&mut self) -> Tok<'t> {
        match self.tokens.get(self.at) {
            Some(t) => {
                self.at += 1;
                t.tok.clone()
            }
            None => Tok::Eof,
        }
    }

    pub(super) fn error_here(&self, message: impl Into<String>) -> ParseError {
        ParseError::new(self.pos(), message)
    }

    /// An error naming what was expected and what was found instead.
    pub(super) fn expected(&self, what: &str) -> ParseError {
        self.error_here(format!("expected {what}, found {}", self.peek().describe()))
    }

    pub(super) fn eat(&mut self, tok: &Tok<'_>) -> bool {
        let hit = self.peek() == tok;
        if hit {
            self.at += 1;
        }
        hit
    }

    pub(super) fn eat_kw(&mut self, kw: &str) -> bool {
        let hit = is_kw(self.peek(), kw);
        if hit {
            self.at += 1;
        }
        hit
    }

    pub(super) fn expect(&mut self, tok: &Tok<'_>, what: &str) -> Result<(), ParseError> {
        if self.eat(tok) {
            Ok(())
        } else {
            Err(self.expected(what))
        }
    }

    /// Goes one level deeper, refusing past the depth limit.
    pub(super) fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        let max = self.limits.depth;
        if self.depth > max {
            return Err(self.error_here(format!("filter is nested deeper than {max} levels")));
        }
        Ok(())
    }

    pub(super) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn or_expr(&mut self) -> Result<Expr, ParseError> {
        let mut terms = vec![self.and_expr()?];
        while self.eat_kw("OR") {
            terms.push(self.and_expr()?);
        }
        Ok(one_or(terms, Expr::Or))
    }

    fn and_expr(&mut self) -> Result<Expr, ParseError> {
        let mut terms = vec![self.not_expr()?];
        while self.eat_kw("AND") {
            terms.push(self.not_expr()?);
        }
        Ok(one_or(terms, Expr::And))
    }

    fn not_expr(&mut self) -> Result<Expr, ParseError> {
        if !is_kw(self.peek(), "NOT") {
            return self.primary();
        }
        self.enter()?;
        self.advance();
        let inner = self.not_expr()?;
        self.leave();
        Ok(Expr::Not(Box::new(inner)))
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        let tok = self.peek().clone();
        match tok {
            Tok::LParen => {
                let open = self.pos();
                self.enter()?;
                self.advance();
                let inner = self.or_expr()?;
                if !self.eat(&Tok::RParen) {
                    let found = self.peek().describe();
                    return Err(self.error_here(format!(
                        "expected ')' to close the '(' at byte {open}, found {found}"
                    )));
                }
                self.leave();
                Ok(inner)
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("TRUE") || w.eq_ignore_ascii_case("FALSE") => {
                self.advance();
                Ok(Expr::Bool(w.eq_ignore_ascii_case("TRUE")))
            }
            Tok::Word(w) if *self.peek_nth(1) == Tok::LParen => match SpatialOp::from_keyword(w) {
                Some(op) => self.spatial(op),
                None => Err(self.error_here(format!("unsupported function '{w}'"))),
            },
            Tok::Word(_) | Tok::Quoted(_) => {
                let prop = self.property()?;
                self.predicate(prop)
            }
            _ => Err(self.expected("a condition")),
        }
    }

    /// A property name: a non-reserved bare word or a quoted name.
    pub(super) fn property(&mut self) -> Result<String, ParseError> {
        match self.peek().clone() {
            Tok::Word(w) if !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(w)) => {
                self.advance();
                Ok(w.to_owned())
            }
            Tok::Quoted(name) => {
                self.advance();
                Ok(name)
            }
            _ => Err(self.expected("a property name")),
        }
    }

    fn predicate(&mut self, prop: String) -> Result<Expr, ParseError> {
        if let Tok::Cmp(op) = *self.peek() {
            self.advance();
            let value = self.literal()?;
            return Ok(Expr::Compare { prop, op, value });
        }
        if self.eat_kw("IS") {
            let negated = self.eat_kw("NOT");
            if !self.eat_kw("NULL") {
                return Err(self.expected("NULL"));
            }
            return Ok(Expr::IsNull { prop, negated });
        }
        let negated = self.eat_kw("NOT");
        if self.eat_kw("LIKE") {
            let pattern = self.like_pattern()?;
            Ok(Expr::Like {
                prop,
                pattern,
                negated,
            })
        } else if self.eat_kw("BETWEEN") {
            let low = self.literal()?;
            if !self.eat_kw("AND") {
                return Err(self.expected("AND"));
            }
            let high = self.literal()?;
            Ok(Expr::Between {
                prop,
                low,
                high,
                negated,
            })
        } else if self.eat_kw("IN") {
            self.expect(&Tok::LParen, "'(' to open the IN list")?;
            let mut values = vec![self.literal()?];
            while self.eat(&Tok::Comma) {
                values.push(self.literal()?);
            }
            self.expect(&Tok::RParen, "',' or ')' in the IN list")?;
            Ok(Expr::In {
                prop,
                values,
                negated,
            })
        } else if negated {
            Err(self.expected("LIKE, BETWEEN or IN after NOT"))
        } else {
            Err(self.expected(&format!("an operator after property '{prop}'")))
        }
    }

    /// A LIKE pattern: a string that does not end in a lone escape character.
    fn like_pattern(&mut self) -> Result<String, ParseError> {
        let pos = self.pos();
        let Tok::Str(pattern) = self.peek().clone() else {
            return Err(self.expected("a quoted pattern after LIKE"));
        };
        let trailing = pattern.chars().rev().take_while(|&c| c == '\\').count();
        if trailing % 2 == 1 {
            return Err(ParseError::new(
                pos,
                "LIKE pattern ends with an escape character",
            ));
        }
        self.advance();
        Ok(pattern)
    }

    /// A scalar literal: string, number, boolean, `DATE('…')` or `TIMESTAMP('…')`.
    pub(super) fn literal(&mut self) -> Result<Literal, ParseError> {
        let pos = self.pos();
        match self.peek().clone() {
            Tok::Str(s) => {
                self.advance();
                Ok(Literal::Text(s))
            }
            Tok::Number(n) => {
                self.advance();
                number_literal(n, pos)
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("TRUE") || w.eq_ignore_ascii_case("FALSE") => {
                self.advance();
                Ok(Literal::Bool(w.eq_ignore_ascii_case("TRUE")))
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("DATE") => {
                let (s, at) = self.instant_argument()?;
                let format = format_description!("[year]-[month]-[day]");
                time::Date::parse(&s, format)
                    .map(Literal::Date)
                    .map_err(|_| ParseError::new(at, "invalid date: expected 'YYYY-MM-DD'"))
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("TIMESTAMP") => {
                let (s, at) = self.instant_argument()?;
                time::OffsetDateTime::parse(&s, &Rfc3339)
                    .map(Literal::Timestamp)
                    .map_err(|_| {
                        ParseError::new(
                            at,
                            "invalid timestamp: expected RFC 3339, e.g. '2023-06-30T12:00:00Z'",
                        )
                    })
            }
            _ => Err(self.expected("a literal value")),
        }
    }

    /// The `('…')` after DATE or TIMESTAMP: the string and its position.
    fn instant_argument(&mut self) -> Result<(String, usize), ParseError> {
        self.advance();
        self.expect(&Tok::LParen, "'('")?;
        let at = self.pos();
        let Tok::Str(s) = self.peek().clone() else {
            return Err(self.expected("a quoted date or time"));
        };
        self.advance();
        self.expect(&Tok::RParen, "')'")?;
        Ok((s, at))
    }
}

/// A single term stands alone; several are joined by `join`.
fn one_or(mut terms: Vec<Expr>, join: fn(Vec<Expr>) -> Expr) -> Expr {
    if terms.len() == 1 {
        if let Some(only) = terms.pop() {
            return only;
        }
    }
    join(terms)
}

/// An integer if it is written as one and fits `i64`, otherwise a finite `f64`.
fn number_literal(text: &str, pos: usize) -> Result<Literal, ParseError> {
    let integral = !text.contains(['.', 'e', 'E']);
    if integral {
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Literal::Integer(i));
        }
    }
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(Literal::Number(f)),
        _ => Err(ParseError::new(
            pos,
            format!("number '{text}' is out of range"),
        )),
    }
}
