//! Enterprises in the ledgers of Action Plan §3, §4b, §11 and §15: closed or
//! relocated industrial firms, key supervised units, heavy-metal and
//! electroplating firms.
//!
//! A firm is identified by its [`Uscc`] (统一社会信用代码, GB 32100-2015, with a
//! check character) and classified by its [`IndustryCode`] (国民经济行业分类,
//! GB/T 4754-2017). Both parse strictly: a value of either type is valid.

mod industry;
mod input;
#[cfg(test)]
mod tests;
mod uscc;

use serde::{Deserialize, Serialize};

pub use industry::{Division, IndustryCode, DIVISIONS};
pub use input::EnterpriseInput;
pub use uscc::{Uscc, UsccError};

/// Whether a firm still operates on its site: a closed or relocated firm
/// leaves a former site (原址用地) to be screened for soil risk (§4b).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "enterprise_status", rename_all = "snake_case")]
pub enum EnterpriseStatus {
    /// 在产: still producing on the site.
    Operating,
    /// 关停: closed, production stopped for good.
    Closed,
    /// 搬迁: moved away; the old site is left behind.
    Relocated,
}

impl EnterpriseStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [EnterpriseStatus; 3] = [
        EnterpriseStatus::Operating,
        EnterpriseStatus::Closed,
        EnterpriseStatus::Relocated,
    ];

    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            EnterpriseStatus::Operating => "operating",
            EnterpriseStatus::Closed => "closed",
            EnterpriseStatus::Relocated => "relocated",
        }
    }

    /// The label used in the ledgers.
    pub fn label_zh(self) -> &'static str {
        match self {
            EnterpriseStatus::Operating => "在产",
            EnterpriseStatus::Closed => "关停",
            EnterpriseStatus::Relocated => "搬迁",
        }
    }

    /// Whether the firm has left a former site that §4b screening covers.
    pub fn leaves_former_site(self) -> bool {
        !matches!(self, EnterpriseStatus::Operating)
    }
}

impl std::fmt::Display for EnterpriseStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
