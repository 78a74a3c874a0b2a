//! STAGE_STALLED: once half the planned sessions are held, P(working) (forward-filtered:
//! what was knowable after the session) below 0.5. Ending sessions are forced, so they are
//! not judged; open-ended groups have no plan to be half-way through.

use domain::Severity;
use stages::Horizon;

use crate::RuleId;
use crate::alert::{Evidence, RaisedAlert};
use crate::compare::{at_least, below};
use crate::context::Context;
use crate::episode::{Status, onsets};

pub(crate) fn evaluate(cx: &Context<'_>, out: &mut Vec<RaisedAlert>) {
    let Some(planned) = cx.evidence.planned_sessions.filter(|n| *n > 0) else {
        return;
    };
    let th = cx.thresholds;
    let horizon = Horizon::Planned(planned);
    let half = th.stalled_after.value * f64::from(planned);
    let statuses = (0..cx.len).map(|position| {
        let session = cx.number(position);
        if !at_least(f64::from(session), half) || horizon.is_ending(session) {
            return Status::Unknown;
        }
        let Some(p) = cx.evidence.stages.get(position).map(|p| p.working) else {
            return Status::Unknown;
        };
        if below(p, th.stalled_working.value) {
            Status::Hit((session, p))
        } else {
            Status::Clear
        }
    });
    for (session, p) in onsets(statuses) {
        let mut evidence = Evidence::default();
        evidence.triggers.push("working_unlikely");
        evidence.see("p_working", session, p);
        evidence.see("planned_sessions", session, f64::from(planned));
        evidence.compare("p_working_below", th.stalled_working);
        evidence.compare("after_share_of_plan", th.stalled_after);
        out.push(cx.raise(
            RuleId::StageStalled,
            Severity::Info,
            cx.group(),
            None,
            session,
            evidence,
        ));
    }
}
