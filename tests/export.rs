//! `crosscheck export`: the example data set's claims as CSV and JSON Lines.

mod common;

use common::{EXAMPLE, crosscheck, crosscheck_command, example, root, snapshot};
use crosscheck::export::{self, COLUMNS};

#[test]
fn csv_of_the_example() {
    snapshot!("export_example_csv", export::to_csv(&example()));
}

#[test]
fn jsonl_first_lines_of_the_example() {
    let text = export::to_jsonl(&example());
    let head: Vec<&str> = text.lines().take(4).collect();
    snapshot!("export_example_jsonl_head", head.join("\n"));
}

#[test]
fn jsonl_round_trips_and_agrees_with_csv() {
    let data = example();
    let jsonl = export::to_jsonl(&data);
    let rows: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect();
    assert_eq!(rows.len(), data.claims.len());
    for (row, claim) in rows.iter().zip(&data.claims) {
        let keys: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected: Vec<&str> = COLUMNS.to_vec();
        expected.sort_unstable();
        let mut got = keys.clone();
        got.sort_unstable();
        assert_eq!(got, expected, "every column in every row");
        assert_eq!(row["id"], claim.id.as_str());
    }
    let ids: std::collections::HashSet<&str> =
        rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), rows.len(), "claim ids are unique");

    // The CSV holds the same rows: parsed back with a CSV reader, field by field.
    let csv_text = export::to_csv(&data);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        COLUMNS.to_vec()
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows.len());
    for (record, row) in records.iter().zip(&rows) {
        for (i, column) in COLUMNS.iter().enumerate() {
            let field = &record[i];
            let expected = match &row[*column] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|v| v.as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
                other => other.to_string(),
            };
            assert_eq!(field, expected, "column {column} of {}", row["id"]);
        }
    }
}

#[test]
fn quantities_carry_their_interval() {
    let data = example();
    let rows = export::rows(&data);
    let range = rows
        .iter()
        .find(|r| r.ty == "quantity" && r.low.is_some() && r.high.is_some() && r.low != r.high)
        .expect("a range in the example");
    assert!(range.low < range.high);
    assert_eq!(range.low_open, Some(false));
    let open = rows
        .iter()
        .find(|r| r.ty == "quantity" && (r.low.is_none() || r.high.is_none()));
    if let Some(open) = open {
        assert!(
            open.low_open.is_none() || open.high_open.is_none(),
            "unbounded ends are null"
        );
    }
}

#[test]
fn cli_writes_the_file_and_refuses_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("claims.csv");
    let status = crosscheck_command()
        .args([
            "export",
            EXAMPLE,
            "--format",
            "csv",
            "--no-cache",
            "--output",
        ])
        .arg(&out)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        export::to_csv(&example())
    );

    let missing = crosscheck(root(), &["export", "no/such/folder", "--no-cache"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(missing.stdout.is_empty(), "no partial output");
}
