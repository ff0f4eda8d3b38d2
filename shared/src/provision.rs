//! Creates the tables and the bucket from `infra/template.yaml`, the one source of truth for
//! keys, indexes and TTL. Used by the admin tool (`support-admin init`) and by tests; never
//! linked into a Lambda binary.

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection, ProjectionType,
    ScalarAttributeType, TimeToLiveSpecification,
};
use serde_yaml::Value;

use crate::config::{Ctx, Table};
use crate::store::describe;

/// The template, read at compile time so tools and tests carry it with them.
pub const TEMPLATE: &str = include_str!("../../infra/template.yaml");

/// A table definition taken from the template.
#[derive(Debug, Clone)]
pub struct TableDef {
    pub logical_id: String,
    pub attributes: Vec<(String, String)>,
    pub key: Vec<(String, String)>,
    pub indexes: Vec<(String, Vec<(String, String)>)>,
    pub ttl_attribute: Option<String>,
}

fn pairs(v: &Value, a: &str, b: &str) -> Vec<(String, String)> {
    v.as_sequence()
        .map(|seq| {
            seq.iter()
                .filter_map(|e| Some((e.get(a)?.as_str()?.to_owned(), e.get(b)?.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default()
}

/// Every `AWS::DynamoDB::Table` of the template.
pub fn table_defs(template: &str) -> Result<Vec<TableDef>, String> {
    let doc: Value = serde_yaml::from_str(template).map_err(|e| format!("template.yaml: {e}"))?;
    let resources = doc.get("Resources").and_then(Value::as_mapping).ok_or("template.yaml has no Resources")?;
    let mut defs = Vec::new();
    for (id, res) in resources {
        if res.get("Type").and_then(Value::as_str) != Some("AWS::DynamoDB::Table") {
            continue;
        }
        let props = res.get("Properties").ok_or("table without Properties")?;
        let indexes = props
            .get("GlobalSecondaryIndexes")
            .and_then(Value::as_sequence)
            .map(|seq| {
                seq.iter()
                    .filter_map(|g| {
                        let name = g.get("IndexName")?.as_str()?.to_owned();
                        Some((name, pairs(g.get("KeySchema")?, "AttributeName", "KeyType")))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let ttl = props
            .get("TimeToLiveSpecification")
            .filter(|t| t.get("Enabled").and_then(Value::as_bool) == Some(true))
            .and_then(|t| t.get("AttributeName")?.as_str().map(str::to_owned));
        defs.push(TableDef {
            logical_id: id.as_str().unwrap_or_default().to_owned(),
            attributes: pairs(props.get("AttributeDefinitions").unwrap_or(&Value::Null), "AttributeName", "AttributeType"),
            key: pairs(props.get("KeySchema").unwrap_or(&Value::Null), "AttributeName", "KeyType"),
            indexes,
            ttl_attribute: ttl,
        });
    }
    Ok(defs)
}

fn key_schema(key: &[(String, String)]) -> Vec<KeySchemaElement> {
    key.iter()
        .map(|(name, kind)| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(if kind == "HASH" { KeyType::Hash } else { KeyType::Range })
                .build()
                .expect("name and key type are set")
        })
        .collect()
}

/// Creates every table of the template under the names of `ctx`'s configuration, and the bucket.
/// Existing tables and buckets are left as they are, so it can run any number of times.
pub async fn create_all(ctx: &Ctx) -> Result<Vec<String>, String> {
    let mut created = Vec::new();
    for def in table_defs(TEMPLATE)? {
        let table = Table::ALL
            .into_iter()
            .find(|t| t.logical_id() == def.logical_id)
            .ok_or_else(|| format!("template table {} is unknown to shared::config::Table", def.logical_id))?;
        let name = ctx.table(table).to_owned();
        let mut req = ctx.ddb.create_table().table_name(&name).billing_mode(BillingMode::PayPerRequest);
        for (attr, kind) in &def.attributes {
            req = req.attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(attr)
                    .attribute_type(if kind == "N" { ScalarAttributeType::N } else { ScalarAttributeType::S })
                    .build()
                    .expect("name and type are set"),
            );
        }
        req = req.set_key_schema(Some(key_schema(&def.key)));
        for (index, key) in &def.indexes {
            req = req.global_secondary_indexes(
                GlobalSecondaryIndex::builder()
                    .index_name(index)
                    .set_key_schema(Some(key_schema(key)))
                    .projection(Projection::builder().projection_type(ProjectionType::All).build())
                    .build()
                    .expect("index name and key are set"),
            );
        }
        match req.send().await {
            Ok(_) => created.push(name.clone()),
            Err(e) if aws_sdk_dynamodb::error::ProvideErrorMetadata::code(&e) == Some("ResourceInUseException") => continue,
            Err(e) => return Err(format!("create table {name}: {}", describe(&e))),
        }
        if let Some(attr) = &def.ttl_attribute {
            ctx.ddb
                .update_time_to_live()
                .table_name(&name)
                .time_to_live_specification(
                    TimeToLiveSpecification::builder().attribute_name(attr).enabled(true).build().expect("set"),
                )
                .send()
                .await
                .map_err(|e| format!("TTL on {name}: {}", describe(&e)))?;
        }
    }
    let bucket = &ctx.config.bucket;
    match ctx.s3.create_bucket().bucket(bucket).send().await {
        Ok(_) => created.push(format!("s3://{bucket}")),
        Err(e) => {
            let code = aws_sdk_s3::error::ProvideErrorMetadata::code(&e);
            if !matches!(code, Some("BucketAlreadyOwnedByYou" | "BucketAlreadyExists")) {
                return Err(format!("create bucket {bucket}: {}", describe(&e)));
            }
        }
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_defines_every_table_of_the_code() {
        let defs = table_defs(TEMPLATE).unwrap();
        for t in Table::ALL {
            let def = defs.iter().find(|d| d.logical_id == t.logical_id()).unwrap_or_else(|| panic!("{t:?}"));
            assert!(!def.key.is_empty());
        }
        assert_eq!(defs.len(), Table::ALL.len());
        let guard = defs.iter().find(|d| d.logical_id == "GuardTable").unwrap();
        assert_eq!(guard.ttl_attribute.as_deref(), Some("expires_at"));
    }
}
