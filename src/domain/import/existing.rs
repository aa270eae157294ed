//! What becomes of a feature whose code names a parcel already in the register: the rule
//! apart from the SQL that compares the two (`db::imports`).

use super::report::{Problem, ProblemKind};

/// A registered parcel a feature names, as the checks compared them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Compared {
    /// Every attribute the file has a filled cell for is the parcel's.
    pub same_attributes: bool,
    pub same_boundary: bool,
    pub retired: bool,
    /// The file changes the land right, and the parcel's land events decide it.
    pub changes_event_land_right: bool,
}

/// The feature's fate.
#[derive(Debug, Clone, PartialEq)]
pub enum Fate {
    /// The register has it as the file has it: nothing to write.
    Unchanged,
    /// Not written: why.
    Refused(Problem),
    /// Written over the parcel; `new_boundary` when the boundary changes too.
    Update { new_boundary: bool },
}

/// The fate of a feature naming parcel `code`, when the import was (`update`) or was not
/// asked to update parcels. Unchanged is unchanged either way; otherwise, without updates,
/// the code is taken; with them, a retired parcel and a land right its events decide are
/// not updatable, as they are not by an edit.
pub fn fate(code: &str, c: Compared, update: bool) -> Fate {
    let what = match (c.same_attributes, c.same_boundary) {
        (true, true) => return Fate::Unchanged,
        (false, false) => "other attributes and another boundary",
        (false, true) => "other attributes",
        (true, false) => "another boundary",
    };
    let refused = |kind, reason, message: String| {
        Fate::Refused(Problem {
            code: reason,
            ..Problem::new(kind, message)
        })
    };
    if !update {
        refused(
            ProblemKind::CodeTaken,
            None,
            format!(
                "parcel {code} is already in the register with {what}; edit it there, or import with updates"
            ),
        )
    } else if c.retired {
        refused(
            ProblemKind::NotUpdatable,
            Some("retired"),
            format!("parcel {code} is retired: a retired parcel is not updated"),
        )
    } else if c.changes_event_land_right {
        refused(
            ProblemKind::NotUpdatable,
            Some("land_right_follows_events"),
            format!(
                "parcel {code}'s land right follows its land events: record a land event instead"
            ),
        )
    } else {
        Fate::Update {
            new_boundary: !c.same_boundary,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: Compared = Compared {
        same_attributes: true,
        same_boundary: true,
        retired: false,
        changes_event_land_right: false,
    };

    fn refusal(f: Fate) -> Option<(ProblemKind, Option<&'static str>)> {
        match f {
            Fate::Refused(p) => Some((p.kind, p.code)),
            _ => None,
        }
    }

    #[test]
    fn a_parcel_as_the_file_has_it_is_unchanged_even_retired_and_with_or_without_updates() {
        for update in [false, true] {
            let retired = Compared {
                retired: true,
                ..PLAIN
            };
            assert_eq!(fate("P", PLAIN, update), Fate::Unchanged);
            assert_eq!(fate("P", retired, update), Fate::Unchanged);
        }
    }

    #[test]
    fn without_updates_any_difference_is_a_taken_code_naming_what_differs() {
        for (attrs, boundary, what) in [
            (false, true, "with other attributes;"),
            (true, false, "with another boundary;"),
            (false, false, "with other attributes and another boundary;"),
        ] {
            let c = Compared {
                same_attributes: attrs,
                same_boundary: boundary,
                ..PLAIN
            };
            match fate("P-1", c, false) {
                Fate::Refused(p) => {
                    assert_eq!(p.kind, ProblemKind::CodeTaken);
                    assert!(p.message.contains(what), "{}", p.message);
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn with_updates_a_difference_updates_unless_retired_or_the_land_right_follows_events() {
        let renamed = Compared {
            same_attributes: false,
            ..PLAIN
        };
        let moved = Compared {
            same_boundary: false,
            ..PLAIN
        };
        assert_eq!(
            fate("P", renamed, true),
            Fate::Update {
                new_boundary: false
            }
        );
        assert_eq!(fate("P", moved, true), Fate::Update { new_boundary: true });
        let retired = Compared {
            retired: true,
            ..moved
        };
        assert_eq!(
            refusal(fate("P", retired, true)),
            Some((ProblemKind::NotUpdatable, Some("retired")))
        );
        let by_events = Compared {
            changes_event_land_right: true,
            ..renamed
        };
        assert_eq!(
            refusal(fate("P", by_events, true)),
            Some((ProblemKind::NotUpdatable, Some("land_right_follows_events")))
        );
    }
}
