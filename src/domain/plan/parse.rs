//! Reads the plan's table as published: each cell starts on a line with a tab, and the lines
//! after it without one (blank lines too) continue it. A row is six cells (序号, 重点任务,
//! 工作措施, 完成时限, 牵头单位, 责任单位); a section heading (`二、…`) is one cell on its own.
//! A further measure of a task leaves number and title empty, or repeats both.

use super::unit::split_units;
use super::{Deadline, Measure, Plan, Task, Unit};

/// Why the text is not a plan, with the 1-based line where it went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("plan text, line {line}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

fn fail<T>(line: usize, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        line,
        message: message.into(),
    })
}

const HEADER: [&str; 6] = [
    "序号",
    "重点任务",
    "工作措施",
    "完成时限",
    "牵头单位",
    "责任单位",
];

/// One table cell: where it starts and its lines.
struct Cell<'a> {
    line: usize,
    lines: Vec<&'a str>,
}

impl Cell<'_> {
    /// The text with all whitespace removed (titles are broken over lines and blank lines).
    fn compact(&self) -> String {
        self.lines
            .iter()
            .flat_map(|l| l.chars())
            .filter(|c| !c.is_whitespace())
            .collect()
    }

    /// The non-blank lines, trimmed, one per line.
    fn paragraphs(&self) -> String {
        self.lines
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The lines before the table, and the table's cells.
fn cells(text: &str) -> (Vec<&str>, Vec<Cell<'_>>) {
    let mut preamble = Vec::new();
    let mut cells: Vec<Cell> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(rest) = line.strip_prefix('\t') {
            cells.push(Cell {
                line: i + 1,
                lines: vec![rest],
            });
        } else if let Some(cell) = cells.last_mut() {
            cell.lines.push(line);
        } else {
            preamble.push(line);
        }
    }
    (preamble, cells)
}

/// The year in the title, `…2023年行动计划`.
fn year_of(preamble: &[&str]) -> Option<i32> {
    preamble.iter().find_map(|line| {
        let head = &line[..line.find("年行动计划")?];
        let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        (digits == 4).then(|| head[head.len() - 4..].parse().ok())?
    })
}

/// The number of a section heading `一、…` … `十九、…`.
fn section_number(heading: &str) -> Option<u32> {
    let (numeral, _) = heading.split_once('、')?;
    let digit = |c: char| "一二三四五六七八九".find(c).map(|i| i as u32 / 3 + 1);
    let chars: Vec<char> = numeral.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        ['十', d] => Some(10 + digit(*d)?),
        [d] => digit(*d),
        _ => None,
    }
}

fn measure(cells: &[Cell]) -> Result<Measure, ParseError> {
    let [text, deadline, lead, responsible] = cells else {
        return fail(cells.first().map_or(0, |c| c.line), "a row needs six cells");
    };
    let body = text.paragraphs();
    if body.is_empty() {
        return fail(text.line, "a measure without text");
    }
    let wording = deadline.compact();
    let Some(deadline_kind) = Deadline::parse(&wording) else {
        return fail(
            deadline.line,
            format!("unknown deadline wording '{wording}' (expected 年底前 or 长期实施)"),
        );
    };
    let units = |c: &Cell| -> Vec<Unit> {
        split_units(&c.lines.join("\n"))
            .iter()
            .map(|n| Unit::named(n))
            .collect()
    };
    let lead_units = units(lead);
    if lead_units.is_empty() {
        return fail(lead.line, "a measure without a lead unit");
    }
    Ok(Measure {
        text: body,
        deadline: deadline_kind,
        lead: lead_units,
        responsible: units(responsible),
    })
}

/// Parses the plan's text into its numbered tasks. Numbers must run 1, 2, 3, … and sections
/// 一, 二, 三, …; every task sits under a section and has at least one measure.
pub fn parse(text: &str) -> Result<Plan, ParseError> {
    let (preamble, cells) = cells(text);
    let Some(year) = year_of(&preamble) else {
        return fail(1, "no plan year (…YYYY年行动计划) above the table");
    };
    let mut cells = cells.into_iter();
    let header: Vec<Cell> = cells.by_ref().take(HEADER.len()).collect();
    let header_line = header.first().map_or(preamble.len() + 1, |c| c.line);
    if header.len() != HEADER.len() || header.iter().zip(HEADER).any(|(c, h)| c.compact() != h) {
        return fail(header_line, format!("the table must start with {HEADER:?}"));
    }
    let mut section: Option<(u32, String)> = None;
    let mut tasks: Vec<Task> = Vec::new();
    while let Some(first) = cells.next() {
        let no = first.compact();
        if let Some(n) = section_number(&no) {
            let expected = section.as_ref().map_or(1, |(k, _)| k + 1);
            if n != expected {
                return fail(
                    first.line,
                    format!("section {n} out of order: expected {expected}"),
                );
            }
            section = Some((n, no));
            continue;
        }
        let rest: Vec<Cell> = cells.by_ref().take(HEADER.len() - 1).collect();
        let [title_cell, measure_cells @ ..] = rest.as_slice() else {
            return fail(first.line, "a row needs six cells");
        };
        let measure = measure(measure_cells)?;
        let title = title_cell.compact();
        if no.is_empty() {
            if !title.is_empty() {
                return fail(first.line, format!("task title '{title}' without a number"));
            }
            let Some(task) = tasks.last_mut() else {
                return fail(first.line, "a measure before the first task");
            };
            task.measures.push(measure);
            continue;
        }
        let Some(n) = no.parse::<i16>().ok().filter(|n| (1..=99).contains(n)) else {
            return fail(first.line, format!("task number '{no}' is not 1–99"));
        };
        let last = tasks.last().map(|t| (t.no, t.title.clone()));
        match last {
            Some((k, ref known)) if k == n => {
                if !title.is_empty() && &title != known {
                    return fail(
                        first.line,
                        format!("task {n} repeated with another title '{title}'"),
                    );
                }
                if let Some(task) = tasks.last_mut() {
                    task.measures.push(measure);
                }
            }
            _ => {
                let expected = last.map_or(1, |(k, _)| k + 1);
                if n != expected {
                    return fail(
                        first.line,
                        format!("task {n} out of order: expected {expected}"),
                    );
                }
                if title.is_empty() {
                    return fail(first.line, format!("task {n} without a title"));
                }
                let Some((_, heading)) = &section else {
                    return fail(first.line, format!("task {n} before any section heading"));
                };
                tasks.push(Task {
                    no: n,
                    section: heading.clone(),
                    title,
                    measures: vec![measure],
                });
            }
        }
    }
    if tasks.is_empty() {
        return fail(header_line, "the table has no tasks");
    }
    Ok(Plan { year, tasks })
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
