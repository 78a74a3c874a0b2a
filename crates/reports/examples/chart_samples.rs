//! Writes sample charts to target/chart-samples/: each drawing as its own .svg, and an
//! index.html (with app.css) that shows both drawings, the reading and the table of each,
//! for a person to look at. Two groups: 12 sessions × 8 members, and 52 × 12.
//!
//!   cargo run -p circlework-reports --example chart_samples

#[path = "support/dataset.rs"]
mod dataset;

use std::fmt::Write as _;
use std::path::PathBuf;

use circlework_reports::{
    BurstRule, Chart, Whiskers, attendance_chart, climate_chart, profile_chart, stage_chart,
    timeline_chart, trajectory_chart,
};

fn main() -> std::io::Result<()> {
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/chart-samples");
    std::fs::create_dir_all(&out)?;
    let mut charts: Vec<(String, Chart)> = Vec::new();
    for (sessions, members) in [(12, 8), (52, 12)] {
        let data = dataset::dataset(sessions, members);
        let tag = format!("{sessions}x{members}");
        charts.push((format!("stages-{tag}"), stage_chart("stages", &data.stages)));
        charts.push((
            format!("climate-{tag}"),
            climate_chart("climate", &data.climate, Whiskers::Range),
        ));
        charts.push((
            format!("attendance-{tag}"),
            attendance_chart("attendance", &data.attendance),
        ));
        charts.push((
            format!("profile-{tag}"),
            profile_chart("profile", &data.profile),
        ));
        if let Some(line) = &data.trajectory {
            charts.push((format!("trajectory-{tag}"), trajectory_chart("phq9", line)));
        }
        if sessions == 12 {
            charts.push((
                "timeline".to_owned(),
                timeline_chart("timeline", &data.utterances, BurstRule::DEFAULT),
            ));
        }
    }
    let mut index = String::from(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Chart samples</title>\
         <link rel=\"stylesheet\" href=\"../../crates/web/static/app.css\"><main>",
    );
    for (name, chart) in &charts {
        std::fs::write(out.join(format!("{name}-wide.svg")), &chart.wide)?;
        std::fs::write(out.join(format!("{name}-narrow.svg")), &chart.narrow)?;
        let _ = write!(
            index,
            "<section class=\"section card\"><h2>{name}</h2><figure class=\"chart\">{}\
             <figcaption>{}</figcaption></figure><details><summary>Table</summary>\
             <table><caption>{}</caption><tr>",
            chart.markup(),
            escape(&chart.reading),
            escape(&chart.table.caption)
        );
        for c in &chart.table.columns {
            let _ = write!(index, "<th scope=\"col\">{}</th>", escape(c));
        }
        index.push_str("</tr>");
        for row in &chart.table.rows {
            index.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
                let _ = write!(index, "<{tag}>{}</{}>", escape(cell), &tag[..2]);
            }
            index.push_str("</tr>");
        }
        index.push_str("</table></details></section>");
    }
    index.push_str("</main></html>");
    std::fs::write(out.join("index.html"), index)?;
    for (name, chart) in &charts {
        println!("{name}: {}", chart.reading);
    }
    println!("wrote {} charts to {}", charts.len(), out.display());
    Ok(())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
