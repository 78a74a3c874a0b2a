//! Test support: parses a drawing and checks the rules every chart keeps (well-formed XML,
//! role, title and desc named by aria-labelledby, a viewBox and no fixed size, no style,
//! script or event attributes, text of at least 16 px at the layout's smallest width).

use roxmltree::Document;

use crate::svg::CLASS_PREFIX;

/// Parses `svg`, checks the shared rules, and returns how many elements carry each class.
pub(crate) fn valid(svg: &str) -> Document<'_> {
    let doc = Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let view_box: Vec<f64> = root
        .attribute("viewBox")
        .expect("a viewBox")
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(view_box.len(), 4);
    assert!(view_box.iter().all(|v| v.is_finite()) && view_box[2] > 0.0 && view_box[3] > 0.0);
    assert!(root.attribute("width").is_none() && root.attribute("height").is_none());
    let labelled_by: Vec<&str> = root
        .attribute("aria-labelledby")
        .unwrap()
        .split(' ')
        .collect();
    assert_eq!(labelled_by.len(), 2);
    let by_id = |id: &str| doc.descendants().find(|n| n.attribute("id") == Some(id));
    assert_eq!(by_id(labelled_by[0]).unwrap().tag_name().name(), "title");
    assert_eq!(by_id(labelled_by[1]).unwrap().tag_name().name(), "desc");
    let first_two: Vec<&str> = root
        .children()
        .filter(|n| n.is_element())
        .take(2)
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(first_two, ["title", "desc"]);
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(
            !matches!(name, "style" | "script" | "foreignObject"),
            "<{name}>"
        );
        for attr in node.attributes() {
            assert_ne!(attr.name(), "style", "inline style on <{name}>");
            assert!(!attr.name().starts_with("on"), "event handler on <{name}>");
            if matches!(
                attr.name(),
                "x" | "y"
                    | "width"
                    | "height"
                    | "x1"
                    | "x2"
                    | "y1"
                    | "y2"
                    | "cx"
                    | "cy"
                    | "r"
                    | "rx"
                    | "stroke-width"
            ) {
                let v: f64 = attr.value().parse().unwrap_or(f64::NAN);
                assert!(
                    v.is_finite(),
                    "{}={} on <{name}>",
                    attr.name(),
                    attr.value()
                );
            }
            if attr.name() == "d" {
                for part in attr
                    .value()
                    .split(|c: char| c.is_ascii_alphabetic() || c == ' ')
                    .filter(|p| !p.is_empty())
                {
                    assert!(
                        part.parse::<f64>().is_ok_and(f64::is_finite),
                        "d={}",
                        attr.value()
                    );
                }
            }
            if attr.name() == "font-size" {
                assert!(attr.value().parse::<f64>().unwrap() >= 17.0);
            }
            if matches!(attr.name(), "href" | "fill" | "stroke") {
                let v = attr.value();
                assert!(
                    !v.contains("url(") || v.starts_with("url(#"),
                    "external reference {v}"
                );
                assert!(
                    attr.name() != "href" || v.starts_with('#'),
                    "external href {v}"
                );
            }
        }
    }
    let ids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "duplicate ids");
    doc
}

/// Elements whose class list contains `class`.
pub(crate) fn count(doc: &Document<'_>, class: &str) -> usize {
    doc.descendants()
        .filter(|n| {
            n.attribute("class").is_some_and(|c| {
                c.split(' ')
                    .any(|c| c.strip_prefix(CLASS_PREFIX) == Some(class))
            })
        })
        .count()
}

/// All text content of the drawing (title, desc and labels), joined by spaces (so a
/// wrapped legend entry reads whole again).
pub(crate) fn texts(doc: &Document<'_>) -> String {
    doc.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ")
}
