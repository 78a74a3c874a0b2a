//! Seeded synthetic data: the same seed always gives the same group. Nothing here touches
//! storage; the demo command and the tests feed these plans through the real store.
//! Each feature adds its own module (questionnaire answers, transcripts, ...).

pub mod climate;
pub mod group;
pub mod outcomes;

pub use climate::{ClimatePlan, ClimateSession, MemberPlan, MemberRole, StagePath, demo_climate};
pub use group::{DemoGroup, DemoMember, DemoSession, demo_group};
