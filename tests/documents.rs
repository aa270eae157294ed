//! Documents: typed by their bytes, stored once, size-limited, downloaded with the right headers.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use soilreg::domain::access::Role;

#[tokio::test]
async fn a_pdf_is_stored_once_however_often_it_is_uploaded() {
    let app = TestApp::new().await;
    let eco = app.token("eco", Role::Editor).await;
    let first = app
        .upload(&eco, "土壤污染状况调查报告.pdf", b"%PDF-1.4 report body")
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_eq!(first.body["document"]["content_type"], "application/pdf");
    assert_eq!(first.body["document"]["size_bytes"], 20);
    let id = first.body["id"].as_str().expect("id").to_owned();
    assert_eq!(id.len(), 64);

    let again = app
        .upload(&eco, "copy-with-another-name.pdf", b"%PDF-1.4 report body")
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["id"], id.as_str());
    assert_eq!(again.body["duplicate"], true);
    assert_eq!(app.count("documents").await, 1);

    let got = app.get(&format!("/api/documents/{id}")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.header("content-type"), Some("application/pdf"));
    assert_eq!(got.header("etag"), Some(format!("\"{id}\"").as_str()));
    assert_eq!(got.header("x-content-type-options"), Some("nosniff"));
    let disposition = got.header("content-disposition").expect("disposition");
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''%E5%9C%9F"),
        "{disposition}"
    );
    assert_eq!(got.text, "%PDF-1.4 report body");
}

#[tokio::test]
async fn the_type_comes_from_the_content_not_the_name() {
    let app = TestApp::new().await;
    let eco = app.token("eco", Role::Editor).await;
    let exe = app
        .upload(&eco, "report.pdf", b"MZ\x90\x00\x03 not really a pdf")
        .await;
    assert_eq!(exe.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(exe.error_code(), "unsupported_document_type");
    let png = app
        .upload(&eco, "photo.pdf", b"\x89PNG\r\n\x1a\n fake image data")
        .await;
    assert_eq!(png.status, StatusCode::CREATED);
    assert_eq!(png.body["document"]["content_type"], "image/png");
    assert_eq!(app.count("documents").await, 1);
}

#[tokio::test]
async fn documents_over_the_size_limit_or_empty_are_refused() {
    let app = TestApp::new().await;
    let eco = app.token("eco", Role::Editor).await;
    let mut big = b"%PDF-1.4 ".to_vec();
    big.resize(600 * 1024, b'x');
    let res = app.upload(&eco, "big.pdf", &big).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", res.text);
    assert_eq!(res.error_code(), "document_too_large");
    let res = app.upload(&eco, "empty.pdf", b"").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("documents").await, 0);
}

#[tokio::test]
async fn uploads_need_a_writer_and_unknown_documents_are_404() {
    let app = TestApp::new().await;
    let viewer = app.token("eco", Role::Viewer).await;
    assert_eq!(
        app.upload(&viewer, "a.pdf", b"%PDF-1.4").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.upload("not-a-token", "a.pdf", b"%PDF-1.4").await.status,
        StatusCode::UNAUTHORIZED
    );
    let missing = format!("/api/documents/{}", "0".repeat(64));
    assert_eq!(app.get(&missing).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get("/api/documents/not-an-id").await.status,
        StatusCode::NOT_FOUND
    );
}
