//! UNIVERSALITY rules: "me too", naming an experience shared with others in the group,
//! recognising one is not alone, normalising a struggle as common.
//!
//! No public labels exist for this code: these rules' accuracy is unmeasured.

use domain::ProcessCode::Universality;

use super::table::{Rule, Trigger};

/// Group subjects, for UNIVERSALITY.WE.1.
const WE: &[&str] = &[
    "{we all,all of us,we've all,we have all,we both,so many of us,a lot of us,lots of us}",
    "{most of us,each of us,everyone here,everybody here,everyone in this room}",
];

/// What a shared experience sounds like after a group subject, for UNIVERSALITY.WE.1.
const SHARED: &[&str] = &[
    "{feel,felt,have felt,struggle,struggled,been there,have been there,been through}",
    "{know what,know how,go through,went through,get,got,do that,did that,mess up,messed up}",
    "{make mistakes,relapse,relapsed,hit that,have that,deal with,carry,have days}",
];

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "UNIVERSALITY.ME_TOO.1",
        code: Universality,
        intent: "The speaker saying another's experience is theirs too: me too, same here, I've \
                 felt that too, I can relate, that's my story too.",
        score: 0.9,
        trigger: Trigger::Any(&[
            "{me too,me neither,same here,same with me,same for me,same as me}",
            "{i'm the same,i was the same,i'm the same way,i'm like that too}",
            "{i feel,i felt,i've felt,i get,i do,i did} {the same,the same way,that too,that as well}",
            "{feel,felt,get,do,did} that too",
            "{been there too,been there myself,i've been there,i have been there}",
            "i know {that feeling,the feeling,exactly what you mean,what that's like,what it's like}",
            "i know {how that feels,how it feels,exactly how you feel}",
            "that's {me,my story,my life,us} too",
            "{sounds like me,that could be me,could have been me}",
            "{that,it,the same thing} {happened,happens} to me",
            "happened to me too",
            "{i can relate,i relate,relate to that,i identify with,i hear myself in,i see myself in}",
        ]),
        unless: &[],
    },
    Rule {
        id: "UNIVERSALITY.NOT_ALONE.1",
        code: Universality,
        intent: "Discovering or telling another that they are not the only one: I thought I \
                 was the only one, it's not just you, you're not alone.",
        score: 0.9,
        trigger: Trigger::Any(&[
            "{thought,think,figured} i was the only one",
            "{not the only one,thought it was just me,figured it was just me,not just you}",
            "{you're,you are,we're,we are,i'm,i am} not alone",
            "other people {get,feel,do,go through} that",
        ]),
        unless: &[],
    },
    Rule {
        id: "UNIVERSALITY.WE.1",
        code: Universality,
        intent: "Naming an experience as shared by the group: a group subject (we all, a lot \
                 of us) closely followed by a shared feeling or struggle.",
        score: 0.7,
        trigger: Trigger::Sequence {
            first: WE,
            then: SHARED,
            within: 2,
        },
        unless: &[
            // Accusations and logistics, not shared experience.
            "{we all,all of us,everyone here,everybody here} know what you",
            "{we all,all of us,everyone here,everybody here} get {a break,coffee,out,home}",
        ],
    },
    Rule {
        id: "UNIVERSALITY.NORMAL.1",
        code: Universality,
        intent: "Normalising a struggle as common: it's normal, a lot of people feel that, it \
                 happens to everyone.",
        score: 0.7,
        trigger: Trigger::Any(&[
            "{it's,that's,this is,it is,that is} {normal,common,really common,so common,very common}",
            "{it's,that's,this is,it is,that is} {pretty common,completely normal,totally normal,perfectly normal}",
            "{a normal part of,a common part of}",
            "{a lot of,lots of,so many,plenty of,most} people {feel,go through,struggle,get}",
            "happens to {everyone,everybody,a lot of people,all of us,most people}",
            "{everyone,everybody} {feels,goes through,struggles}",
        ]),
        unless: &[],
    },
];
