//! Which documents the registry accepts, decided from the bytes, never the file name.

/// A document type recognised from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentType {
    Pdf,
    Png,
    Jpeg,
    Tiff,
    /// Office Open XML: .docx, .xlsx, .pptx.
    Docx,
    Xlsx,
    Pptx,
    /// Legacy Office compound file: .doc, .xls, .ppt.
    LegacyOffice,
}

impl DocumentType {
    /// Sniffs the type from the leading bytes (and, for zip containers, the part names).
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        let starts = |magic: &[u8]| bytes.starts_with(magic);
        if starts(b"%PDF-") {
            Some(DocumentType::Pdf)
        } else if starts(b"\x89PNG\r\n\x1a\n") {
            Some(DocumentType::Png)
        } else if starts(b"\xFF\xD8\xFF") {
            Some(DocumentType::Jpeg)
        } else if starts(b"II*\0") || starts(b"MM\0*") {
            Some(DocumentType::Tiff)
        } else if starts(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
            Some(DocumentType::LegacyOffice)
        } else if starts(b"PK\x03\x04") {
            let has = |name: &[u8]| bytes.windows(name.len()).any(|w| w == name);
            if !has(b"[Content_Types].xml") {
                None
            } else if has(b"word/") {
                Some(DocumentType::Docx)
            } else if has(b"xl/") {
                Some(DocumentType::Xlsx)
            } else if has(b"ppt/") {
                Some(DocumentType::Pptx)
            } else {
                None
            }
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            DocumentType::Pdf => "application/pdf",
            DocumentType::Png => "image/png",
            DocumentType::Jpeg => "image/jpeg",
            DocumentType::Tiff => "image/tiff",
            DocumentType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            DocumentType::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            DocumentType::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            DocumentType::LegacyOffice => "application/vnd.ms-office",
        }
    }
}

/// A document id: the lowercase hex SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocumentId(String);

impl DocumentId {
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        (s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| DocumentId(s.to_ascii_lowercase()))
    }

    pub fn of(bytes: &[u8]) -> Self {
        use sha2::{Digest, Sha256};
        DocumentId(hex::encode(Sha256::digest(bytes)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A file name fit to store and echo: the last path component, no control characters.
pub fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    if cleaned.trim().is_empty() {
        "document".to_owned()
    } else {
        cleaned.trim().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(
            DocumentType::sniff(b"%PDF-1.7\n..."),
            Some(DocumentType::Pdf)
        );
        assert_eq!(
            DocumentType::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(DocumentType::Png)
        );
        assert_eq!(
            DocumentType::sniff(b"\xFF\xD8\xFF\xE0..JFIF"),
            Some(DocumentType::Jpeg)
        );
        assert_eq!(
            DocumentType::sniff(b"PK\x03\x04....[Content_Types].xml....word/document.xml"),
            Some(DocumentType::Docx)
        );
        assert_eq!(
            DocumentType::sniff(b"PK\x03\x04....[Content_Types].xml....xl/workbook.xml"),
            Some(DocumentType::Xlsx)
        );
        assert_eq!(DocumentType::sniff(b"PK\x03\x04....plain zip"), None);
        assert_eq!(
            DocumentType::sniff(b"MZ\x90\x00 an executable named report.pdf"),
            None
        );
        assert_eq!(DocumentType::sniff(b"<html>"), None);
        assert_eq!(DocumentType::sniff(b""), None);
    }

    #[test]
    fn ids_are_lowercase_sha256_hex() {
        let id = DocumentId::of(b"abc");
        assert_eq!(
            id.as_str(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(DocumentId::parse(&id.as_str().to_uppercase()), Some(id));
        assert_eq!(DocumentId::parse("xyz"), None);
    }

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(clean_filename("C:\\报告\\调查报告.pdf"), "调查报告.pdf");
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("a\"b\r\n.pdf"), "ab.pdf");
        assert_eq!(clean_filename(""), "document");
    }
}
