//! Episodes: a rule that keeps firing session after session raises one alert, at the
//! session where the run began. A session where the rule could not be evaluated (no data)
//! neither ends nor extends a run; a session where it was evaluated and did not fire ends it.

/// What a rule made of one session.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Status<T> {
    Hit(T),
    Clear,
    Unknown,
}

/// The first hit of every run of hits.
pub(crate) fn onsets<T>(statuses: impl IntoIterator<Item = Status<T>>) -> Vec<T> {
    let mut out = Vec::new();
    let mut in_episode = false;
    for status in statuses {
        match status {
            Status::Hit(hit) => {
                if !in_episode {
                    out.push(hit);
                }
                in_episode = true;
            }
            Status::Clear => in_episode = false,
            Status::Unknown => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Status::{Clear, Hit, Unknown};
    use super::*;

    #[test]
    fn one_alert_per_run_and_unknown_sessions_do_not_break_a_run() {
        let statuses = [
            Clear,
            Hit(2),
            Hit(3),
            Unknown,
            Hit(5),
            Clear,
            Unknown,
            Hit(8),
        ];
        assert_eq!(onsets(statuses), vec![2, 8]);
        assert!(onsets::<u32>([]).is_empty());
    }
}
