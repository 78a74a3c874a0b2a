//! Splits caption files (WebVTT, SRT) into blocks: runs of non-blank lines separated by
//! blank ones, each line with its 1-based number.

/// One numbered line of input.
#[derive(Debug, Clone, Copy)]
pub struct NumberedLine<'a> {
    pub number: usize,
    pub text: &'a str,
}

/// Yields the blocks of `input`. A byte-order mark on the first line is dropped; `\r\n`
/// and `\n` both end lines.
pub fn blocks(input: &str) -> impl Iterator<Item = Vec<NumberedLine<'_>>> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut lines = input
        .lines()
        .enumerate()
        .map(|(at, text)| NumberedLine {
            number: at + 1,
            text,
        })
        .peekable();
    std::iter::from_fn(move || {
        while lines.next_if(|line| is_blank(line.text)).is_some() {}
        let mut block = Vec::new();
        while let Some(line) = lines.next_if(|line| !is_blank(line.text)) {
            block.push(line);
        }
        (!block.is_empty()).then_some(block)
    })
}

/// Whitespace-only lines separate blocks.
pub fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(input: &str) -> Vec<Vec<(usize, &str)>> {
        blocks(input)
            .map(|block| block.iter().map(|line| (line.number, line.text)).collect())
            .collect()
    }

    #[test]
    fn splits_on_blank_lines_and_numbers_lines_from_one() {
        let input = "\u{feff}a\nb\n\n \t\r\nc\r\n\n\n";
        assert_eq!(shape(input), vec![vec![(1, "a"), (2, "b")], vec![(5, "c")]]);
    }

    #[test]
    fn empty_input_has_no_blocks() {
        assert!(shape("").is_empty());
        assert!(shape("\n\n  \n").is_empty());
    }
}
