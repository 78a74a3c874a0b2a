//! Writes sample charts to target/chart-samples/ (each drawing as its own .svg, plus an
//! index.html that shows them with their readings and tables) so a person can look at them.
//!
//!   cargo run -p circlework-reports --example chart_samples

use std::fmt::Write as _;
use std::path::PathBuf;

use circlework_reports::{Chart, TrajectoryInput, trajectory_chart};
use measures::{Registry, score, trajectory};

fn main() -> std::io::Result<()> {
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/chart-samples");
    std::fs::create_dir_all(&out)?;
    let charts = samples();
    let mut index = String::from(
        "<!doctype html><meta charset=\"utf-8\"><title>Chart samples</title>\
         <link rel=\"stylesheet\" href=\"../../crates/web/static/app.css\"><main>",
    );
    for (name, chart) in &charts {
        std::fs::write(out.join(format!("{name}-wide.svg")), &chart.wide)?;
        std::fs::write(out.join(format!("{name}-narrow.svg")), &chart.narrow)?;
        let _ = write!(
            index,
            "<section class=\"section card\"><h2>{name}</h2><figure class=\"chart\">{}<figcaption>{}</figcaption></figure><table><caption>{}</caption><tr>",
            chart.markup(),
            escape(&chart.reading),
            escape(&chart.table.caption)
        );
        for c in &chart.table.columns {
            let _ = write!(index, "<th>{}</th>", escape(c));
        }
        index.push_str("</tr>");
        for row in chart.table.rows.iter().take(8) {
            index.push_str("<tr>");
            for cell in row {
                let _ = write!(index, "<td>{}</td>", escape(cell));
            }
            index.push_str("</tr>");
        }
        index.push_str("</table></section>");
    }
    index.push_str("</main>");
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
}

fn samples() -> Vec<(&'static str, Chart)> {
    vec![("trajectory", phq9())]
}

fn phq9() -> Chart {
    let registry = Registry::bundled().expect("bundled instruments");
    let def = registry.get("phq9").expect("phq9");
    let totals = [
        Some(17u8),
        Some(16),
        Some(15),
        None,
        Some(13),
        Some(11),
        Some(12),
        Some(9),
        Some(8),
        None,
        Some(7),
        Some(8),
    ];
    let scores: Vec<(u32, measures::Score)> = totals
        .iter()
        .enumerate()
        .map(|(i, total)| {
            let answers: Vec<Option<u8>> = match total {
                Some(t) => (0..9u8)
                    .map(|item| Some(t.saturating_sub(item * 3).min(3)))
                    .collect(),
                None => vec![None; 9],
            };
            (
                i as u32 + 1,
                score(def, &answers).expect("answers in range"),
            )
        })
        .collect();
    let line = trajectory(def, "total", &scores).expect("a total scale");
    trajectory_chart(
        "traj-phq9",
        &TrajectoryInput::from_measures("PHQ-9", def, &line, |s| *s),
    )
}
