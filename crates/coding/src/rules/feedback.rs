//! FEEDBACK rules: telling another member or the leader how their behaviour in the room
//! lands, here and now ("when you ..., I feel ...", "I notice you ...").
//!
//! No public labels exist for this code: these rules' accuracy is unmeasured.

use domain::ProcessCode::Feedback;

use super::table::{Rule, Trigger};

/// Another's behaviour in the room, for FEEDBACK.WHEN_YOU.1.
const YOUR_BEHAVIOUR: &[&str] = &[
    "{when you,whenever you,the way you,every time you,as you were,while you were,hearing you,watching you,listening to you}",
];

/// The speaker's reaction, for FEEDBACK.WHEN_YOU.1.
const MY_REACTION: &[&str] = &[
    "{i feel,i felt,i get,i got,i find myself,i notice,i noticed,i start,i started,i wanted to}",
    "{i shut down,i go quiet,i tense up,i don't know how to,i don't know what to,i'm left,i was left}",
    "{it makes me,it made me,that makes me,that made me,makes me,made me}",
    "{it lands,that lands,it feels,it felt,i'm moved,i was moved,it moves me,it hurts,it hurt}",
];

/// The speaker's reaction said first, for FEEDBACK.WHEN_YOU.2.
const REACTION_FIRST: &[&str] = &[
    "{i feel,i felt,i get,i got,it hurts,it hurt,it bothers me,it bugs me,i notice,i noticed}",
    "{i like it,i love it,i appreciate it,i hate it,i don't like it,i really like it}",
];

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "FEEDBACK.WHEN_YOU.1",
        code: Feedback,
        intent: "Naming another's behaviour and then one's own reaction to it: when you ..., I \
                 feel / it makes me / I shut down.",
        score: 0.9,
        trigger: Trigger::Sequence {
            first: YOUR_BEHAVIOUR,
            then: MY_REACTION,
            within: 10,
        },
        unless: &[
            // Times and places outside the room: advice or questions, not feedback.
            "when you {get home,go home,get out,are ready,were a kid,were little,were young,were growing up}",
        ],
    },
    Rule {
        id: "FEEDBACK.WHEN_YOU.2",
        code: Feedback,
        intent: "One's own reaction and then the behaviour that caused it: I felt hurt when \
                 you ..., it bothers me when you ....",
        score: 0.8,
        trigger: Trigger::Sequence {
            first: REACTION_FIRST,
            then: &["{when you,whenever you,every time you,the way you}"],
            within: 5,
        },
        unless: &[],
    },
    Rule {
        id: "FEEDBACK.NOTICE.1",
        code: Feedback,
        intent: "Telling one person what the speaker notices about them in the room: I notice \
                 you ..., I've noticed that you ....",
        score: 0.7,
        trigger: Trigger::Any(&["{i notice,i noticed,i'm noticing,i've noticed} {you,that you}"]),
        unless: &[
            // Said to the whole group: a process comment, not feedback to a person.
            "{i notice,i noticed,i'm noticing,i've noticed} {you all,you guys,that you all}",
        ],
    },
    Rule {
        id: "FEEDBACK.LANDS.1",
        code: Feedback,
        intent: "Explicit feedback language and here-and-now reactions to a person: it lands \
                 on me, can I give you feedback, you come across as, I feel closer to you.",
        score: 0.8,
        trigger: Trigger::Any(&[
            "{lands,landed,landing} on me",
            "how {that,it,this} {lands,landed}",
            "{can i,could i,let me,i want to,i'd like to} give you {some,a bit of,a little} feedback",
            "my feedback {for,to} you",
            "{you come,you came,you're coming} across",
            "{it,that,this} {moves,moved} me",
            "{you're,you are} {pushing,really pushing} my buttons",
            "{getting,gets,got} under my skin",
            "{i feel,i felt,i'm feeling} {closer,close,distant,safe,safer,connected,disconnected,guarded} {to,with,from,around} you",
            "{you're,you are,you keep} {interrupting me,cutting me off,talking over me}",
        ]),
        unless: &[],
    },
];
