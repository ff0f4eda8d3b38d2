//! Every `events/*.json` file is a real API Gateway v2 event that lambda_http accepts, for the
//! action its name says (`<action>.json` or `<action>.<variant>.json`).

use lambda_http::RequestExt;

#[test]
fn event_files_are_requests_for_their_action() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../events");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("events/ exists") {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let name = path.file_name().unwrap().to_str().unwrap();
        let action = name.split('.').next().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let req = lambda_http::request::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(req.uri().path(), format!("/{action}"), "{name}");
        assert!(req.request_context_ref().is_some(), "{name}: no request context");
        if !req.body().is_empty() {
            let body: serde_json::Value = serde_json::from_slice(req.body()).unwrap_or_else(|e| panic!("{name}: body {e}"));
            assert!(body.is_object(), "{name}: body is not an object");
        }
        seen += 1;
    }
    assert!(seen >= 2, "no event files found in {}", dir.display());
}
