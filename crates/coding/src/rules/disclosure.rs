//! DISCLOSURE rules: the speaker telling something personal about themselves, their
//! history, relationships, circumstances or named feelings, in the first person.
//! Opinions and suggestions ("I feel like we should ...") are not disclosure.
//!
//! No public labels exist for this code: these rules' accuracy is unmeasured.

use domain::ProcessCode::Disclosure;

use super::table::{Rule, Trigger};

/// First-person framings that a named feeling may follow, for DISCLOSURE.FEELING.1.
const FEELING_FRAMES: &[&str] = &[
    "{i feel,i felt,i'm feeling,i was feeling,i've been feeling,i've felt,i still feel,i always feel}",
    "{i don't feel,i didn't feel,i get,i got,i'm getting,i'm,i am,i was,i've been,i have been}",
    "{makes me,made me,makes me feel,made me feel,leaves me,left me}",
];

/// Named feelings, for DISCLOSURE.FEELING.1.
const FEELINGS: &[&str] = &[
    "{sad,scared,afraid,frightened,terrified,ashamed,embarrassed,guilty,lonely,alone,lost}",
    "{hurt,angry,mad,furious,anxious,nervous,worried,panicky,depressed,empty,numb}",
    "{hopeless,helpless,worthless,useless,stupid,small,invisible,judged,rejected,abandoned}",
    "{trapped,stuck,broken,exhausted,overwhelmed,tense,upset,miserable,heartbroken}",
    "{devastated,jealous,bitter,resentful,relieved,grateful,proud,safe,unsafe,crying}",
    "{a failure,an idiot,a fraud,a burden,a mess,a wreck}",
];

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: "DISCLOSURE.HISTORY.1",
        code: Disclosure,
        intent: "The speaker's own past: childhood, growing up, what they used to do or went \
                 through.",
        score: 0.8,
        trigger: Trigger::Any(&[
            "when i was {a kid,a child,little,young,younger,a teenager,a teen,growing up,in school}",
            "when i was {in high school,in foster care,your age}",
            "growing up",
            "as a {kid,child,teenager,teen} i",
            "{i grew up,back when i,years ago i,i used to,i spent,i started,i tried}",
            "my {childhood,past,whole life,own}",
        ]),
        unless: &[
            // Asking about someone else's childhood.
            "{you,you were,were you} growing up",
        ],
    },
    Rule {
        id: "DISCLOSURE.EXPERIENCE.1",
        code: Disclosure,
        intent: "First-person experience and circumstances: what has been happening to the \
                 speaker, what they did, struggle with, have never told, are (an addict, on \
                 parole).",
        score: 0.7,
        trigger: Trigger::Any(&[
            "{i've been,i have been,i had been}",
            "{i've never told,i have never told,i never told,i haven't told,i've never said}",
            "{the truth is,to be honest i,honestly i}",
            "{i've felt,i have felt,i've struggled,i struggle,i'm struggling,i've been struggling,i've always,i have always}",
            "{i lost,i relapsed,i used again,i drank,i used,i cried,i've been crying}",
            "{i can't stop,i keep} {crying,drinking,using,thinking about}",
            "{i can't sleep,i can't eat,i haven't slept,i haven't eaten}",
            "i was {arrested,locked up,in prison,in jail,inside,diagnosed,fired,homeless,deployed}",
            "i was {married,divorced,adopted,in the army,sober,clean,raised}",
            "i got {arrested,locked up,sober,clean,fired,divorced,married,diagnosed,out}",
            "{i did time,i'm in recovery,i'm on probation,i'm on parole,i'm sober,i'm clean}",
            "i'm {an alcoholic,an addict,divorced,separated,unemployed,homeless,pregnant}",
            "{i miss,i hate myself,i blame myself,i judge myself,i judged myself,i beat myself up}",
            "{what helped me,what worked for me,in my experience,for me it was}",
        ]),
        unless: &[
            // Reports of thinking or being told, not experience.
            "{i've been,i have been} {thinking we,thinking that we,thinking you,wondering,meaning to ask}",
            "{i've been,i have been,i had been} {told,asked}",
        ],
    },
    Rule {
        id: "DISCLOSURE.RELATIONSHIP.1",
        code: Disclosure,
        intent: "The speaker's own people and circumstances: family, partner, children, \
                 sponsor, probation officer; drinking, diagnosis, sentence, custody.",
        score: 0.6,
        trigger: Trigger::Any(&[
            "my {wife,husband,partner,ex,ex-wife,ex-husband,girlfriend,boyfriend,fiance,fiancee}",
            "my {kids,children,son,daughter,baby,mom,mum,mother,dad,father,stepdad,stepmom,parents}",
            "my {brother,sister,family,grandma,grandmother,grandpa,grandfather,uncle,aunt,cousin}",
            "my {boss,sponsor,therapist,counselor,counsellor,doctor,lawyer,probation officer,parole officer,po}",
            "my {marriage,divorce,drinking,using,addiction,recovery,sobriety,relapse,anger}",
            "my {depression,anxiety,diagnosis,meds,medication,trauma,sentence,probation,parole}",
            "my {case,court date,charges,record,custody,house,home,job,first}",
            // Possessives: "my dad's drinking", "my wife's family".
            "my {wife's,husband's,partner's,ex's,girlfriend's,boyfriend's,kids',son's,daughter's}",
            "my {mom's,mum's,mother's,dad's,father's,stepdad's,brother's,sister's,cousin's,family's}",
        ]),
        unless: &[],
    },
    Rule {
        id: "DISCLOSURE.FEELING.1",
        code: Disclosure,
        intent: "The speaker naming their own feeling: a first-person framing (I feel, I'm, it \
                 makes me) closely followed by a feeling word.",
        score: 0.8,
        trigger: Trigger::Sequence {
            first: FEELING_FRAMES,
            then: FEELINGS,
            within: 2,
        },
        unless: &[
            // Getting lost on the way in; praise for another; hurting someone else.
            "i got lost",
            "proud of you",
            "hurt {him,her,them,you,someone,somebody}",
        ],
    },
];
