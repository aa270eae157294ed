//! How an import treats the rows it checked: what it writes when some are bad, and what
//! becomes of the parcels a file names that the register has already.

/// What to do with the rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Write everything or nothing.
    #[default]
    AllOrNothing,
    /// Write the good rows, report the rest.
    GoodOnly,
    /// Report only.
    DryRun,
}

/// What becomes of a feature whose code is in the register with other attributes or
/// another boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnExisting {
    /// Refused (`code_taken`): the register is edited through the API, one parcel at a time.
    #[default]
    Refuse,
    /// The parcel is updated: the columns the file has and the boundary, keeping its
    /// history (a surveyor's corrected file).
    Update,
}
