//! Wiring: every place that names the actions names the same 20, with the same HTTP methods.
//!
//! `shared::routes::ROUTES` is the one list of the API's actions and methods. The test compares it, as exact
//! sets, with what each other place says:
//! - the Lambda binaries, `functions/src/bin/<action>.rs`;
//! - the `cargo lambda watch` router in the root `Cargo.toml` (`make dev`);
//! - the SAM functions and their HTTP API routes in `infra/template.yaml` (binary, name, method,
//!   path), which cfn-lint does not check inside event sources;
//! - the API Gateway v2 events in `events/<action>.json`;
//! - the paths and operations of the OpenAPI document `docs/openapi.yaml`;
//! - the actions table of the README.
//!
//! It reads files only: no AWS SDK, no local stand-in.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

/// The API's actions and methods: `shared::routes::ROUTES`, the list the runtime also uses to
/// refuse a method an action does not answer (405). Here as `(action, methods)` pairs.
const ROUTES: [(&str, &[&str]); 20] = {
    let mut out: [(&str, &[&str]); 20] = [("", &[]); 20];
    let mut i = 0;
    while i < 20 {
        out[i] = (shared::routes::ROUTES[i].1, shared::routes::ROUTES[i].0);
        i += 1;
    }
    out
};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

fn read(rel: &str) -> String {
    let path = root().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn actions() -> BTreeSet<String> {
    ROUTES.iter().map(|(a, _)| a.to_string()).collect()
}

/// `(METHOD, /action)` for every route of the API.
fn routes() -> BTreeSet<(String, String)> {
    ROUTES
        .iter()
        .flat_map(|(a, methods)| methods.iter().map(move |m| (m.to_string(), format!("/{a}"))))
        .collect()
}

/// Asserts that `found` (what `place` says) is exactly `expected`, naming what is missing and extra.
fn assert_same<T: Ord + Debug + Clone>(place: &str, found: &BTreeSet<T>, expected: &BTreeSet<T>) {
    let missing: Vec<_> = expected.difference(found).cloned().collect();
    let extra: Vec<_> = found.difference(expected).cloned().collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{place} does not match the {} routes of shared::routes::ROUTES\n  missing: {missing:?}\n  extra:   {extra:?}",
        expected.len()
    );
}

#[test]
fn the_route_table_is_consistent() {
    assert_eq!(actions().len(), 20, "ROUTES names an action twice");
    assert_eq!(routes().len(), 21);
    for (action, methods) in ROUTES {
        assert!(!methods.is_empty() && action.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{action}");
    }
}

#[test]
fn one_lambda_binary_per_action() {
    let dir = root().join("functions/src/bin");
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("functions/src/bin") {
        let path = entry.expect("dir entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("shared::runtime::run(functions::"),
            "{} does not wire a handler of the functions crate into shared::runtime::run",
            path.display()
        );
        found.insert(name);
    }
    assert_same("functions/src/bin", &found, &actions());
}

#[test]
fn the_watch_router_serves_every_action_at_its_path() {
    let cargo = read("Cargo.toml");
    let section = cargo
        .split("[workspace.metadata.lambda.watch.router]")
        .nth(1)
        .expect("Cargo.toml has [workspace.metadata.lambda.watch.router]");
    let section = section.split("\n[").next().unwrap();
    let mut found = BTreeSet::new();
    for line in section.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (path, binary) = line.split_once('=').unwrap_or_else(|| panic!("router line {line:?}"));
        let path = path.trim().trim_matches('"');
        let binary = binary.trim().trim_matches('"');
        assert_eq!(path, format!("/{binary}"), "router entry {line:?}: the path must be /<binary>");
        assert!(found.insert(binary.to_owned()), "router names {binary} twice");
    }
    assert_same("the watch router in Cargo.toml", &found, &actions());
}

fn untag(v: &Yaml) -> &Yaml {
    match v {
        Yaml::Tagged(t) => untag(&t.value),
        other => other,
    }
}

fn str_of<'a>(v: &'a Yaml, key: &str) -> Option<&'a str> {
    v.get(key).map(untag).and_then(Yaml::as_str)
}

#[test]
fn sam_has_one_function_per_action_behind_its_routes() {
    let doc: Yaml = serde_yaml::from_str(&read("infra/template.yaml")).expect("infra/template.yaml parses");
    let globals = &doc["Globals"]["Function"];
    assert_eq!(str_of(globals, "CodeUri"), Some("."), "Globals CodeUri");
    assert_eq!(str_of(globals, "Runtime"), Some("provided.al2023"), "Globals Runtime");
    assert_eq!(str_of(globals, "Handler"), Some("bootstrap"), "Globals Handler");
    assert_eq!(globals["Architectures"], serde_yaml::from_str::<Yaml>("[arm64]").unwrap(), "Globals Architectures");

    let resources = doc["Resources"].as_mapping().expect("Resources");
    let mut binaries = BTreeSet::new();
    let mut found_routes = BTreeSet::new();
    let mut routes_of: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (id, res) in resources {
        if str_of(res, "Type") != Some("AWS::Serverless::Function") {
            continue;
        }
        let id = id.as_str().unwrap_or_default();
        assert_eq!(str_of(&res["Metadata"], "BuildMethod"), Some("rust-cargolambda"), "{id} BuildMethod");
        let binary = str_of(&res["Metadata"]["BuildProperties"], "Binary")
            .unwrap_or_else(|| panic!("{id} has no Metadata.BuildProperties.Binary"))
            .to_owned();
        assert!(binaries.insert(binary.clone()), "two functions build {binary}");
        let props = &res["Properties"];
        for key in ["CodeUri", "Runtime", "Handler", "Architectures"] {
            assert!(props.get(key).is_none(), "{id} overrides {key} of Globals");
        }
        assert_eq!(
            str_of(props, "FunctionName"),
            Some(format!("support-${{Stage}}-{binary}").as_str()),
            "{id} FunctionName"
        );
        let events = props["Events"].as_mapping().unwrap_or_else(|| panic!("{id} has no Events"));
        for (name, event) in events {
            let where_ = format!("{id} event {}", name.as_str().unwrap_or_default());
            assert_eq!(str_of(event, "Type"), Some("HttpApi"), "{where_}: Type");
            let p = &event["Properties"];
            assert_eq!(p.get("ApiId").map(untag).and_then(Yaml::as_str), Some("HttpApi"), "{where_}: ApiId");
            let method = str_of(p, "Method").unwrap_or_else(|| panic!("{where_}: no Method"));
            let path = str_of(p, "Path").unwrap_or_else(|| panic!("{where_}: no Path"));
            assert_eq!(path, format!("/{binary}"), "{where_}: the path must be /<binary>");
            assert!(found_routes.insert((method.to_owned(), path.to_owned())), "{where_}: route {method} {path} twice");
            routes_of.entry(binary.clone()).or_default().insert(method.to_owned());
        }
    }
    assert_same("the SAM functions (Binary) of infra/template.yaml", &binaries, &actions());
    assert_same("the SAM HttpApi routes of infra/template.yaml", &found_routes, &routes());
    for (action, methods) in ROUTES {
        let want: BTreeSet<String> = methods.iter().map(|m| m.to_string()).collect();
        assert_eq!(routes_of.get(action), Some(&want), "SAM routes of {action}");
    }
}

/// `events/<action>.json` for every action; variants (`<action>.<case>.json`, e.g. a list query or
/// the GET form of a remove) are allowed beside it and checked the same way.
#[test]
fn one_api_gateway_event_per_action() {
    let dir = root().join("events");
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("events/") {
        let path = entry.expect("dir entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let (action, variant) = match stem.split_once('.') {
            Some((action, variant)) => (action.to_owned(), Some(variant.to_owned())),
            None => (stem.clone(), None),
        };
        let event: Json = serde_json::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let at = path.display();
        assert_eq!(event["version"], "2.0", "{at}: an API Gateway v2 (HTTP API) event");
        let method = event["requestContext"]["http"]["method"].as_str().unwrap_or_else(|| panic!("{at}: no method"));
        let raw_path = format!("/{action}");
        assert_eq!(event["rawPath"], raw_path.as_str(), "{at}: rawPath");
        assert_eq!(event["requestContext"]["http"]["path"], raw_path.as_str(), "{at}: requestContext.http.path");
        let route_key = format!("{method} {raw_path}");
        assert_eq!(event["routeKey"], route_key.as_str(), "{at}: routeKey");
        assert_eq!(event["requestContext"]["routeKey"], route_key.as_str(), "{at}: requestContext.routeKey");
        match ROUTES.iter().find(|(a, _)| *a == action) {
            Some((_, methods)) => assert!(methods.contains(&method), "{at}: {action} does not answer {method}"),
            None => panic!("{at}: {action} is not an action of ROUTES"),
        }
        if variant.is_none() {
            found.insert(action);
        }
    }
    assert_same("events/<action>.json", &found, &actions());
}

#[test]
fn openapi_documents_every_route() {
    let doc: Yaml = serde_yaml::from_str(&read("docs/openapi.yaml")).expect("docs/openapi.yaml parses");
    let paths = doc["paths"].as_mapping().expect("paths");
    let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let mut found = BTreeSet::new();
    let mut operation_ids = BTreeSet::new();
    for (path, item) in paths {
        let path = path.as_str().expect("path key");
        let item = item.as_mapping().unwrap_or_else(|| panic!("{path}"));
        for (method, op) in item {
            let method = method.as_str().unwrap_or_default();
            if !methods.contains(&method) {
                continue;
            }
            let id = str_of(op, "operationId").unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(operation_ids.insert(id.to_owned()), "operationId {id} twice");
            found.insert((method.to_ascii_uppercase(), path.to_owned()));
        }
    }
    assert_same("the paths of docs/openapi.yaml", &found, &routes());
}

#[test]
fn the_readme_lists_every_action_with_its_methods() {
    let readme = read("README.md");
    let mut found = BTreeSet::new();
    for line in readme.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // | `action` | METHOD(S) | ...
        let Some(action) = cells.get(1).and_then(|c| c.strip_prefix('`')).and_then(|c| c.strip_suffix('`')) else {
            continue;
        };
        if !actions().contains(action) {
            continue;
        }
        let cell = cells.get(2).copied().unwrap_or_default();
        let words: BTreeSet<&str> = cell.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()).collect();
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            if words.contains(method) {
                found.insert((method.to_owned(), format!("/{action}")));
            }
        }
    }
    assert_same("the actions table of README.md (action and method columns)", &found, &routes());
}
